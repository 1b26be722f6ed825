"""Evaluation (评标) endpoints on the trading router: methods, the lot's plan, start, score sheets, outlier
reasons and corrections, disqualifications and votes, declaring the tender failed, clarifications (the
committee asks, the bidder answers), the report (draft, sign, PDF hash). Errors as in `trading.api`."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from yingshang.kernel import clock
from yingshang.trading import queries
from yingshang.trading import queries_evaluation as qe
from yingshang.trading import rules_evaluation as er
from yingshang.trading.api import ERRORS, router
from yingshang.trading.api_schemas import (
    AnswerIn,
    CorrectionIn,
    DisqualificationIn,
    EvaluationPlanIn,
    FailIn,
    QuestionIn,
    ReasonIn,
    ReportIn,
    ScoreSheetIn,
    SignIn,
    VersionIn,
    VoteIn,
)
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


def _s(value) -> str | None:
    return None if value is None else str(value)


def _plan(plan: EvaluationPlan | None) -> dict | None:
    if plan is None:
        return None
    return {"id": plan.pk, "row_version": plan.row_version, "method": plan.method.code, "method_name": plan.method.name,
            "technical_weight": _s(plan.technical_weight), "commercial_weight": _s(plan.commercial_weight),
            "price_weight": _s(plan.price_weight), "credit_weight": _s(plan.credit_weight), "ranked": plan.ranked,
            "clarification_hours": plan.clarification_hours, "benchmark": _s(plan.benchmark),
            "items": [{"id": i.pk, "part": i.part, "name": i.name, "max_points": _s(i.max_points)}
                      for i in plan.items.all()]}


@router.get("/evaluation-methods", response={200: dict, **ERRORS}, summary="评标办法（施行中）及否决投标理由",
            description="综合评估法、经评审的最低投标价法、合理低价法、政府采购综合评分法（低价优先）的规则数据及依据。")
def list_methods(request):
    common.check_perm(request.user, common.VIEW)
    return {"methods": [{"code": m.code, "name": m.name, "regime": m.regime, "effective_from": m.effective_from,
                         "price_formula": m.price_formula, "scored": m.scored,
                         "min_credit_weight": m.min_credit_weight, "price_weight_range": m.price_weight_range,
                         "credit_shares": m.credit_shares, "outlier_share": m.outlier_share, "source": m.source}
                        for m in rulebook.methods_in_force(clock.today())],
            "grounds": er.GROUNDS, "grounds_source": er.DISQUALIFY_SOURCE}


@router.get("/lots/{lot_id}/evaluation-plan", response={200: dict, **ERRORS}, summary="标段的评标办法")
def get_plan(request, lot_id: int):
    lot = queries.lot(request.user, lot_id)
    return {"plan": _plan(EvaluationPlan.objects.filter(lot=lot).first())}


@router.put("/lots/{lot_id}/evaluation-plan", response={200: dict, **ERRORS}, summary="设置评标办法（招标人或代理机构）",
            description="投标截止前设置：权重之和100，综合评估法信用权重不低于10%，各类评分项分值之和等于权重。")
def put_plan(request, lot_id: int, body: EvaluationPlanIn):
    queries.lot(request.user, lot_id)
    data = body.model_dump()
    with transaction.atomic():
        plan = evaluation_plans.do_set_plan(request.user, lot_id, data, data.pop("row_version"))
    return {"plan": _plan(plan)}


@router.post("/lots/{lot_id}/evaluation/start", response={200: dict, **ERRORS}, summary="开始评标（交易中心）")
def start(request, lot_id: int, body: VersionIn):
    with transaction.atomic():
        lot = evaluation.do_start(request.user, lot_id, body.row_version)
    return {"status": lot.status, "row_version": lot.row_version}


@router.get("/evaluations", response={200: dict, **ERRORS}, summary="我的评标（成员）/ 评标组织（交易中心）",
            description="评标专家只看到本人为评标委员会成员且正在评标的标段。")
def list_evaluations(request):
    rows = qe.evaluations_for(request.user)[:100]
    return {"items": [{"id": lot.pk, "name": lot.name, "project_name": lot.project.name, "status": lot.status,
                       "status_label": lot.status_label, "row_version": lot.row_version} for lot in rows]}


@router.get("/lots/{lot_id}/evaluation", response={200: dict, **ERRORS}, summary="评标进度与结果",
            description="成员只看到本人已提交的投标的汇总分；交易中心在评标报告起草后看到汇总分。")
def get_evaluation(request, lot_id: int):
    view = qe.overview(request.user, lot_id)
    report = view["report"]
    return {
        "lot": {"id": view["lot"].pk, "status": view["lot"].status, "row_version": view["lot"].row_version},
        "plan": _plan(view["plan"]),
        "bids": [{"id": r["bid"].pk, "bidder_name": r["bid"].bidder_name, "price": _s(r["bid"].price),
                  "status": r["bid"].status, "credit_grade": r["result"].credit_grade if r["result"] else None,
                  "credit_score": _s(r["result"].credit_score) if r["result"] else None,
                  "price_score": _s(r["result"].price_score) if r["result"] else None,
                  "my_sheet_submitted": bool(r["sheet"] and r["sheet"].submitted_at)} for r in view["bids"]],
        "progress": [{"member": p["member"].name, "submitted": p["submitted"], "bids": p["bids"]}
                     for p in view["progress"]],
        "totals": [{"bid": t.bid.pk, "technical": _s(t.technical), "commercial": _s(t.commercial),
                    "price": _s(t.price), "credit": _s(t.credit), "total": _s(t.total)} for t in view["totals"]],
        "disqualifications": [{"id": d.pk, "bid": d.bid_id, "ground": d.ground, "note": d.note, "status": d.status,
                               "agrees": d.agrees, "against": d.against} for d in view["disqualifications"]],
        "outliers": [{"score": s.pk, "bid": s.sheet.bid_id, "item": s.item.name, "points": _s(s.points),
                      "others_mean": _s(m), "reason": s.outlier_reason} for s, m in view["outliers"]],
        "clarifications": [_clarification(c) for c in view["clarifications"]],
        "report": _report(report, view) if report else None,
    }


def _clarification(c) -> dict:
    return {"id": c.pk, "bid": c.bid_id, "question": c.question, "asked_at": c.asked_at, "due_at": c.due_at,
            "answer": c.answer, "answered_at": c.answered_at, "no_change_statement": c.no_change_statement}


def _report(report, view) -> dict:
    return {"status": report.status, "summary": report.summary, "sha256": report.sha256,
            "done_on": timezone.localtime(report.done_at).date() if report.done_at else None,
            "verification_code": report.document.verification_code if report.document_id else None,
            "candidates": [{"bid": c.bid_id, "bidder_name": c.bid.bidder_name, "rank": c.rank,
                            "total_score": _s(c.total_score), "strengths": c.strengths, "risks": c.risks}
                           for c in view["report_candidates"]],
            "signatures": [{"member": s.member.name, "signed_at": s.signed_at, "dissent": s.dissent}
                           for s in view["signatures"]]}


@router.get("/bids/{bid_id}/score-sheet", response={200: dict, **ERRORS}, summary="我的评分表")
def get_sheet(request, bid_id: int):
    view = qe.sheet(request.user, bid_id)
    return {"bid": bid_id, "submitted_at": view["sheet"].submitted_at if view["sheet"] else None,
            "items": [{"id": r["item"].pk, "part": r["item"].part, "name": r["item"].name,
                       "max_points": _s(r["item"].max_points), "points": _s(r["score"].points) if r["score"] else None,
                       "score_id": r["score"].pk if r["score"] else None} for r in view["items"]],
            "others": [{"member": s.sheet.member.name, "item": s.item_id, "points": _s(s.points)}
                       for s in view["others"]]}


@router.put("/bids/{bid_id}/score-sheet", response={200: dict, **ERRORS}, summary="保存或提交评分",
            description="提交后不可修改（409 trading.score_submitted），更正须说明理由。")
def put_sheet(request, bid_id: int, body: ScoreSheetIn):
    with transaction.atomic():
        evaluation.do_save_scores(request.user, bid_id, body.scores, submit=body.submit)
    return get_sheet(request, bid_id)


@router.post("/scores/{score_id}/correct", response={200: dict, **ERRORS}, summary="更正已提交的评分（须说明理由）")
def correct(request, score_id: int, body: CorrectionIn):
    with transaction.atomic():
        score = evaluation.do_correct_score(request.user, score_id, body.points, body.reason)
    return {"score": score.pk, "points": _s(score.points)}


@router.post("/scores/{score_id}/explain", response={200: dict, **ERRORS}, summary="说明偏离评分的理由")
def explain(request, score_id: int, body: ReasonIn):
    with transaction.atomic():
        score = evaluation.do_explain_outlier(request.user, score_id, body.reason)
    return {"score": score.pk, "reason": score.outlier_reason}


@router.post("/bids/{bid_id}/disqualifications", response={201: dict, **ERRORS}, summary="提议否决投标")
def propose(request, bid_id: int, body: DisqualificationIn):
    with transaction.atomic():
        d = decisions.do_propose_disqualification(request.user, bid_id, body.ground, body.note)
    return 201, {"id": d.pk, "status": d.status}


@router.post("/disqualifications/{disq_id}/votes", response={200: dict, **ERRORS}, summary="表决否决提议",
             description="全体成员过半数同意即否决（投标状态 rejected），过半数不可能时提议不通过。")
def vote(request, disq_id: int, body: VoteIn):
    with transaction.atomic():
        d = decisions.do_vote(request.user, disq_id, body.agree)
    return {"id": d.pk, "status": d.status}


@router.post("/lots/{lot_id}/evaluation/fail", response={200: dict, **ERRORS}, summary="否决全部投标（有效投标不足3个）")
def fail(request, lot_id: int, body: FailIn):
    with transaction.atomic():
        lot = decisions.do_declare_failed(request.user, lot_id, body.row_version, body.reason)
    return {"status": lot.status, "row_version": lot.row_version}


@router.post("/bids/{bid_id}/clarifications", response={201: dict, **ERRORS}, summary="向投标人发出澄清通知")
def ask(request, bid_id: int, body: QuestionIn):
    with transaction.atomic():
        c = decisions.do_ask(request.user, bid_id, body.question)
    return 201, _clarification(c)


@router.get("/clarifications", response={200: dict, **ERRORS}, summary="我的评标澄清通知（投标人）")
def my_clarifications(request):
    rows = decisions.clarifications_for_bidder(request.user)[:100]
    return {"items": [{**_clarification(c), "lot_name": c.bid.lot.name, "project_name": c.bid.lot.project.name}
                      for c in rows]}


@router.post("/clarifications/{clar_id}/answer", response={200: dict, **ERRORS}, summary="答复澄清（投标人）")
def answer(request, clar_id: int, body: AnswerIn):
    with transaction.atomic():
        c = decisions.do_answer(request.user, clar_id, body.answer, body.no_change_statement)
    return _clarification(c)


@router.post("/lots/{lot_id}/evaluation/report", response={201: dict, **ERRORS}, summary="起草评标报告",
             description="推荐不超过3名中标候选人（除招标文件要求外不排序），每名写明优势和风险。")
def draft(request, lot_id: int, body: ReportIn):
    with transaction.atomic():
        evaluation_report.do_draft(request.user, lot_id, body.summary, [c.model_dump() for c in body.candidates])
    return 201, get_evaluation(request, lot_id)["report"]


@router.post("/lots/{lot_id}/evaluation/report/sign", response={200: dict, **ERRORS}, summary="签署评标报告",
             description="不同意评标结果的成员写明不同意见和理由；全体签署后生成 PDF 并推荐候选人。")
def sign(request, lot_id: int, body: SignIn):
    with transaction.atomic():
        evaluation_report.do_sign(request.user, lot_id, body.dissent)
    return get_evaluation(request, lot_id)["report"]


@router.get("/lots/{lot_id}/evaluation/report.pdf", response={404: dict, 409: dict}, summary="下载评标报告 PDF",
            description="评标委员会成员、交易中心及可查看该标段者（招标人、代理机构、行业监督部门）；文件按 SHA-256 校验。")
def report_pdf(request, lot_id: int):
    from yingshang.trading.views_evaluation import report_pdf as page

    return page(request, lot_id)
