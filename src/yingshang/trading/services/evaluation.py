"""Evaluation (评标, issue 12 §7): the centre starts it, each member scores each valid bid independently,
price and credit points are computed, scores are aggregated and outliers flagged. Disqualifications and
clarifications are in `evaluation_decisions`, the report in `evaluation_report`.

Read by the award part: `report_done(lot)` and `report_date(lot)`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.services import workflow
from yingshang.kernel.services.audit import record
from yingshang.trading import rules
from yingshang.trading import rules_evaluation as er
from yingshang.trading.models import Bid, BidResult, CommitteeMember, EvaluationPlan, Lot, Score, ScoreSheet
from yingshang.trading.services import common, credit_gate, lots

fields = common.fields
CENT = Decimal("0.01")


# --- Who and what ----------------------------------------------------------------------------------------
def member_of(user, lot: Lot) -> CommitteeMember:
    """The user's seat on the lot's committee; outside it the lot does not exist for them."""
    common.check_perm(user, common.EVALUATE)
    member = CommitteeMember.objects.filter(lot=lot, user=user, user__isnull=False).first() if user.pk else None
    if member is None:
        raise NotFound("trading.not_found", "标段不存在或您不是其评标委员会成员")
    return member


def evaluating_lot(lot_id) -> Lot:
    lot = Lot.objects.select_related("project", "procedure", "evaluation_plan__method").filter(
        pk=lot_id).first() if type(lot_id) is int else None
    if lot is None:
        raise NotFound("trading.not_found", "标段不存在")
    if lot.status != rules.EVALUATING:
        raise Conflict("trading.not_evaluating", "该标段不在评标阶段", details={"status": lot.status})
    return lot


def plan_of(lot: Lot) -> EvaluationPlan:
    plan = EvaluationPlan.objects.select_related("method").filter(lot=lot).first()
    if plan is None:
        raise Conflict("trading.plan_missing", "该标段尚未设置评标办法")
    return plan


def valid_bids(lot: Lot):
    return Bid.objects.filter(lot=lot, status=rules.BID_DECRYPTED, price__isnull=False).order_by("submitted_at", "pk")


def report_exists(lot: Lot) -> bool:
    from yingshang.trading.models import EvaluationReport

    return EvaluationReport.objects.filter(lot=lot).exists()


def report_done(lot: Lot) -> bool:
    """Whether the committee finished the report (every member signed, PDF stored): the award part may
    then publish the candidates (REG Art. 54 counts from the report)."""
    from yingshang.trading.models import EvaluationReport

    return EvaluationReport.objects.filter(lot=lot, status=EvaluationReport.DONE).exists()


def report_date(lot: Lot):
    """The day the report was completed (the 3-day publicity and 20-day award periods run from it), or None."""
    from django.utils import timezone

    from yingshang.trading.models import EvaluationReport

    done = EvaluationReport.objects.filter(lot=lot, status=EvaluationReport.DONE).values_list("done_at", flat=True)
    return timezone.localtime(done[0]).date() if done else None


# --- Start -----------------------------------------------------------------------------------------------
def check_start(lot: Lot) -> tuple[EvaluationPlan, list[CommitteeMember]]:
    plan = plan_of(lot)
    members = list(lot.committee.all())
    experts = sum(m.role == rules.EXPERT for m in members)
    if breach := rules.check_committee(experts, len(members) - experts):
        raise Conflict(breach.code, breach.message, details={"source": breach.source})
    if missing := [m.name for m in members if m.confirmed_at is None]:
        raise Conflict("trading.committee_unconfirmed", "评标委员会成员尚未全部确认参加：" + "、".join(missing))
    if missing := [m.name for m in members if m.user_id is None]:
        raise Conflict("trading.member_without_account", "以下成员没有评审账号，无法在平台评标：" + "、".join(missing))
    if not valid_bids(lot).exists():
        raise Conflict("trading.no_valid_bids", "没有已解密的有效投标，不能开始评标")
    return plan, members


def do_start(user, lot_id, row_version: int | None) -> Lot:
    """OPENING → EVALUATING by the centre: committee by TBL Art. 37, every member confirmed; credit grades read
    now from the credit pillar (seed 004) and price points computed."""
    common.check_perm(user, common.MANAGE_EVALUATION)
    lot = lots._lock(lot_id, row_version)
    after = rules.LOT_FLOW.require(lot, rules.EVALUATE)
    plan, _members = check_start(lot)
    before = lots.snapshot(lot)
    now = clock.now()
    shares = plan.method.as_rule().credit_shares
    grades = {}
    for bid in valid_bids(lot):
        grade = credit_gate.grade(bid.bidder_uscc)
        grades[bid.bidder_uscc] = grade
        BidResult.objects.update_or_create(bid=bid, defaults={
            "credit_grade": grade, "credit_read_at": now,
            "credit_score": er.credit_score(grade, plan.credit_weight, shares)})
    plan.started_at = now
    benchmark = recompute_prices(lot, plan)
    lot.status = after
    lot.next_check = None  # evaluation waits for people; a clarification's deadline sets it
    workflow.finish(lot, rules.EVALUATE, before, snapshot=lots.snapshot, fields=["status", "next_check"],
                    extra={"credit_grades": grades, "benchmark": str(benchmark) if benchmark is not None else None})
    return lot


def recompute_prices(lot: Lot, plan: EvaluationPlan):
    """Price points of the valid bids now (a rejection changes the mean and the lowest price)."""
    prices = {b.pk: b.price for b in valid_bids(lot)}
    benchmark, scores = er.price_scores(plan.method.as_rule(), prices, plan.price_weight,
                                        float_rate=lot.float_rate, ceiling=lot.ceiling_price)
    for result in BidResult.objects.filter(bid__lot=lot):
        result.price_score = scores.get(result.bid_id)
        result.save(update_fields=["price_score"])
    plan.benchmark = benchmark
    plan.save(update_fields=["benchmark", "started_at"])
    return benchmark


# --- Scoring ---------------------------------------------------------------------------------------------
def _bid_for_member(user, bid_id) -> tuple[Bid, CommitteeMember, EvaluationPlan]:
    bid = Bid.objects.select_related("lot").filter(pk=bid_id).first() if type(bid_id) is int else None
    if bid is None:
        raise NotFound("trading.not_found", "投标文件不存在")
    member = member_of(user, bid.lot)
    evaluating_lot(bid.lot_id)
    if bid.status != rules.BID_DECRYPTED:
        raise Conflict("trading.bid_not_valid", "该投标已被否决或未解密，不再评审", details={"status": bid.status})
    return bid, member, plan_of(bid.lot)


def _points(plan: EvaluationPlan, raw: dict, *, complete: bool) -> dict:
    items = {i.pk: i for i in plan.items.all()}
    raw = {int(k): v for k, v in (raw or {}).items() if str(k).isdigit()}
    if unknown := set(raw) - set(items):
        raise InvalidInput("trading.item_invalid", "评分项不属于本标段", details={"items": sorted(unknown)})
    values = {}
    for pk, item in items.items():
        value = raw.get(pk)
        if value in (None, ""):
            if complete:
                raise InvalidInput("trading.scores_incomplete", f"请为“{item.name}”打分后再提交",
                                   details={"field": f"item_{pk}"})
            continue
        values[pk] = fields.amount(value, f"item_{pk}", item.name, minimum=0, maximum=item.max_points).quantize(CENT)
    return values


def do_save_scores(user, bid_id, points: dict, *, submit: bool = False) -> ScoreSheet:
    """Save the member's scores of one bid (a draft), or submit them: final, and only then are the other
    members' scores of that bid shown to this member."""
    bid, member, plan = _bid_for_member(user, bid_id)
    if not plan.method.scored:
        raise Conflict("trading.method_not_scored", f"{plan.method.name}不设技术、商务打分")
    if report_exists(bid.lot):
        raise Conflict("trading.report_drafted", "评标报告已起草，不能再评分")
    sheet, _ = ScoreSheet.objects.get_or_create(member=member, bid=bid)
    sheet = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)  # one member's two tabs: one at a time
    if sheet.submitted_at:
        raise Conflict("trading.score_submitted", "评分已提交，不能修改；如需更正请说明理由")
    values = _points(plan, points, complete=submit)
    for pk, value in values.items():
        Score.objects.update_or_create(sheet=sheet, item_id=pk, defaults={"points": value})
    if submit:
        sheet.submitted_at = clock.now()
    sheet.row_version += 1
    sheet.save()
    record(f"trading.scoresheet.{'submit' if submit else 'save'}", sheet, after={
        "bid": bid.pk, "member": member.pk, "scores": {str(k): str(v) for k, v in values.items()}})
    return sheet


def _own_score(user, score_id) -> Score:
    score = Score.objects.select_related("sheet__bid__lot", "sheet__member", "item").filter(
        pk=score_id).first() if type(score_id) is int else None
    if score is None or score.sheet.member.user_id != getattr(user, "pk", None):
        raise NotFound("trading.not_found", "评分不存在")
    common.check_perm(user, common.EVALUATE)
    evaluating_lot(score.sheet.bid.lot_id)
    return score


def do_correct_score(user, score_id, points, reason: str) -> Score:
    """A submitted score corrected by its expert, with a reason (audited before and after)."""
    score = _own_score(user, score_id)
    if not score.sheet.submitted_at:
        raise Conflict("trading.score_not_submitted", "评分尚未提交，可直接修改")
    if report_exists(score.sheet.bid.lot):
        raise Conflict("trading.report_drafted", "评标报告已起草，不能再更正评分")
    reason = fields.text(reason, "reason", "更正理由", max_len=500)
    value = fields.amount(points, "points", score.item.name, minimum=0, maximum=score.item.max_points).quantize(CENT)
    before = {"points": str(score.points)}
    score.points = value
    score.save(update_fields=["points"])
    record("trading.score.correct", score, before=before, after={"points": str(value)}, note=reason)
    return score


def do_explain_outlier(user, score_id, reason: str) -> Score:
    score = _own_score(user, score_id)
    if score.pk not in {s.pk for s, _mean in outliers(score.sheet.bid.lot)}:
        raise Conflict("trading.not_outlier", "该评分未偏离，无需说明")
    score.outlier_reason = fields.text(reason, "reason", "偏离说明", max_len=500)
    score.save(update_fields=["outlier_reason"])
    record("trading.score.explain", score, after={"points": str(score.points), "reason": score.outlier_reason})
    return score


def submitted_scores(lot: Lot) -> list[Score]:
    return list(Score.objects.filter(sheet__bid__lot=lot, sheet__submitted_at__isnull=False,
                                     sheet__bid__status=rules.BID_DECRYPTED)
                .select_related("item", "sheet__member", "sheet__bid"))


def outliers(lot: Lot, scores: list[Score] | None = None) -> list[tuple[Score, Decimal]]:
    """Submitted scores deviating from the other members' mean beyond the method's threshold, with that mean."""
    plan = plan_of(lot)
    scores = submitted_scores(lot) if scores is None else scores
    by_cell: dict[tuple[int, int], list[Score]] = defaultdict(list)
    for s in scores:
        by_cell[(s.sheet.bid_id, s.item_id)].append(s)
    flagged = []
    for cell in by_cell.values():
        for s in cell:
            others = [o.points for o in cell if o.pk != s.pk]
            if er.is_outlier(s.points, others, s.item.max_points, plan.method.outlier_share):
                flagged.append((s, er.mean(others)))
    return flagged


@dataclass
class BidTotal:
    bid: Bid
    technical: Decimal | None = None
    commercial: Decimal | None = None
    price: Decimal | None = None
    credit: Decimal | None = None
    credit_grade: str = ""
    sheets: int = 0
    item_means: dict = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum((v for v in (self.technical, self.commercial, self.price, self.credit) if v is not None),
                   Decimal(0))


def aggregate(lot: Lot) -> list[BidTotal]:
    """Per valid bid: the mean of the members' submitted scores per item, summed by part, plus the computed
    price and credit points; best total first (the lowest price first under a price-only method)."""
    scores = submitted_scores(lot)
    results = {r.bid_id: r for r in BidResult.objects.filter(bid__lot=lot)}
    totals = []
    for bid in valid_bids(lot):
        mine = [s for s in scores if s.sheet.bid_id == bid.pk]
        cells: dict[int, list[Score]] = defaultdict(list)
        for s in mine:
            cells[s.item_id].append(s)
        means = {pk: er.mean([s.points for s in cell]) for pk, cell in cells.items()}
        parts = {p: sum((means[pk] for pk, cell in cells.items() if cell[0].item.part == p), Decimal(0))
                 for p in er.PARTS}
        result = results.get(bid.pk)
        totals.append(BidTotal(bid, parts[er.TECHNICAL] if mine else None, parts[er.COMMERCIAL] if mine else None,
                               result.price_score if result else None, result.credit_score if result else None,
                               result.credit_grade if result else "", len({s.sheet_id for s in mine}), means))
    return sorted(totals, key=lambda t: (-t.total, t.bid.price, t.bid.pk))


def progress(lot: Lot) -> list[dict]:
    """Per member: how many of the valid bids they submitted (the centre's and the committee's view)."""
    bids = valid_bids(lot).count()
    done = defaultdict(int)
    for member_id in ScoreSheet.objects.filter(bid__lot=lot, bid__status=rules.BID_DECRYPTED,
                                               submitted_at__isnull=False).values_list("member_id", flat=True):
        done[member_id] += 1
    return [{"member": m, "submitted": done[m.pk], "bids": bids} for m in lot.committee.all()]


def check_is_staff_or_member(user, lot: Lot) -> CommitteeMember | None:
    """The centre sees any evaluation; a member only their own lot's. None for the centre."""
    from yingshang.kernel import access

    if access.has_perm(user, common.MANAGE_EVALUATION):
        return None
    if not access.has_perm(user, common.EVALUATE):
        raise Forbidden("trading.forbidden", "您没有“参与评标”的权限")
    return member_of(user, lot)
