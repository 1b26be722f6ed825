"""The evaluation report (评标报告, REG Art. 53): drafted by a member once every score is in and explained,
recommending at most 3 candidates — unranked under 评定分离 unless the plan says so, each with strengths and
risks (seed 004); signed by every member (a dissent recorded with its reasons); then the `Candidate` rows
and the PDF (a kernel document with SHA-256). The lot stays in `evaluating`: the award part publishes."""

from __future__ import annotations

from django.utils import timezone

from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, InvalidInput, NotFound
from yingshang.kernel.services import documents
from yingshang.kernel.services.audit import record
from yingshang.trading import rules
from yingshang.trading import rules_evaluation as er
from yingshang.trading.models import (
    BidClarification,
    Candidate,
    Disqualification,
    EvaluationReport,
    ReportCandidate,
    ReportSignature,
    ScoreSheet,
)
from yingshang.trading.services import common, evaluation

DOCUMENT_KIND = "trading.evaluation_report"
fields = common.fields


def check_ready(lot) -> None:
    """Everything the report rests on is settled."""
    plan = evaluation.plan_of(lot)
    bids = list(evaluation.valid_bids(lot))
    if plan.method.scored:
        members = lot.committee.count()
        done = ScoreSheet.objects.filter(bid__in=bids, submitted_at__isnull=False).count()
        if done < members * len(bids):
            raise Conflict("trading.scores_pending", f"评分尚未全部提交（{done}/{members * len(bids)}）")
    if unexplained := [s for s, _m in evaluation.outliers(lot) if not s.outlier_reason]:
        raise Conflict("trading.outliers_unexplained", f"有{len(unexplained)}项偏离评分尚未说明理由",
                       details={"scores": [s.pk for s in unexplained]})
    if Disqualification.objects.filter(bid__lot=lot, status=Disqualification.PROPOSED).exists():
        raise Conflict("trading.disqualification_open", "尚有否决提议未表决")
    if BidClarification.objects.filter(bid__lot=lot, answered_at__isnull=True, due_at__gt=clock.now()).exists():
        raise Conflict("trading.clarification_pending", "尚有澄清在答复期内未答复")


def do_draft(user, lot_id, summary: str, candidates: list) -> EvaluationReport:
    lot = evaluation.evaluating_lot(lot_id)
    member = evaluation.member_of(user, lot)
    from yingshang.trading.models import Lot

    Lot.objects.select_for_update(of=("self",)).filter(pk=lot.pk).first()  # one draft per lot
    if evaluation.report_exists(lot):
        raise Conflict("trading.report_exists", "评标报告已起草")
    check_ready(lot)
    plan = evaluation.plan_of(lot)
    summary = fields.text(summary, "summary", "评标情况说明", max_len=4000)
    totals = {t.bid.pk: t for t in evaluation.aggregate(lot)}
    rows = candidates if isinstance(candidates, list) else []
    if breach := er.check_candidates(len(rows), len(totals)):
        raise InvalidInput(breach.code, breach.message, details={"field": "candidates", "source": breach.source})
    picked = []
    for row in rows:
        row = row if isinstance(row, dict) else {}
        bid_id = row.get("bid")
        if bid_id not in totals or bid_id in [p[0] for p in picked]:
            raise InvalidInput("trading.candidates_invalid", "中标候选人须为不重复的有效投标", details={"field": "candidates"})
        picked.append((bid_id, fields.text(row.get("strengths"), "strengths", "优势", max_len=2000),
                       fields.text(row.get("risks"), "risks", "风险", max_len=2000)))
    order = list(totals)  # best first
    picked.sort(key=lambda p: order.index(p[0]))
    report = EvaluationReport.objects.create(lot=lot, summary=summary, drafted_by=member, drafted_at=clock.now())
    ReportCandidate.objects.bulk_create([
        ReportCandidate(report=report, bid_id=bid_id, rank=i if plan.ranked else None,
                        total_score=totals[bid_id].total, strengths=strengths, risks=risks)
        for i, (bid_id, strengths, risks) in enumerate(picked, 1)])
    record("trading.evaluationreport.draft", report, after={
        "candidates": [p[0] for p in picked], "ranked": plan.ranked, "source": er.REPORT_SOURCE})
    return report


def _report(lot_id) -> EvaluationReport:
    report = (EvaluationReport.objects.select_for_update(of=("self",)).select_related("lot__project")
              .filter(lot_id=lot_id).first() if type(lot_id) is int else None)
    if report is None:
        raise NotFound("trading.report_not_found", "评标报告尚未起草")
    return report


def do_sign(user, lot_id, dissent: str = "") -> EvaluationReport:
    """A member signs, recording a dissent with reasons if they disagree (REG Art. 53); the last signature
    completes the report. The report row is locked, so two last signatures finish it once."""
    lot = evaluation.evaluating_lot(lot_id)
    member = evaluation.member_of(user, lot)
    report = _report(lot.pk)
    if report.status == EvaluationReport.DONE:
        raise Conflict("trading.report_done", "评标报告已完成")
    if ReportSignature.objects.filter(report=report, member=member).exists():
        raise Conflict("trading.already_signed", "您已签署评标报告")
    dissent = fields.text(dissent, "dissent", "不同意见及理由", required=False, max_len=2000)
    ReportSignature.objects.create(report=report, member=member, signed_at=clock.now(), dissent=dissent)
    record("trading.evaluationreport.sign", report, after={"member": member.pk, "dissent": dissent})
    if ReportSignature.objects.filter(report=report).count() == lot.committee.count():
        _finish(report)
    return report


def _finish(report: EvaluationReport) -> None:
    lot = report.lot
    now = clock.now()
    rows = list(report.candidates.select_related("bid"))
    Candidate.objects.bulk_create([Candidate(lot=lot, bid=c.bid, total_score=c.total_score, strengths=c.strengths,
                                             risks=c.risks, created_at=now) for c in rows])
    doc = documents.do_issue_document(DOCUMENT_KIND, f"{lot.project.name} {lot.name} 评标报告"[:200],
                                      sections=_sections(report, rows), fields=_fields(report, lot),
                                      holder_name=lot.project.tenderer_name[:100], obj=report)
    report.status, report.done_at, report.document, report.sha256 = EvaluationReport.DONE, now, doc, doc.sha256
    report.row_version += 1
    report.save(update_fields=["status", "done_at", "document", "sha256", "row_version"])
    record("trading.evaluationreport.finish", report, after={"document": doc.pk, "sha256": doc.sha256,
                                                             "candidates": [c.bid_id for c in rows]})


def _fields(report: EvaluationReport, lot) -> list[tuple[str, str]]:
    plan = evaluation.plan_of(lot)
    return [("招标项目", lot.project.name), ("标段", lot.name), ("招标人", lot.project.tenderer_name),
            ("评标办法", plan.method.name),
            ("权重（技术/商务/价格/信用）", " / ".join(f"{w.normalize():f}" for w in (
                plan.technical_weight, plan.commercial_weight, plan.price_weight, plan.credit_weight))),
            ("评标基准价（元）", f"{plan.benchmark:.2f}" if plan.benchmark is not None else "—"),
            ("候选人排序", "按得分排序" if plan.ranked else "不排序（评定分离）"),
            ("完成时间", timezone.localtime(clock.now()).strftime("%Y-%m-%d %H:%M"))]


def _sections(report: EvaluationReport, rows) -> list:
    lot = report.lot
    totals = evaluation.aggregate(lot)
    rejected = Disqualification.objects.filter(bid__lot=lot, status=Disqualification.UPHELD).select_related("bid")
    signatures = report.signatures.select_related("member")
    return [
        ("一、评标情况", [report.summary]),
        ("二、投标评审结果", [f"{t.bid.bidder_name}：报价 {t.bid.price:.2f} 元，技术 {t.technical or 0}，"
                        f"商务 {t.commercial or 0}，价格 {t.price or 0}，信用 {t.credit or 0}"
                        f"（等级 {t.credit_grade or '无'}），合计 {t.total}" for t in totals] or ["无有效投标"]),
        ("三、否决投标", [f"{d.bid.bidder_name}：{d.ground_label}。{d.note}（{er.DISQUALIFY_SOURCE}）" for d in rejected]
         or ["无"]),
        ("四、推荐的中标候选人", [f"{'第' + str(c.rank) + '名 ' if c.rank else ''}{c.bid.bidder_name}（得分 {c.total_score}）"
                          f"。优势：{c.strengths}；风险：{c.risks}" for c in rows]),
        ("五、评标委员会成员签署", [f"{s.member.name}（{rules.COMMITTEE_ROLES.get(s.member.role, '')}）"
                           f" {timezone.localtime(s.signed_at):%Y-%m-%d %H:%M}" +
                           (f"；不同意见：{s.dissent}" if s.dissent else "") for s in signatures]),
    ]
