"""Pages of the expert database and draw: the centre's expert list (filters), detail with sanctions and
relations, registration and edit forms; a lot's draw (prepare → reveal, replies, redraw, representatives,
completion; names sealed for others than the draw officer until evaluation); an expert's own page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingshang.kernel import access
from yingshang.kernel.errors import Forbidden, NotFound, ServiceError
from yingshang.kernel.page_actions import run_form_action
from yingshang.kernel.services.validation import as_id
from yingshang.trading import queries
from yingshang.trading import rules_experts as rx
from yingshang.trading.models import ExpertDraw, Specialty
from yingshang.trading.services import common, expert_draws, experts, invitations

PAGE_SIZE = 50
PROFILE_FIELDS = ("name", "id_number", "phone", "employer_name", "employer_uscc", "region", "title", "qualification")
REQUIREMENT_ROWS = 3


def _require(request, permission: str) -> None:
    if not access.has_perm(request.user, permission):
        raise PermissionDenied(_("您没有访问此页面的权限"))


def _profile(post) -> dict:
    return {**{f: post.get(f, "").strip() for f in PROFILE_FIELDS}, "specialties": post.getlist("specialties")}


def _form_context(posted, error, expert=None) -> dict:
    chosen = posted.getlist("specialties") if hasattr(posted, "getlist") else posted.get("specialties", [])
    return {"posted": posted, "error": error, "expert": expert, "chosen": set(chosen),
            "specialties": Specialty.objects.filter(active=True).order_by("code")}


@login_required
def expert_list(request):
    _require(request, common.EXPERTS)
    get = request.GET
    filters = {k: get.get(k, "").strip()[:50] for k in ("q", "specialty", "status", "region")}
    queryset = experts.experts_for(request.user, **filters)
    return render(request, "trading/experts_list.html", {
        "rows": list(queryset[:PAGE_SIZE]), "total": queryset.count(), "filters": filters,
        "statuses": rx.EXPERT_STATUSES, "specialties": Specialty.objects.filter(active=True).order_by("code")})


@login_required
def expert_new(request):
    _require(request, common.EXPERTS)
    error = None
    if request.method == "POST":
        try:
            with transaction.atomic():
                expert = experts.do_register(request.user, _profile(request.POST))
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, _("专家已登记"))
            return redirect("trading:expert", pk=expert.pk)
    posted = request.POST if request.method == "POST" else {"region": "610802"}
    return render(request, "trading/experts_form.html", {**_form_context(posted, error), "title": _("登记评标专家")})


def _expert_or_404(request, pk):
    try:
        return experts.expert(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from None


@login_required
def expert_detail(request, pk: int):
    _require(request, common.EXPERTS)
    expert = _expert_or_404(request, pk)
    return render(request, "trading/experts_detail.html", {
        "expert": expert, "sanctions": expert.sanctions.all(), "relations": expert.relations.all(),
        "statuses": rx.EXPERT_STATUSES, "sanction_kinds": rx.SANCTION_KINDS, "relation_kinds": rx.RELATION_KINDS})


@login_required
def expert_edit(request, pk: int):
    expert = _expert_or_404(request, pk)
    error = None
    if request.method == "POST":
        try:
            with transaction.atomic():
                experts.do_update(request.user, pk, as_id(request.POST.get("row_version")), _profile(request.POST))
        except Forbidden as exc:
            raise PermissionDenied(exc.message) from None
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, _("专家信息已保存"))
            return redirect("trading:expert" if access.has_perm(request.user, common.EXPERTS) else "trading:my-expert",
                            **({"pk": pk} if access.has_perm(request.user, common.EXPERTS) else {}))
    posted = request.POST if request.method == "POST" else {
        **{f: getattr(expert, f, "") for f in PROFILE_FIELDS if f != "id_number"},
        "specialties": [s.code for s in expert.specialties.all()]}
    return render(request, "trading/experts_form.html", {**_form_context(posted, error, expert),
                                                         "title": _("修改专家信息")})


EXPERT_ACTIONS = {
    "status": lambda u, pk, v, p: experts.do_set_status(u, pk, v, p.get("status", ""), p.get("note", "")),
    "verify": lambda u, pk, v, p: experts.do_clear_flag(u, pk, v, p.get("note", "")),
    "sanction": lambda u, pk, v, p: experts.do_sanction(u, pk, {k: p.get(k, "") for k in (
        "kind", "reason", "document_no", "starts_on")}),
    "relation": lambda u, pk, v, p: experts.do_add_relation(u, pk, {k: p.get(k, "") for k in (
        "kind", "uscc", "name", "ended_on")}),
}


@login_required
@require_POST
def expert_act(request, pk: int, action: str):
    if action not in EXPERT_ACTIONS:
        raise Http404(_("没有这个操作"))
    _expert_or_404(request, pk)
    run_form_action(request, lambda: EXPERT_ACTIONS[action](request.user, pk, as_id(request.POST.get("row_version")),
                                                            request.POST), _("已保存"))
    own = not access.has_perm(request.user, common.EXPERTS)
    return redirect("trading:my-expert") if own else redirect("trading:expert", pk=pk)


# --- The draw of a lot ------------------------------------------------------------------------------------
def _lot_or_404(request, pk):
    try:
        return queries.lot(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from None


@login_required
def lot_draw(request, pk: int):
    _require(request, common.VIEW)
    lot = _lot_or_404(request, pk)
    view = invitations.draw_view(request.user, lot)
    d = view.draw
    return render(request, "trading/experts_draw.html", {
        "lot": lot, "view": view, "d": d, "rounds": [expert_draws.round_summary(r) for r in d.rounds.order_by("seq")]
        if d else [], "vacancies": expert_draws.vacancies(d) if d else {}, "rows": range(REQUIREMENT_ROWS),
        "is_officer": access.has_perm(request.user, common.DRAW),
        "count_rows": [(rx.INVITATION_STATES.get(k, k), n) for k, n in view.counts.items() if k != rx.WAITING],
        "is_owner": bool(request.user.uscc) and request.user.uscc in (lot.project.tenderer_uscc,
                                                                      lot.project.agency_uscc),
        "specialties": Specialty.objects.filter(active=True).order_by("code")})


def _requirements(post) -> list[dict]:
    out = []
    for i in range(REQUIREMENT_ROWS):
        spec = post.get(f"req{i}-specialty", "").strip()
        if spec or i == 0:
            out.append({"specialty": spec, "count": post.get(f"req{i}-count", ""),
                        "substitutes": post.get(f"req{i}-substitutes", "") or 0})
    return out


@login_required
@require_POST
def lot_draw_prepare(request, pk: int):
    _require(request, common.VIEW)
    _lot_or_404(request, pk)
    post = request.POST
    data = {"requirements": _requirements(post), "evaluation_on": post.get("evaluation_on", ""),
            "avoid_district": post.get("avoid_district") == "1", "reply_minutes": post.get("reply_minutes") or 30}
    run_form_action(request, lambda: expert_draws.do_prepare(request.user, pk, data), _("已提交种子承诺，请公布后抽取"))
    return redirect("trading:lot-draw", pk=pk)


DRAW_ACTIONS = {
    "reveal": lambda u, pk, v, p: expert_draws.do_reveal(u, pk, v),
    "redraw": lambda u, pk, v, p: expert_draws.do_redraw(u, pk, v),
    "complete": lambda u, pk, v, p: expert_draws.do_complete(u, pk, v),
    "reply": lambda u, pk, v, p: invitations.do_reply_by_code(u, pk, p.get("code", ""), p.get("accept") == "1"),
    "representative": lambda u, pk, v, p: invitations.do_add_representative(u, pk, p.get("name", ""),
                                                                            p.get("username", "")),
    "sweep": lambda u, pk, v, p: (common.check_perm(u, common.DRAW), invitations.do_sweep()),
}


@login_required
@require_POST
def draw_act(request, pk: int, action: str):
    if action not in DRAW_ACTIONS:
        raise Http404(_("没有这个操作"))
    _require(request, common.VIEW)
    d = ExpertDraw.objects.filter(pk=pk).first()
    if d is None:
        raise Http404(_("专家抽取不存在"))
    _lot_or_404(request, d.lot_id)
    run_form_action(request, lambda: DRAW_ACTIONS[action](request.user, pk, as_id(request.POST.get("row_version")),
                                                          request.POST), _("已办理"))
    return redirect("trading:lot-draw", pk=d.lot_id)


# --- An expert's own page ---------------------------------------------------------------------------------
@login_required
def my_expert(request):
    _require(request, common.EXPERT_SELF)
    me = experts.my_expert(request.user)
    error = None
    if request.method == "POST" and me is None:
        try:
            with transaction.atomic():
                me = experts.do_register(request.user, _profile(request.POST), by_self=True)
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(request, _("已提交入库申请"))
            return redirect("trading:my-expert")
    posted = request.POST if request.method == "POST" else {"name": request.user.real_name, "region": "610802"}
    rows = list(invitations.my_invitations(request.user)[:PAGE_SIZE])
    for i in rows:
        i.unsealed = i.draw.lot.status in expert_draws.UNSEALED_LOT_STATES
    committees = list(invitations.my_committees(request.user)[:PAGE_SIZE])
    for m in committees:
        m.unsealed = m.lot.status in expert_draws.UNSEALED_LOT_STATES
    return render(request, "trading/experts_me.html", {**_form_context(posted, error, me), "me": me,
                                                       "invitations": rows, "committees": committees})


@login_required
@require_POST
def invitation_reply(request, pk: int):
    _require(request, common.EXPERT_SELF)
    accept = request.POST.get("accept") == "1"
    run_form_action(request, lambda: invitations.do_reply(request.user, pk, as_id(request.POST.get("row_version")),
                                                          accept, request.POST.get("note", "")),
                    _("已确认参加") if accept else _("已回复不参加"))
    return redirect("trading:my-expert")
