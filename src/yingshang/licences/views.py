"""Wallet pages: the applicant's e-licences, one licence, its PDF; staff revoke from the detail page."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from yingshang.kernel import access
from yingshang.kernel.errors import Conflict, NotFound, ServiceError
from yingshang.kernel.services.documents import read_document_file
from yingshang.licences import services

logger = logging.getLogger("yingshang.licences")


def _load(request, pk):
    try:
        return services.check_view(request.user, pk)
    except NotFound:
        raise Http404(_("未找到该电子证照")) from None


@login_required
def licence_list(request):
    if not access.has_perm(request.user, services.VIEW_OWN):
        raise PermissionDenied(_("只有办事群众和企业可以查看电子证照夹"))
    licences = services.holder_licences(request.user, include_invalid=True)
    return render(request, "licences/list.html", {"licences": licences})


@never_cache
@login_required
def licence_detail(request, pk: int):
    lic = _load(request, pk)
    return render(request, "licences/detail.html", {
        "lic": services.to_view(lic), "can_revoke": access.has_perm(request.user, services.MANAGE)})


@never_cache
@login_required
@require_GET
def licence_pdf(request, pk: int):
    lic = _load(request, pk)
    if lic.document_id is None:
        raise Http404(_("该电子证照没有版式文件"))
    try:
        data = read_document_file(lic.document)
    except NotFound as exc:
        raise Http404(exc.message) from None
    except Conflict as exc:
        return HttpResponse(exc.message, status=409, content_type="text/plain; charset=utf-8")
    logger.info("e-licence %s downloaded by user %s", lic.pk, request.user.pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{lic.number}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def licence_revoke(request, pk: int):
    try:
        with transaction.atomic():
            services.do_revoke_licence(request.user, pk, request.POST.get("reason", ""))
    except NotFound:
        raise Http404(_("未找到该电子证照")) from None
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("电子证照已注销"))
    return redirect("licences:detail", pk=pk)
