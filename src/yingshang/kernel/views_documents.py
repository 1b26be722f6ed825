"""Public verification of issued documents, and the staff download of the stored PDF."""

from __future__ import annotations

import logging

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from yingshang.kernel.errors import Conflict, InvalidInput, NotFound
from yingshang.kernel.services.documents import (
    MAX_UPLOAD_BYTES,
    check_manage_document,
    check_uploaded_copy,
    public_info,
    read_document_file,
    verify_document,
)

logger = logging.getLogger("yingshang.documents")
_FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the CSRF field around the file


class CopyCheckForm(forms.Form):
    file = forms.FileField(
        label=_("待核对的 PDF 文件"), allow_empty_file=False,
        help_text=_("选择您持有的文书 PDF，系统计算其 SHA-256 摘要并与登记记录比对；文件不会被保存。"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


def _page(request, context: dict, status: int = 200) -> HttpResponse:
    response = render(request, "kernel/document_verify.html", context, status=status)
    # The page names a holder and an issuer: keep it out of search engines and shared caches.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify(request, code: str):
    """Anyone may check a code: what was issued, by whom, when, its status, and whether a copy matches."""
    try:
        doc = verify_document(code)
    except NotFound:
        return _page(request, {"not_found": True, "code": code[:64]}, status=404)
    if request.method != "POST" and code != doc.verification_code:
        return redirect("document-verify", code=doc.verification_code)  # one canonical address per document

    form, check, error, status = CopyCheckForm(), None, None, 200
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_UPLOAD_BYTES + _FORM_OVERHEAD:
            # Refuse before Django parses (and spools) the upload.
            error = _t("文件过大：不能超过 %(mb)d MB") % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            status = 413
        else:
            form = CopyCheckForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    check = check_uploaded_copy(doc, form.cleaned_data["file"])
                except InvalidInput as exc:
                    error, status = exc.message, 400
            else:
                status = 400
    return _page(request, {"doc": doc, "info": public_info(doc), "form": form, "check": check, "error": error},
                 status=status)


@never_cache
@login_required
@require_GET
def download(request, code: str):
    """The stored PDF for staff who may issue documents of its issuer; checked against its SHA-256."""
    try:
        doc = verify_document(code)
    except NotFound:
        raise Http404(_t("未找到该核验码对应的文书")) from None
    check_manage_document(request.user, doc)
    try:
        data = read_document_file(doc)
    except NotFound as exc:
        raise Http404(exc.message) from None
    except Conflict as exc:
        return HttpResponse(exc.message, status=409, content_type="text/plain; charset=utf-8")
    logger.info("document %s downloaded by user %s", doc.pk, request.user.pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{doc.number or doc.verification_code}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response
