"""Pages: the centre's registration queue, the lots of the user's scope, a lot with its timeline and
actions, and the tenderer's form to register a project with its lots. Forms post the row_version they
were rendered with; the services decide."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingshang.kernel import access, clock
from yingshang.kernel.errors import NotFound, ServiceError
from yingshang.kernel.models import Department
from yingshang.kernel.page_actions import run_form_action
from yingshang.kernel.services.validation import as_id
from yingshang.trading import queries, rules
from yingshang.trading.services import common, lots, projects, rulebook

PAGE_SIZE = 50
LOT_FORMS = 3  # lot blocks on the form; blank ones are ignored
LOT_FIELDS = ("name", "procedure", "lot_type", "estimated_price", "ceiling_price", "qualification", "sale_start",
              "sale_end", "bid_deadline")


def _require(request, permission: str) -> None:
    if not access.has_perm(request.user, permission):
        raise PermissionDenied(_("您没有访问此页面的权限"))


@login_required
def queue(request):
    _require(request, common.REVIEW)
    rows = list(queries.queue(request.user)[:PAGE_SIZE])
    return render(request, "trading/queue.html", {"rows": rows})


@login_required
def lot_list(request):
    _require(request, common.VIEW)
    status = request.GET.get("status", "")
    status = status if status in rules.LOT_FLOW.states else ""
    rows = list(queries.lots_for(request.user, status)[:PAGE_SIZE])
    return render(request, "trading/lots.html", {"rows": rows, "status": status, "statuses": rules.LOT_FLOW.states,
                                                 "can_register": access.has_perm(request.user, common.REGISTER)})


@login_required
def lot_detail(request, pk: int):
    _require(request, common.VIEW)
    try:
        lot = queries.lot(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from None
    from yingshang.trading.views_announcements import lot_context  # issue 12 §2: announce, clarify, objections

    return render(request, "trading/lot.html", {"lot": lot, "project": lot.project, "timeline": _timeline(lot),
                                                "actions": queries.allowed_actions(request.user, lot),
                                                "can_edit": queries.can_edit(request.user, lot),
                                                "perms_bond_set": access.has_perm(request.user, common.BOND_SET),
                                                "perms_bond_manage": access.has_perm(request.user, common.BOND_MANAGE),
                                                **lot_context(request.user, lot)})


def _when(value) -> str:
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value.isoformat() if value else ""


def _timeline(lot) -> list[dict]:
    return [{"label": p.label, "start": _when(p.start), "end": _when(p.end), "note": p.note, "source": p.source}
            for p in queries.timeline(lot)]


ACTIONS = {
    rules.SUBMIT: lambda user, pk, version, post: lots.do_submit(user, pk, version),
    rules.WITHDRAW: lambda user, pk, version, post: lots.do_withdraw(user, pk, version),
    rules.ACCEPT: lambda user, pk, version, post: lots.do_accept(user, pk, version, post.get("note", "")),
    rules.RETURN: lambda user, pk, version, post: lots.do_return(user, pk, version, post.get("reason", "")),
}


@login_required
@require_POST
def lot_act(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404(_("没有这个操作"))
    _require(request, common.VIEW)

    def call():
        queries.lot(request.user, pk)  # not found outside the user's scope
        ACTIONS[action](request.user, pk, as_id(request.POST.get("row_version")), request.POST)

    run_form_action(request, call, _("已%(action)s") % {"action": rules.LOT_FLOW.actions[action]})
    return redirect("trading:lot", pk=pk)


def _lots_from(post) -> list[dict]:
    found = []
    for i in range(LOT_FORMS):
        row = {f: post.get(f"lot{i}-{f}", "").strip() for f in LOT_FIELDS}
        if i == 0 or row["name"] or row["estimated_price"]:
            row["ceiling_price"] = row["ceiling_price"] or None
            row["bid_deadline"] = row["bid_deadline"].replace(" ", "T")
            found.append(row)
    return found


@login_required
def edit_lot(request, pk: int):
    """The tenderer's or agency's form to correct a draft or returned lot before (re)submitting it."""
    _require(request, common.REGISTER)
    try:
        lot = queries.lot(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from None
    error = None
    if request.method == "POST":
        data = _lots_from(request.POST)[0]
        try:
            with transaction.atomic():
                projects.do_update_lot(request.user, pk, as_id(request.POST.get("row_version")), data)
        except ServiceError as exc:
            if isinstance(exc, NotFound):
                raise Http404(exc.message) from None
            error = exc.message
        else:
            messages.success(request, _("标段已修改"))
            return redirect("trading:lot", pk=pk)
        row = {f: request.POST.get(f"lot0-{f}", "") for f in LOT_FIELDS}
    else:
        row = {"name": lot.name, "procedure": lot.procedure.code, "lot_type": lot.lot_type,
               "estimated_price": lot.estimated_price, "ceiling_price": lot.ceiling_price or "",
               "qualification": lot.qualification, "sale_start": lot.sale_start.isoformat(),
               "sale_end": lot.sale_end.isoformat(),
               "bid_deadline": timezone.localtime(lot.bid_deadline).strftime("%Y-%m-%dT%H:%M")}
    return render(request, "trading/edit_lot.html", {
        "lot": lot, "error": error, "row": {"index": 0, **row}, "editable": lot.status in projects.EDITABLE,
        "procedures": rulebook.procedures_in_force(clock.today()), "lot_types": rules.LOT_TYPES,
        "modes": rules.QUALIFICATION_MODES})


@login_required
def new_project(request):
    _require(request, common.REGISTER)
    user = request.user
    error = None
    if request.method == "POST":
        data = {f: request.POST.get(f, "") for f in ("name", "approval_no", "tenderer_name", "tenderer_uscc",
                                                   "agency_name", "agency_uscc", "regulator", "division_code",
                                                   "funding_source")}
        data["lots"] = _lots_from(request.POST)
        try:
            with transaction.atomic():
                project = projects.do_create_project(user, data, submit=request.POST.get("submit") == "1")
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, _("项目已登记") if request.POST.get("submit") != "1" else _("已提交进场登记"))
            return redirect("trading:lot", pk=project.lots.order_by("seq").first().pk)
    posted = request.POST if request.method == "POST" else {
        "tenderer_name": user.organization_name if access.has_role(user, access.TENDERER) else "",
        "tenderer_uscc": user.uscc if access.has_role(user, access.TENDERER) else "",
        "agency_name": user.organization_name if access.has_role(user, access.AGENCY) else "",
        "agency_uscc": user.uscc if access.has_role(user, access.AGENCY) else "",
        "division_code": "610800"}
    lot_rows = [{"index": i, **{f: posted.get(f"lot{i}-{f}", "") for f in LOT_FIELDS}} for i in range(LOT_FORMS)]
    return render(request, "trading/new_project.html", {
        "error": error, "posted": posted, "lot_rows": lot_rows,
        "procedures": rulebook.procedures_in_force(clock.today()),
        "regulators": Department.objects.filter(kind=Department.Kind.DEPARTMENT, is_active=True).order_by("path"),
        "lot_types": rules.LOT_TYPES, "modes": rules.QUALIFICATION_MODES, "funding": rules.FUNDING_SOURCES})
