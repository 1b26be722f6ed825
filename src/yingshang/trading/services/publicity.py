"""中标候选人公示 and objections to the evaluation result (Reg. Art. 54), and the lot's suspension while
an objection or a complaint is pending. Helpers the other award services share live here too."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput
from yingshang.kernel.services import workflow
from yingshang.kernel.services.audit import record
from yingshang.trading import rules, rules_award
from yingshang.trading.models import Bid, Complaint, Lot, Publicity, ResultObjection
from yingshang.trading.services import common, lots

MAX_TEXT = 2000
OBJECTION_REASON, COMPLAINT_REASON = "中标候选人公示异议待答复", "投诉处理中，行业监督部门责令暂停"
OUR_REASONS = (OBJECTION_REASON, COMPLAINT_REASON)  # suspensions set by this part; others' are left alone


def refuse(breach: rules.Breach | None, error=Conflict) -> None:
    if breach is not None:
        raise error(breach.code, breach.message, details={"field": breach.field, "source": breach.source})


def lock_lot(lot_id, row_version) -> Lot:
    return workflow.lock(Lot.objects.select_related("project", "project__regulator", "procedure"), lot_id, row_version,
                         rules.LOT_FLOW)


def check_own(user, lot: Lot) -> None:
    lots.check_own(user, lot)


def check_tenderer(user, lot: Lot) -> None:
    """评定分离: the decision is the tenderer's own (seed 004), not its agency's."""
    if not user.uscc or user.uscc != lot.project.tenderer_uscc:
        raise Forbidden("trading.award_tenderer_only", "定标权属于招标人，须由招标人本单位办理")


def bid_of(user, lot: Lot) -> Bid:
    """The user's organisation's bid on the lot (not withdrawn)."""
    bid = (Bid.objects.filter(lot=lot, bidder_uscc=user.uscc or "-").exclude(status=rules.BID_WITHDRAWN)
           .order_by("pk").first())
    if bid is None:
        raise Forbidden("trading.not_a_bidder", "只有该标段的投标人可以办理")
    return bid


def bidder_lots(user):
    return Lot.objects.filter(Q(bids__bidder_uscc=user.uscc or "-") & ~Q(bids__status=rules.BID_WITHDRAWN)).distinct()


def _lot_snapshot(lot: Lot) -> dict:
    return {"suspended": lot.suspended, "suspension_reason": lot.suspension_reason, "row_version": lot.row_version}


def refresh_suspension(lot: Lot) -> None:
    """Set or lift the lot's suspension from what is pending here: an unanswered result objection (Reg.
    Art. 54) or a complaint whose handling suspends the procedure (Reg. Art. 62). Audited when it changes."""
    pending = ResultObjection.objects.filter(lot=lot, status=ResultObjection.PENDING).exists()
    by_complaint = Complaint.objects.filter(lot=lot, suspends_procedure=True, status=rules_award.ACCEPTED).exists()
    reason = OBJECTION_REASON if pending else COMPLAINT_REASON if by_complaint else ""
    if reason:
        if lot.suspended and lot.suspension_reason == reason:
            return
        if lot.suspended and lot.suspension_reason not in OUR_REASONS:
            return  # suspended by another part (an objection to the documents): keep its reason
        action = "suspend"
    elif lot.suspended and lot.suspension_reason in OUR_REASONS:
        action = "resume"
    else:
        return
    before = _lot_snapshot(lot)
    lot.suspended, lot.suspension_reason = bool(reason), reason
    lot.row_version += 1
    lot.save(update_fields=["suspended", "suspension_reason", "row_version", "updated_at"])
    record(f"trading.lot.{action}", lot, before=before, after=_lot_snapshot(lot))


# --- Publicity -------------------------------------------------------------------------------------------
def check_not_suspended(lot: Lot) -> None:
    """While an objection or a complaint suspends the procedure nothing moves it on (Reg. Art. 22, 54, 62)."""
    if lot.suspended:
        raise Conflict("trading.lot_suspended", f"该标段的招标投标活动已暂停：{lot.suspension_reason or '异议或投诉处理中'}",
                       details={"source": "《招标投标法实施条例》第二十二条、第五十四条、第六十二条"})


def report_day(lot: Lot):
    """The day the evaluation report was completed (its candidates are created with it)."""
    from yingshang.trading.services import evaluation

    first = lot.candidates.order_by("created_at").first()
    if first is None:
        raise Conflict("trading.no_candidates", "评标报告尚未推荐中标候选人，不能公示")
    return evaluation.report_date(lot) or timezone.localtime(first.created_at).date()


def _announce_candidates(lot: Lot, publicity: Publicity, user) -> None:
    """The public 中标候选人公示 (REG Art. 54): the candidates' names and prices only, unranked (评定分离)."""
    from datetime import datetime, time, timedelta

    from yingshang.trading import rules_announcements as ra
    from yingshang.trading.services import announcements

    names = "；".join(f"{c.bid.bidder_name}（投标报价 {c.bid.price:,.2f} 元）" if c.bid.price is not None
                     else c.bid.bidder_name for c in lot.candidates.select_related("bid").order_by("pk"))
    method = rules_award.AWARD_METHODS.get(publicity.award_method, publicity.award_method)
    body = (f"{lot.project.name}{lot.name}评标工作已结束，经评标委员会评审，推荐中标候选人（不分先后）：{names}。"
            f"公示期 {publicity.starts_on:%Y-%m-%d} 至 {publicity.ends_on:%Y-%m-%d}；招标人将按招标文件规定的{method}定标。"
            "投标人或者其他利害关系人对公示结果有异议的，应当在公示期间通过本平台提出。")
    ends_at = datetime.combine(publicity.ends_on + timedelta(days=1), time.min, timezone.get_current_timezone())
    announcements.do_publish_announcement(lot, ra.CANDIDATES, f"{lot.project.name}{lot.name}中标候选人公示", body,
                                          published_at=publicity.published_at, ends_at=ends_at, actor=user)


def do_publish(user, lot_id, row_version, *, ends_on, award_method) -> Publicity:
    """Publish the candidates today until `ends_on` (≥ 3 days, within 3 days of the report): EVALUATING → PUBLICITY."""
    common.check_perm(user, common.AWARD)
    lot = lock_lot(lot_id, row_version)
    check_own(user, lot)
    after = rules.LOT_FLOW.require(lot, rules.PUBLICIZE)
    check_not_suspended(lot)
    method = common.fields.choice(award_method, "award_method", "定标方法", rules_award.AWARD_METHODS)
    today = clock.today()
    ends = common.fields.day(ends_on, "ends_on", "公示结束日期", earliest=today)
    if lot.candidates.count() > 3:
        raise Conflict("trading.too_many_candidates", "评标委员会推荐的中标候选人不得超过3个", details={"source": "seed 004"})
    report_on = report_day(lot)
    refuse(rules.check_publicity(report_on, today, ends), InvalidInput)
    publicity = Publicity.objects.create(lot=lot, report_on=report_on, starts_on=today, ends_on=ends,
                                         award_method=method, published_at=clock.now(), published_by=user)
    _announce_candidates(lot, publicity, user)
    before = lots.snapshot(lot)
    lot.status = after
    workflow.finish(lot, rules.PUBLICIZE, before, snapshot=lots.snapshot, fields=["status"], extra={
        "publicity": {"report_on": report_on, "starts_on": today, "ends_on": ends, "award_method": method,
                      "candidates": [c.bid.bidder_name for c in lot.candidates.select_related("bid")]}})
    return publicity


# --- Objections to the result --------------------------------------------------------------------------
def do_object(user, lot_id, *, content) -> ResultObjection:
    """A bidder objects during publicity; the award waits until it is answered (Reg. Art. 54)."""
    common.check_perm(user, common.OBJECT)
    lot = lock_lot(lot_id, None)
    bid = bid_of(user, lot)
    publicity = Publicity.objects.filter(lot=lot).first()
    if lot.status != rules.PUBLICITY or publicity is None:
        raise Conflict("trading.not_in_publicity", "该标段不在中标候选人公示期", details={"status": lot.status})
    today = clock.today()
    refuse(rules_award.check_result_objection(today, publicity.starts_on, publicity.ends_on))
    text = common.fields.text(content, "content", "异议内容", max_len=MAX_TEXT)
    objection = ResultObjection.objects.create(
        lot=lot, raised_by=user, bidder_uscc=bid.bidder_uscc, bidder_name=bid.bidder_name, content=text,
        raised_on=today, answer_due=rules_award.result_objection_answer_due(today), created_at=clock.now())
    record("trading.result_objection.raise", objection, after={"lot": lot.pk, "bidder": bid.bidder_name,
                                                                "answer_due": objection.answer_due.isoformat()})
    refresh_suspension(lot)
    return objection


def do_answer(user, objection_id, row_version, *, answer) -> ResultObjection:
    common.check_perm(user, common.AWARD)
    objection = workflow.lock(ResultObjection.objects.select_related("lot__project"), objection_id, row_version,
                              rules_award.OBJECTION_FLOW)
    lot = lock_lot(objection.lot_id, None)
    check_own(user, lot)
    after = rules_award.OBJECTION_FLOW.require(objection, rules_award.ANSWER)
    text = common.fields.text(answer, "answer", "答复内容", max_len=MAX_TEXT)
    before = {"status": objection.status}
    objection.status, objection.answer, objection.answered_at, objection.answered_by = (
        after, text, clock.now(), user)
    workflow.finish(objection, rules_award.ANSWER, before, snapshot=lambda o: {
        "status": o.status, "answered_on_time": clock.today() <= o.answer_due})
    refresh_suspension(lot)
    return objection

