"""Complaint pages (§9): the bidder's form (template fields and evidence uploads), the list (the
regulator's queue with due dates and overdue marks; a bidder's own), a complaint with the regulator's
actions, the malicious-complaint list for the credit office, and the public decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from yingshang.kernel import access, clock
from yingshang.kernel.errors import Forbidden, NotFound, ServiceError
from yingshang.kernel.page_actions import run_form_action
from yingshang.kernel.services import uploads
from yingshang.kernel.services.validation import as_id
from yingshang.trading import queries_award, rules_award
from yingshang.trading.services import common, complaints

FIELDS = ("matter", "known_on", "prior_objection_on", "facts", "grounds", "request")
EVIDENCE_ROWS = 3


@csrf_exempt
@login_required
def new_complaint(request, pk: int):
    """Multipart: the upload guard runs before CSRF reads the body (kernel uploads)."""
    error = uploads.guard_request(request) if request.method == "POST" else None
    return _new_complaint(request, pk, error)


@csrf_protect
def _new_complaint(request, pk: int, error):
    if not access.has_perm(request.user, common.OBJECT):
        raise PermissionDenied(_("您没有访问此页面的权限"))
    try:
        lot = queries_award.lot_for(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from None
    posted = {f: request.POST.get(f, "") for f in FIELDS} if request.method == "POST" else {}
    if request.method == "POST" and error is None:
        evidence = [(request.POST.get(f"evidence{i}-title", ""), request.FILES[f"evidence{i}"])
                    for i in range(EVIDENCE_ROWS) if f"evidence{i}" in request.FILES]
        try:
            with transaction.atomic():
                c = complaints.do_file(request.user, pk, {**posted, "prior_objection_on": posted["prior_objection_on"] or None},
                                       evidence)
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None
        except ServiceError as exc:
            error = exc
        else:
            messages.success(request, _("投诉已提交，行业监督部门将在3个工作日内决定是否受理"))
            return redirect("trading:complaint", pk=c.pk)
    return render(request, "trading/complaint_new.html", {
        "lot": lot, "posted": posted, "error": error, "matters": rules_award.COMPLAINT_MATTERS,
        "evidence_rows": range(EVIDENCE_ROWS)}, status=400 if error else 200)


def _list_or_403(request):
    try:
        return complaints.complaints_for(request.user)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None


@login_required
def complaint_list(request):
    status = request.GET.get("status", "")
    queryset = _list_or_403(request)
    if status in rules_award.COMPLAINT_FLOW.states:
        queryset = queryset.filter(status=status)
    elif status == "overdue":
        queryset = queryset.filter(complaints.overdue_filter(clock.today()))
    rows = [(c, complaints.overdue_of(c)) for c in queryset.order_by("accept_by", "pk")[:200]]
    return render(request, "trading/complaint_list.html", {
        "rows": rows, "status": status, "statuses": rules_award.COMPLAINT_FLOW.states,
        "is_regulator": access.has_perm(request.user, common.COMPLAINTS)})


@login_required
def complaint_detail(request, pk: int):
    _list_or_403(request)
    try:
        c = complaints.complaint(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from None
    handles = access.has_perm(request.user, common.COMPLAINTS)
    open_stop = next((s for s in c.clock_stops.all() if s.to_date is None), None)
    mine = access.has_perm(request.user, common.OBJECT) and c.complainant_uscc == request.user.uscc
    return render(request, "trading/complaint_detail.html", {
        "c": c, "overdue": complaints.overdue_of(c), "handles": handles, "open_stop": open_stop,
        "stop_kinds": rules_award.CLOCK_STOP_KINDS, "outcomes": rules_award.OUTCOMES,
        "actions": rules_award.COMPLAINT_FLOW.allowed_actions(c.status) if handles else [],
        "can_withdraw": mine and rules_award.COMPLAINT_FLOW.allowed(c.status, rules_award.WITHDRAW)})


ACTIONS = {
    "accept": (lambda u, pk, v, p: complaints.do_accept(u, pk, v, note=p.get("note", ""), suspend=p.get("suspend") == "1"),
               "已受理"),
    "reject": (lambda u, pk, v, p: complaints.do_reject(u, pk, v, reason=p.get("reason")), "已决定不予受理"),
    "suspend": (lambda u, pk, v, p: complaints.do_suspend_procedure(u, pk, v), "已责令暂停招标投标活动"),
    "stop": (lambda u, pk, v, p: complaints.do_stop_clock(u, pk, v, kind=p.get("kind"), reason=p.get("reason")),
             "已暂停计时"),
    "resume": (lambda u, pk, v, p: complaints.do_resume_clock(u, pk, v), "已恢复计时"),
    "withdraw": (lambda u, pk, v, p: complaints.do_withdraw(u, pk, v), "投诉已撤回"),
    "decide": (lambda u, pk, v, p: complaints.do_decide(u, pk, v, outcome=p.get("outcome"), decision=p.get("decision"),
                                                        malicious=p.get("malicious") == "1",
                                                        malicious_reason=p.get("malicious_reason", "")),
               "处理决定已作出并公开"),
}


@login_required
@require_POST
def complaint_act(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404(_("没有这个操作"))
    call, done = ACTIONS[action]
    run_form_action(request, lambda: call(request.user, pk, as_id(request.POST.get("row_version")), request.POST), _(done))
    return redirect("trading:complaint", pk=pk)


@login_required
def malicious_list(request):
    try:
        rows = list(complaints.malicious(request.user)[:200])
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    return render(request, "trading/complaint_malicious.html", {"rows": rows})


# --- Public (no sign-in) ---------------------------------------------------------------------------------
@require_GET
def public_results(request):
    rows = [queries_award.public_result(lot) for lot in queries_award.public_lots()[:50]]
    return render(request, "trading/public_results.html", {"rows": rows})


@require_GET
def public_result(request, pk: int):
    try:
        row = queries_award.public_result(queries_award.public_lot(pk))
    except NotFound as exc:
        raise Http404(exc.message) from None
    return render(request, "trading/public_result.html", {"r": row})


@require_GET
def public_complaints(request):
    return render(request, "trading/public_complaints.html", {"rows": list(complaints.published()[:50])})
