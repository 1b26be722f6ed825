"""Evaluation pages: the tenderer's plan form, "my evaluations" for members and the centre, the lot's
evaluation (progress, disqualifications, clarifications, outlier reasons, the report and its signing),
the scoring form per bid, and the bidder's clarification requests. The services decide every action."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingshang.kernel import access, clock
from yingshang.kernel.errors import NotFound, ServiceError
from yingshang.kernel.page_actions import run_form_action
from yingshang.kernel.services.validation import as_id
from yingshang.trading import queries
from yingshang.trading import queries_evaluation as qe
from yingshang.trading import rules_evaluation as er
from yingshang.trading.models import EvaluationPlan
from yingshang.trading.services import (
    common,
    evaluation,
    evaluation_plans,
    evaluation_report,
    rulebook,
)
from yingshang.trading.services import (
    evaluation_decisions as decisions,
)

ITEM_ROWS = 8


def _found(call):
    try:
        return call()
    except NotFound as exc:
        raise Http404(exc.message) from None


@login_required
def plan_form(request, pk: int):
    if not access.has_perm(request.user, common.VIEW):
        raise PermissionDenied(_("您没有访问此页面的权限"))
    lot = _found(lambda: queries.lot(request.user, pk))  # anyone in the lot's scope reads; the service decides edits
    plan = EvaluationPlan.objects.filter(lot=lot).first()
    error = None
    if request.method == "POST":
        post = request.POST
        items = [{"part": post.get(f"item{i}-part", ""), "name": post.get(f"item{i}-name", "").strip(),
                  "max_points": post.get(f"item{i}-max_points", "").strip()} for i in range(ITEM_ROWS)]
        data = {k: post.get(k, "") for k in ("method", "technical_weight", "commercial_weight", "price_weight",
                                                "credit_weight")}
        data |= {"ranked": post.get("ranked") == "1", "clarification_hours": post.get("clarification_hours", "24"),
                 "items": [i for i in items if i["name"] or i["max_points"]]}
        try:
            with transaction.atomic():
                evaluation_plans.do_set_plan(request.user, pk, data, as_id(post.get("row_version")))
        except ServiceError as exc:
            error = exc.message
        else:
            from django.contrib import messages

            messages.success(request, _("评标办法已保存"))
            return redirect("trading:lot", pk=pk)
        values = post
    else:
        values = {"method": plan.method.code, "technical_weight": plan.technical_weight,
                  "commercial_weight": plan.commercial_weight, "price_weight": plan.price_weight,
                  "credit_weight": plan.credit_weight, "ranked": "1" if plan.ranked else "",
                  "clarification_hours": plan.clarification_hours} if plan else {"clarification_hours": 24}
        existing = list(plan.items.all()) if plan else []
        for i, item in enumerate(existing):
            values |= {f"item{i}-part": item.part, f"item{i}-name": item.name, f"item{i}-max_points": item.max_points}
    rows = [{"index": i, "part": values.get(f"item{i}-part", ""), "name": values.get(f"item{i}-name", ""),
             "max_points": values.get(f"item{i}-max_points", "")} for i in range(ITEM_ROWS)]
    return render(request, "trading/evaluation_plan.html", {
        "lot": lot, "plan": plan, "values": values, "rows": rows, "error": error, "parts": er.PARTS,
        "can_edit": access.has_perm(request.user, common.REGISTER) and lot.status in evaluation_plans.EDITABLE_STATES,
        "methods": rulebook.methods_in_force(clock.today())})


@login_required
def evaluation_list(request):
    if not (access.has_perm(request.user, common.EVALUATE) or access.has_perm(request.user, common.MANAGE_EVALUATION)):
        raise PermissionDenied(_("您没有访问此页面的权限"))
    rows = list(qe.evaluations_for(request.user)[:100])
    return render(request, "trading/evaluation_list.html", {
        "rows": rows, "centre": access.has_perm(request.user, common.MANAGE_EVALUATION)})


@login_required
def evaluation_lot(request, pk: int):
    view = _found(lambda: qe.overview(request.user, pk))
    return render(request, "trading/evaluation_lot.html", {**view, "now": clock.now()})


@login_required
def score_form(request, bid_id: int):
    view = _found(lambda: qe.sheet(request.user, bid_id))
    if request.method == "POST":
        points = {str(r["item"].pk): request.POST.get(f"item_{r['item'].pk}", "") for r in view["items"]}
        submit = request.POST.get("submit") == "1"
        done = run_form_action(request, lambda: evaluation.do_save_scores(request.user, bid_id, points, submit=submit),
                               _("评分已提交") if submit else _("评分已暂存"))
        if done and submit:
            return redirect("trading:evaluation", pk=view["lot"].pk)
        return redirect("trading:score", bid_id=bid_id)
    return render(request, "trading/evaluation_score.html", view)


def _post(request, name: str) -> str:
    return request.POST.get(name, "")


ACTIONS = {
    "start": (lambda r, pk: evaluation.do_start(r.user, pk, as_id(_post(r, "row_version"))), "已开始评标"),
    "propose": (lambda r, pk: decisions.do_propose_disqualification(r.user, as_id(_post(r, "bid")), _post(r, "ground"),
                                                                    _post(r, "note")), "已提议否决，待成员表决"),
    "vote": (lambda r, pk: decisions.do_vote(r.user, as_id(_post(r, "disqualification")), _post(r, "agree") == "1"),
             "已表决"),
    "fail": (lambda r, pk: decisions.do_declare_failed(r.user, pk, as_id(_post(r, "row_version")), _post(r, "reason")),
             "已表决否决全部投标（过半数成员同意即招标失败）"),
    "ask": (lambda r, pk: decisions.do_ask(r.user, as_id(_post(r, "bid")), _post(r, "question")), "澄清通知已发出"),
    "explain": (lambda r, pk: evaluation.do_explain_outlier(r.user, as_id(_post(r, "score")), _post(r, "reason")),
                "偏离说明已保存"),
    "correct": (lambda r, pk: evaluation.do_correct_score(r.user, as_id(_post(r, "score")), _post(r, "points"),
                                                          _post(r, "reason")), "评分已更正"),
    "draft": (lambda r, pk: evaluation_report.do_draft(r.user, pk, _post(r, "summary"), _candidates(r.POST)),
              "评标报告已起草，请全体成员签署"),
    "sign": (lambda r, pk: evaluation_report.do_sign(r.user, pk, _post(r, "dissent")), "已签署评标报告"),
}


def _candidates(post) -> list[dict]:
    rows = []
    for bid in post.getlist("candidate"):
        if as_id(bid):
            rows.append({"bid": as_id(bid), "strengths": post.get(f"strengths_{bid}", ""),
                         "risks": post.get(f"risks_{bid}", "")})
    return rows


@login_required
@require_POST
def evaluation_act(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404(_("没有这个操作"))
    call, success = ACTIONS[action]
    if action != "start":  # the centre starts a lot at the opening; the service checks its right
        _found(lambda: qe.lot_for(request.user, pk))  # outside the user's evaluations: 404
    run_form_action(request, lambda: call(request, pk), _(success))
    return redirect("trading:evaluation", pk=pk)


@login_required
def clarification_list(request):
    if not access.has_perm(request.user, common.ANSWER_CLARIFICATION):
        raise PermissionDenied(_("只有投标人可以答复评标澄清"))
    rows = list(decisions.clarifications_for_bidder(request.user)[:100])
    return render(request, "trading/evaluation_clarifications.html", {"rows": rows, "now": clock.now(),
                                                                       "source": er.CLARIFICATION_SOURCE})


@login_required
@require_POST
def clarification_answer(request, pk: int):
    run_form_action(request, lambda: decisions.do_answer(request.user, pk, _post(request, "answer"),
                                                         _post(request, "no_change_statement") == "1"),
                    _("澄清答复已提交"))
    return redirect("trading:clarifications")


@login_required
def report_pdf(request, pk: int):
    """The signed report as stored, checked against its SHA-256 (kernel.documents.read_document_file)."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    from yingshang.kernel.errors import Conflict
    from yingshang.kernel.services.documents import read_document_file

    doc = _found(lambda: qe.report_document(request.user, pk))
    try:
        data = read_document_file(doc)
    except NotFound as exc:
        raise Http404(exc.message) from None
    except Conflict as exc:
        return HttpResponse(exc.message, status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{doc.number}.pdf")
    response["Cache-Control"] = "private, no-store"
    return response
