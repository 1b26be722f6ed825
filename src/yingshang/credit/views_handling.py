"""Staff pages for objections and repairs (queues sorted by deadline, detail, decide), a clerk's lookup to
file on a subject's behalf, and credit commitments (list, register, mark kept or broken)."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from yingshang.credit.choices import CommitmentStatus, HandlingStatus, TargetKind
from yingshang.credit.models import Commitment
from yingshang.credit.services import commitments, common, handling, objections, repair, subjects
from yingshang.kernel import access, clock
from yingshang.kernel.errors import ServiceError
from yingshang.kernel.models import AuditEntry, Department
from yingshang.kernel.services.calendar import working_days_between

PAGE_SIZE = 50
SERVICES = {"objection": objections, "repair": repair}


def _page(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", 1)), 1000))
    except ValueError:
        return 1


def _queue(request, which: str):
    if not access.has_perm(request.user, handling.HANDLE_OBJECTION if which == "objection" else common.DESIGNATE):
        raise PermissionDenied("您没有执行此操作的权限")
    qs = SERVICES[which].queue(request.user)
    status = request.GET.get("status", "open")
    today = clock.today()
    if status == "overdue":
        qs = qs.filter(objections.overdue_filter(today))
    elif status in HandlingStatus.values:
        qs = qs.filter(status=status)
    qs = qs.order_by("deadline", "id") if status in ("open", "overdue") else qs.order_by("-decided_at", "-id")
    page = _page(request)
    rows = list(qs[(page - 1) * PAGE_SIZE:page * PAGE_SIZE + 1])
    for row in rows:
        row.overdue = handling.is_overdue(row, today)
        row.days_left = working_days_between(today, row.deadline).days if row.is_open else None
    return render(request, f"credit/handling_{which}s.html", {
        "items": rows[:PAGE_SIZE], "has_next": len(rows) > PAGE_SIZE, "page": page, "status": status,
        "statuses": [*HandlingStatus.choices, ("overdue", "已超期")]})


@login_required
@require_GET
def objection_queue(request):
    return _queue(request, "objection")


@login_required
@require_GET
def repair_queue(request):
    return _queue(request, "repair")


def _item(request, which: str, pk: int):
    try:
        return SERVICES[which].get_for(request.user, pk)
    except ServiceError:
        raise Http404("申请不存在") from None


def _detail(request, which: str, pk: int):
    item = _item(request, which, pk)
    service = SERVICES[which]
    try:
        target = handling.load_target(item.target_kind, item.target_id)
    except ServiceError:
        target = None
    history = AuditEntry.objects.filter(object_type=item._meta.label_lower, object_id=str(item.pk)).order_by("seq")
    can_decide = item.is_open and service.can_decide(request.user, item)
    return render(request, f"credit/handling_{which}.html", {
        "item": item, "which": which, "target": target, "history": history, "can_decide": can_decide,
        "overdue": handling.is_overdue(item), "correctable": objections.CORRECTABLE.get(item.target_kind, {}),
        "shown": subjects.view(request.user, item.subject) if access.has_perm(request.user, common.VIEW) else None})


@login_required
@require_GET
def objection_detail(request, pk: int):
    return _detail(request, "objection", pk)


@login_required
@require_GET
def repair_detail(request, pk: int):
    return _detail(request, "repair", pk)


@login_required
@require_POST
def objection_decide(request, pk: int):
    corrections = {name: request.POST.get(f"fix_{name}") for name in objections.CORRECTABLE.get(
        request.POST.get("target_kind", ""), {}) if request.POST.get(f"fix_{name}", "").strip()}
    try:
        with transaction.atomic():
            objections.do_decide(request.user, pk, outcome=request.POST.get("outcome", ""), note=request.POST.get("note", ""),
                                 resolution=request.POST.get("resolution", ""), corrections=corrections,
                                 row_version=request.POST.get("row_version") or None)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已办结")
    return redirect("credit:handling-objection", pk=pk)


@login_required
@require_POST
def repair_decide(request, pk: int):
    try:
        with transaction.atomic():
            repair.do_decide(request.user, pk, outcome=request.POST.get("outcome", ""), note=request.POST.get("note", ""),
                             row_version=request.POST.get("row_version") or None)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已办结")
    return redirect("credit:handling-repair", pk=pk)


@login_required
@require_GET
def evidence(request, which: str, pk: int, index: int):
    if which not in SERVICES:
        raise Http404("材料不存在")
    item = _item(request, which, pk)
    try:
        data, name, content_type = handling.open_evidence(item, index)
    except ServiceError:
        raise Http404("材料不存在") from None
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def behalf(request):
    """A window clerk finds a subject (code in the POST body, never in the URL) to file on its behalf."""
    access.check_perm(request.user, handling.FILE_ON_BEHALF)
    subject, error = None, ""
    if request.method == "POST":
        try:
            subject = subjects.find(request.POST.get("code", ""))
        except ServiceError as exc:
            error = exc.message
        else:
            return redirect(f"/credit/me/?for={subject.pk}")
    return render(request, "credit/handling_behalf.html", {"error": error})


# --- commitments ------------------------------------------------------------------------------------

class CommitmentForm(forms.Form):
    code = forms.CharField(label=_("统一社会信用代码或身份证号码"), max_length=64)
    subject_name = forms.CharField(label=_("主体名称"), max_length=200, required=False, help_text=_("主体尚未在平台登记时必填"))
    kind = forms.ChoiceField(label=_("承诺类型"), choices=list(commitments.MANUAL_KINDS.items()))
    text = forms.CharField(label=_("承诺内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    department = forms.ModelChoiceField(label=_("承诺对象部门"), queryset=Department.objects.none())
    signed_on = forms.DateField(label=_("承诺日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(label=_("履约期限"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("来源编号"), max_length=80, required=False, help_text=_("如承诺书编号，防止重复登记"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(is_active=True).order_by("path")


@login_required
@require_GET
def commitment_list(request):
    access.check_perm(request.user, handling.MANAGE_COMMITMENTS)
    qs = Commitment.objects.select_related("subject", "department")
    status = request.GET.get("status", "")
    if status in CommitmentStatus.values:
        qs = qs.filter(status=status)
    query, error = request.GET.get("q", "").strip()[:100], ""
    if query:
        from yingshang.credit.services.publicity import subject_filter

        try:
            qs = qs.filter(subject_filter(query))
        except ServiceError as exc:
            error = exc.message
    page = _page(request)
    rows = list(qs.order_by("-signed_at", "-id")[(page - 1) * PAGE_SIZE:page * PAGE_SIZE + 1])
    return render(request, "credit/commitments.html", {
        "items": rows[:PAGE_SIZE], "has_next": len(rows) > PAGE_SIZE, "page": page, "status": status,
        "statuses": CommitmentStatus.choices, "q": query, "error": error})


@login_required
def commitment_new(request):
    access.check_perm(request.user, handling.MANAGE_COMMITMENTS)
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                c = commitments.do_register(request.user, **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已登记信用承诺 {c.number}")
            return redirect("credit:commitment", pk=c.pk)
    return render(request, "credit/commitment_new.html", {"form": form})


@login_required
def commitment_detail(request, pk: int):
    access.check_perm(request.user, handling.MANAGE_COMMITMENTS)
    c = Commitment.objects.select_related("subject", "department", "breach_record").filter(pk=pk).first()
    if c is None:
        raise Http404("信用承诺不存在")
    if request.method == "POST":
        try:
            with transaction.atomic():
                commitments.do_mark(request.user, pk, outcome=request.POST.get("outcome", ""),
                                    reason=request.POST.get("reason", ""))
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已更新履约情况")
        return redirect("credit:commitment", pk=pk)
    history = AuditEntry.objects.filter(object_type="credit.commitment", object_id=str(c.pk)).order_by("seq")
    return render(request, "credit/commitment.html", {"c": c, "history": history, "kinds": TargetKind})
