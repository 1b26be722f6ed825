"""Reading an evaluation within the reader's rights: the centre sees every evaluation's progress; a member
only the lots whose committee they sit on, only while in evaluation, and other members' scores of a bid
only after submitting their own; nobody sees a member's unsubmitted scores but that member."""

from __future__ import annotations

from django.db.models import Q

from yingshang.kernel import access
from yingshang.kernel.errors import NotFound
from yingshang.trading import rules
from yingshang.trading import rules_evaluation as er
from yingshang.trading.models import (
    Bid,
    BidClarification,
    BidResult,
    Disqualification,
    EvaluationReport,
    FailureVote,
    Lot,
    Score,
    ScoreSheet,
)
from yingshang.trading.services import common, evaluation

RELATED = ("project", "procedure")


def evaluations_for(user):
    """The centre: lots at the opening (to start) and in evaluation; a member: their lots in evaluation."""
    if access.has_perm(user, common.MANAGE_EVALUATION):
        return (Lot.objects.filter(common.lot_scope(user), status__in=(rules.OPENING, rules.EVALUATING))
                .select_related(*RELATED).order_by("status", "bid_deadline", "pk"))
    common.check_perm(user, common.EVALUATE)
    return (Lot.objects.filter(status=rules.EVALUATING, committee__user=user).select_related(*RELATED)
            .distinct().order_by("bid_deadline", "pk"))


def lot_for(user, lot_id) -> tuple[Lot, object]:
    """(lot, the user's committee seat or None for the centre); NotFound outside the user's evaluations."""
    lot = evaluations_for(user).filter(pk=lot_id).first() if type(lot_id) is int else None
    if lot is None:
        raise NotFound("trading.not_found", "标段不存在或不在您的评标范围内")
    member = None if access.has_perm(user, common.MANAGE_EVALUATION) else evaluation.member_of(user, lot)
    return lot, member


def overview(user, lot_id) -> dict:
    lot, member = lot_for(user, lot_id)
    plan = getattr(lot, "evaluation_plan", None)
    report = EvaluationReport.objects.filter(lot=lot).first()
    bids = list(Bid.objects.filter(lot=lot, status__in=(rules.BID_DECRYPTED, rules.BID_REJECTED))
                .order_by("submitted_at", "pk"))
    results = {r.bid_id: r for r in BidResult.objects.filter(bid__lot=lot)}
    mine = ({s.bid_id: s for s in ScoreSheet.objects.filter(member=member)} if member else {})
    disqualifications = list(Disqualification.objects.filter(bid__lot=lot).select_related("bid", "proposed_by")
                             .prefetch_related("votes"))
    for d in disqualifications:
        d.agrees = sum(v.agree for v in d.votes.all())
        d.against = sum(not v.agree for v in d.votes.all())
        d.my_vote = next((v.agree for v in d.votes.all() if member and v.member_id == member.pk), None)
    started = lot.status == rules.EVALUATING
    totals = evaluation.aggregate(lot) if started and plan else []
    if member is not None:  # only the bids whose sheet this member submitted (price-only: no sheets at all)
        scored = plan.method.scored if plan else False
        totals = [t for t in totals if not scored or (t.bid.pk in mine and mine[t.bid.pk].submitted_at)]
    elif report is None:
        totals = []  # the centre sees the results with the report
    my_outliers = ([(s, m) for s, m in evaluation.outliers(lot) if s.sheet.member_id == member.pk]
                   if member and started and plan else [])
    return {
        "lot": lot, "plan": plan, "items": list(plan.items.all()) if plan else [], "member": member,
        "committee": list(lot.committee.all()), "started": started, "report": report,
        "signatures": list(report.signatures.select_related("member")) if report else [],
        "report_candidates": list(report.candidates.select_related("bid")) if report else [],
        "signed": bool(report and member and any(s.member_id == member.pk for s in report.signatures.all())),
        "bids": [{"bid": b, "result": results.get(b.pk), "sheet": mine.get(b.pk)} for b in bids],
        "progress": evaluation.progress(lot) if started else [], "totals": totals,
        "disqualifications": disqualifications, "outliers": my_outliers,
        "clarifications": list(BidClarification.objects.filter(bid__lot=lot).select_related("bid")),
        "grounds": er.GROUNDS, "failure_votes": FailureVote.objects.filter(lot=lot).count(),
    }


def sheet(user, bid_id) -> dict:
    """The member's own sheet of a bid; the others' submitted scores only once this member has submitted."""
    bid = Bid.objects.select_related("lot__project").filter(pk=bid_id).first() if type(bid_id) is int else None
    if bid is None:
        raise NotFound("trading.not_found", "投标文件不存在")
    lot, member = lot_for(user, bid.lot_id)
    if member is None:
        raise NotFound("trading.not_found", "只有评标委员会成员可以查看评分表")
    own = ScoreSheet.objects.filter(member=member, bid=bid).first()
    scores = {s.item_id: s for s in Score.objects.filter(sheet=own)} if own else {}
    others = []
    if own and own.submitted_at:
        others = list(Score.objects.filter(~Q(sheet=own), sheet__bid=bid, sheet__submitted_at__isnull=False)
                      .select_related("sheet__member", "item").order_by("sheet__member_id", "item__seq"))
    plan = lot.evaluation_plan
    return {"lot": lot, "bid": bid, "member": member, "plan": plan, "sheet": own,
            "items": [{"item": i, "score": scores.get(i.pk)} for i in plan.items.all()],
            "others": others, "result": BidResult.objects.filter(bid=bid).first()}


def report_document(user, lot_id):
    """The finished report's kernel document, for the committee, the centre and whoever sees the lot (the
    tenderer decides on it under 评定分离; the regulator supervises)."""
    lot = Lot.objects.filter(pk=lot_id).first() if type(lot_id) is int else None
    report = EvaluationReport.objects.select_related("document").filter(lot=lot, status=EvaluationReport.DONE).first() \
        if lot else None
    on_committee = bool(lot and user.pk and lot.committee.filter(user=user).exists())
    in_scope = bool(lot and access.has_perm(user, common.VIEW) and Lot.objects.filter(
        common.lot_scope(user), pk=lot.pk).exists())
    if report is None or not (on_committee or in_scope):
        raise NotFound("trading.report_not_found", "评标报告不存在或尚未完成")
    return report.document
