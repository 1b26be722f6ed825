"""Self-service pages of a credit subject (/credit/me/): my records, objections, repairs, commitments and
the credit report. A window clerk uses the same forms on a subject's behalf (`?for=<subject id>`)."""

from __future__ import annotations

from functools import wraps
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from yingshang.credit.choices import TargetKind
from yingshang.credit.models import Subject
from yingshang.credit.services import commitments, handling, objections, repair, report, subjects
from yingshang.kernel import access
from yingshang.kernel.errors import ServiceError
from yingshang.kernel.services import uploads
from yingshang.kernel.services.documents import read_document_file

COMMITMENT_TEMPLATE = ("本主体已纠正失信行为、履行相关义务，承诺所提交材料真实有效，今后严格遵守法律法规，"
                       "如违背承诺，自愿接受相应处理并记入信用记录。")


class ObjectionForm(forms.Form):
    reason = forms.CharField(label=_("异议理由"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000,
                             help_text=_("请写明信息哪里有误、正确的情况是什么"))
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)


class RepairForm(forms.Form):
    rectification = forms.CharField(label=_("失信行为纠正情况"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000,
                                    help_text=_("如已缴纳罚款、完成整改的情况"))
    commitment_text = forms.CharField(label=_("信用修复承诺"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                                      initial=COMMITMENT_TEMPLATE)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)


def _on_behalf(request) -> Subject | None:
    """The subject a clerk acts for (?for=<id>), only for users allowed to file on behalf."""
    raw = request.GET.get("for") or request.POST.get("for")
    if not raw:
        return None
    if not access.has_perm(request.user, handling.FILE_ON_BEHALF):
        raise Http404("信用主体不存在")
    try:
        return subjects.get(int(raw))
    except (ValueError, ServiceError):
        raise Http404("信用主体不存在") from None


def _records(subject: Subject) -> dict:
    found = subjects.summary(subject, limit=100)
    open_obj = {(o.target_kind, o.target_id) for o in objections.for_subject(subject).filter(status="open")}
    for kind, rows in (("license", found["licenses"]), ("penalty", found["penalties"]), ("other", found["others"]),
                       ("list_entry", found["entries"])):
        for row in rows:
            row.objection_open = (kind, row.pk) in open_obj
            if kind in repair.REPAIRABLE:
                ok, _code, message, _rule, _after = repair.eligibility(handling.Target(kind, row, subject.pk, None, ""))
                row.repair_ok, row.repair_note = ok, message
    return found


@login_required
def home(request):
    subject = _on_behalf(request) or handling.subject_of_user(request.user)
    context = {"subject": subject, "behalf": request.GET.get("for", "")}
    if subject is not None:
        context |= _records(subject)
        context |= {"objections": list(objections.for_subject(subject)[:50]), "repairs": list(repair.for_subject(subject)[:50]),
                    "commitments": list(commitments.for_subject(subject)[:50])}
    return render(request, "credit/self_home.html", context)


def _file(request, kind: str, pk: int, form_class, template: str, service):
    on_behalf = _on_behalf(request)
    try:
        subject, _b = handling.filer_subject(request.user, on_behalf)
        target = handling.load_target(kind, pk)
        handling.check_own_target(subject, target)
    except ServiceError as exc:
        if exc.status in (403, 404):
            raise Http404(exc.message) from None
        raise
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                item = service(request.user, target_kind=kind, target_id=pk, evidence=request.FILES.getlist("evidence"),
                               on_behalf_of=on_behalf, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已提交（编号 {item.number}），办理期限 {item.deadline:%Y-%m-%d}")
            return redirect(f"/credit/me/?for={on_behalf.pk}" if on_behalf else "/credit/me/")
    context = {"form": form, "target": target, "subject": subject, "behalf": on_behalf.pk if on_behalf else ""}
    if service is repair.do_file:
        context["eligibility"] = repair.eligibility(target)
    return render(request, template, context)


def _guarded(view):
    """Cap and parse a multipart body before the CSRF check reads it (kernel uploads), then check CSRF."""
    inner = csrf_protect(view)

    @csrf_exempt
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        error = uploads.guard_request(request) if request.method == "POST" else None
        if error is not None:
            messages.error(request, error.message)
            return redirect(request.path)
        return inner(request, *args, **kwargs)
    return wrapper


@_guarded
def objection_new(request, kind: str, pk: int):
    if kind not in TargetKind.values:
        raise Http404("信息类型不正确")
    return _file(request, kind, pk, ObjectionForm, "credit/self_objection.html", objections.do_file)


@_guarded
def repair_new(request, kind: str, pk: int):
    if kind not in repair.REPAIRABLE:
        raise Http404("信息类型不正确")
    return _file(request, kind, pk, RepairForm, "credit/self_repair.html", repair.do_file)


# --- the credit report ------------------------------------------------------------------------------

def pdf_response(doc) -> HttpResponse:
    response = HttpResponse(read_document_file(doc), content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'信用报告-{doc.number}.pdf')}"
    return response


@login_required
@require_POST
def my_report(request):
    subject = handling.subject_of_user(request.user)
    if subject is None:
        messages.error(request, "平台暂无您的信用主体信息，无法出具信用报告")
        return redirect("credit:me")
    with transaction.atomic():
        doc = report.do_issue(request.user, subject)
    return pdf_response(doc)


@login_required
def report_page(request):
    """Any signed-in user: the public report of an organisation; officers: the full report of any subject."""
    error = ""
    if request.method == "POST":
        try:
            subject = subjects.find(request.POST.get("code", ""))
            with transaction.atomic():
                doc = report.do_issue(request.user, subject)
        except ServiceError as exc:
            error = exc.message
        else:
            return pdf_response(doc)
    return render(request, "credit/self_report.html", {"error": error,
                                                       "full": access.has_perm(request.user, handling.REPORT_ANY)},
                  status=400 if error else 200)


@login_required
@require_POST
def subject_report(request, pk: int):
    """The report button of the staff subject page (the subject is named by id, so no number in the URL)."""
    try:
        subject = subjects.get(pk)
        with transaction.atomic():
            doc = report.do_issue(request.user, subject)
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from None
        raise PermissionDenied(exc.message) from None
    return pdf_response(doc)
