"""投诉 (Reg. Art. 60–62): a bidder files online within 10 days of knowing, with the template's facts,
grounds and request and evidence (kernel uploads); for Art. 22/44/54 matters after an objection. The
project's industry regulator accepts or not within 3 working days, decides within 30 working days of
acceptance on the kernel calendar, the clock stopped for testing, appraisal and expert review; it may
suspend the procedure (lifted at the decision); the decision is published; malicious complaints are
recorded (seed 004) for the credit office."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from yingshang.kernel import access, clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.services import calendar, notifications, uploads, workflow
from yingshang.kernel.services.audit import record
from yingshang.trading import rules, rules_award
from yingshang.trading.models import Complaint, ComplaintClockStop, ComplaintEvidence, ResultObjection
from yingshang.trading.services import common
from yingshang.trading.services.publicity import bid_of, lock_lot, refresh_suspension, refuse

MAX_EVIDENCE = 10
RELATED = ("lot", "lot__project", "regulator")


def _working(stops):
    return lambda start, n: calendar.add_working_days(start, n, stops).date


def stop_pairs(complaint: Complaint, today) -> list[tuple]:
    """Clock-stops as (from, to) pairs, an open one counted up to today (the due date is then a projection)."""
    return [(s.from_date, s.to_date or max(s.from_date, today)) for s in complaint.clock_stops.all()]


def recompute(complaint: Complaint) -> None:
    if complaint.accepted_on is not None:
        complaint.decide_by = rules_award.complaint_decide_by(
            complaint.accepted_on, _working(stop_pairs(complaint, clock.today())))


def snapshot(c: Complaint) -> dict:
    return {"status": c.status, "row_version": c.row_version, "decide_by": c.decide_by.isoformat() if c.decide_by else None,
            "suspends_procedure": c.suspends_procedure, "outcome": c.outcome, "malicious": c.malicious}


# --- Filing ----------------------------------------------------------------------------------------------
def do_file(user, lot_id, data: dict, evidence=()) -> Complaint:
    """`data`: matter, known_on, facts, grounds, request, prior_objection_on (Art. 22/44 matters);
    `evidence`: (title, uploaded file) pairs."""
    common.check_perm(user, common.OBJECT)
    lot = lock_lot(lot_id, None)
    bid = bid_of(user, lot)
    if lot.status in rules.LOT_FLOW.final_states:
        raise Conflict("trading.lot_closed", "该标段已结束，不能再投诉", details={"status": lot.status})
    fields, today = common.fields, clock.today()
    matter = fields.choice(data.get("matter"), "matter", "投诉事项", rules_award.COMPLAINT_MATTERS)
    known_on = fields.day(data.get("known_on"), "known_on", "知道或应当知道之日", latest=today)
    refuse(rules.check_complaint(known_on, today), InvalidInput)
    objection, prior_on = None, None
    if matter == rules_award.RESULT:
        objection = ResultObjection.objects.filter(lot=lot, bidder_uscc=bid.bidder_uscc).order_by("pk").first()
    elif matter in rules_award.OBJECTION_FIRST:
        # The objection raised on the platform counts first; a date is declared only for one raised otherwise.
        prior_on = _platform_objection_day(lot, bid, matter) or fields.day(
            data.get("prior_objection_on"), "prior_objection_on", "在先异议提出日期", latest=today, required=False)
    refuse(rules_award.check_objection_first(matter, objection is not None or prior_on is not None), InvalidInput)
    texts = {f: fields.text(data.get(f), f, label, max_len=n) for f, label, n in (
        ("facts", "投诉事实", 4000), ("grounds", "法律依据", 2000), ("request", "投诉请求", 2000))}
    evidence = list(evidence)
    if len(evidence) > MAX_EVIDENCE:
        raise InvalidInput("trading.evidence_too_many", f"证据最多 {MAX_EVIDENCE} 份", details={"field": "evidence"})
    checked = [(fields.text(title or "证据材料", "evidence_title", "证据名称", max_len=100),
                upload, uploads.check_upload(upload, label="证据材料")) for title, upload in evidence]
    complaint = Complaint.objects.create(
        lot=lot, regulator=lot.project.regulator, filed_by=user, complainant_uscc=bid.bidder_uscc,
        complainant_name=bid.bidder_name, matter=matter, objection=objection, prior_objection_on=prior_on,
        known_on=known_on, received_on=today, accept_by=rules_award.complaint_accept_by(today, _working(())),
        created_at=clock.now(), **texts)
    for title, upload, check in checked:
        ComplaintEvidence.objects.create(complaint=complaint, title=title, file=uploads.do_store(user, upload, checked=check))
    record("trading.complaint.file", complaint, after=snapshot(complaint) | {
        "lot": lot.pk, "matter": matter, "accept_by": complaint.accept_by.isoformat(), "evidence": len(checked)})
    _tell_regulator(complaint)
    return complaint


def _platform_objection_day(lot, bid, matter):
    """The day the bidder objected on the platform to the documents (REG Art. 22) or at the opening (Art. 44)."""
    from yingshang.trading.models import DocumentObjection, OpeningObjection

    if matter == rules_award.DOCUMENTS:
        found = DocumentObjection.objects.filter(lot=lot, uscc=bid.bidder_uscc).order_by("raised_at").first()
    else:
        found = OpeningObjection.objects.filter(lot=lot, bid__bidder_uscc=bid.bidder_uscc).order_by("raised_at").first()
    return timezone.localtime(found.raised_at).date() if found else None


def _tell_regulator(complaint: Complaint) -> None:
    """The regulator's staff learn of a new complaint at once: the 3 working days to accept run from today."""
    from yingshang.kernel.models import User
    from yingshang.kernel.services.notifications import do_notify

    staff = User.objects.filter(department=complaint.regulator, is_active=True,
                                roles__code__in=sorted(common.PERMISSIONS[common.COMPLAINTS])).distinct()[:50]
    do_notify(list(staff), f"新投诉待受理：{complaint.lot}", f"投诉人 {complaint.complainant_name}，请于 "
              f"{complaint.accept_by:%Y-%m-%d} 前决定是否受理（实施条例第六十一条）。", channels=("site",), obj=complaint)


# --- Reading ---------------------------------------------------------------------------------------------
def complaints_for(user):
    """The regulator its industry's complaints; a bidder its own; the centre all."""
    base = Complaint.objects.select_related(*RELATED)
    if access.has_perm(user, common.COMPLAINTS):
        return base.filter(access.department_filter(user, "regulator"))
    if access.has_perm(user, common.OBJECT):
        return base.filter(complainant_uscc=user.uscc or "-")
    if access.has_perm(user, common.ARCHIVE):
        return base
    raise Forbidden("trading.forbidden", "您没有查看投诉的权限")


def complaint(user, pk) -> Complaint:
    found = complaints_for(user).filter(pk=pk).first() if type(pk) is int and 0 < pk < 2**62 else None
    if found is None:
        raise NotFound("trading.complaint_not_found", "投诉不存在或不在您的查看范围内")
    return found


def malicious(user):
    common.check_perm(user, common.MALICIOUS)
    scope = access.department_filter(user, "regulator") if access.has_perm(user, common.COMPLAINTS) else Q()
    return Complaint.objects.filter(scope, malicious=True).select_related(*RELATED).order_by("-decided_on", "-pk")


def published():
    return (Complaint.objects.filter(status=rules_award.DECIDED, published_at__isnull=False)
            .select_related(*RELATED).order_by("-published_at", "-pk"))


def overdue_filter(today) -> Q:
    """Complaints past their acceptance or decision due date (for the regulator's queue)."""
    return (Q(status=rules_award.FILED, accept_by__lt=today)
            | Q(status=rules_award.ACCEPTED, decide_by__lt=today))


def overdue_of(c: Complaint):
    return rules_award.complaint_overdue(c.status, clock.today(), c.accept_by, c.decide_by)


# --- Handling (the regulator) ------------------------------------------------------------------------------
def _lock(user, complaint_id, row_version) -> Complaint:
    common.check_perm(user, common.COMPLAINTS)
    found = workflow.lock(Complaint.objects.select_related("lot"), complaint_id, row_version, rules_award.COMPLAINT_FLOW)
    if not Complaint.objects.filter(pk=found.pk).filter(access.department_filter(user, "regulator")).exists():
        raise NotFound("trading.complaint_not_found", "投诉不存在或不在您的查看范围内")
    return found


def _finish(c: Complaint, user, action: str, before: dict, **extra) -> Complaint:
    c.handled_by = user
    workflow.finish(c, action, before, snapshot=snapshot, extra=extra or None)
    return c


def _tell_complainant(c: Complaint, what: str) -> None:
    notifications.do_notify([c.filed_by], f"投诉处理进展：{what}", f"您对“{c.lot.project.name}（{c.lot.name}）”的投诉{what}。",
                            channels=("site",), obj=c)


def do_accept(user, complaint_id, row_version, *, note="", suspend=False) -> Complaint:
    c = _lock(user, complaint_id, row_version)
    after = rules_award.COMPLAINT_FLOW.require(c, rules_award.ACCEPT)
    before = snapshot(c)
    c.status, c.accepted_on = after, clock.today()
    c.acceptance_note = common.fields.text(note, "note", "受理意见", required=False, max_len=1000)
    c.suspends_procedure = bool(suspend)
    recompute(c)
    _finish(c, user, rules_award.ACCEPT, before, on_time=c.accepted_on <= c.accept_by)
    refresh_suspension(lock_lot(c.lot_id, None))
    _tell_complainant(c, f"已受理，将于 {c.decide_by:%Y-%m-%d} 前作出处理决定")
    return c


def do_reject(user, complaint_id, row_version, *, reason) -> Complaint:
    c = _lock(user, complaint_id, row_version)
    after = rules_award.COMPLAINT_FLOW.require(c, rules_award.REJECT)
    before = snapshot(c)
    c.status = after
    c.acceptance_note = common.fields.text(reason, "reason", "不予受理理由", max_len=1000)
    _finish(c, user, rules_award.REJECT, before, on_time=clock.today() <= c.accept_by)
    _tell_complainant(c, f"不予受理：{c.acceptance_note}")
    return c


def do_suspend_procedure(user, complaint_id, row_version) -> Complaint:
    """责令暂停招标投标活动 while the complaint is handled (Reg. Art. 62)."""
    c = _lock(user, complaint_id, row_version)
    if c.status != rules_award.ACCEPTED or c.suspends_procedure:
        raise Conflict("trading.suspend_not_allowed", "只能对已受理且尚未暂停的投诉责令暂停招标投标活动")
    before = snapshot(c)
    c.suspends_procedure = True
    _finish(c, user, "suspend_procedure", before)
    refresh_suspension(lock_lot(c.lot_id, None))
    return c


def do_stop_clock(user, complaint_id, row_version, *, kind, reason) -> ComplaintClockStop:
    c = _lock(user, complaint_id, row_version)
    if c.status != rules_award.ACCEPTED:
        raise Conflict("trading.clock_not_running", "只有已受理的投诉可以暂停计时")
    if c.clock_stops.filter(to_date__isnull=True).exists():
        raise Conflict("trading.clock_already_stopped", "已在暂停计时中，请先恢复计时")
    stop = ComplaintClockStop.objects.create(
        complaint=c, kind=common.fields.choice(kind, "kind", "暂停计时情形", rules_award.CLOCK_STOP_KINDS),
        from_date=clock.today(), reason=common.fields.text(reason, "reason", "说明", max_len=500))
    before = snapshot(c)
    recompute(c)
    _finish(c, user, "stop_clock", before, clock_stop={"kind": stop.kind, "from": stop.from_date.isoformat()})
    return stop


def _close_stop(c: Complaint) -> ComplaintClockStop | None:
    stop = c.clock_stops.filter(to_date__isnull=True).first()
    if stop is not None:
        stop.to_date = rules_award.clock_stop_end_on_resume(stop.from_date, clock.today())
        stop.save(update_fields=["to_date"])
    return stop


def do_resume_clock(user, complaint_id, row_version) -> Complaint:
    c = _lock(user, complaint_id, row_version)
    stop = _close_stop(c) if c.status == rules_award.ACCEPTED else None
    if stop is None:
        raise Conflict("trading.clock_not_stopped", "当前没有暂停计时")
    before = snapshot(c)
    recompute(c)
    return _finish(c, user, "resume_clock", before, clock_stop={"from": stop.from_date.isoformat(),
                                                                "to": stop.to_date.isoformat()})


def do_decide(user, complaint_id, row_version, *, outcome, decision, malicious=False, malicious_reason="") -> Complaint:
    c = _lock(user, complaint_id, row_version)
    after = rules_award.COMPLAINT_FLOW.require(c, rules_award.DECIDE)
    fields = common.fields
    before = snapshot(c)
    c.outcome = fields.choice(outcome, "outcome", "处理结果", rules_award.OUTCOMES)
    c.decision = fields.text(decision, "decision", "处理决定", max_len=4000)
    c.malicious = bool(malicious)
    if c.malicious and c.outcome != rules_award.DISMISSED:
        raise InvalidInput("trading.malicious_but_upheld", "认定为恶意投诉的，处理结果应为投诉不成立",
                           details={"field": "malicious"})
    c.malicious_reason = fields.text(malicious_reason, "malicious_reason", "恶意投诉认定理由", max_len=1000,
                                     required=c.malicious)
    _close_stop(c)
    recompute(c)
    c.status, c.decided_on, c.published_at = after, clock.today(), clock.now()
    c.suspends_procedure = False  # the suspension ends with the decision
    _finish(c, user, rules_award.DECIDE, before, on_time=c.decided_on <= (c.decide_by or c.decided_on))
    if c.malicious:
        # 恶意投诉 (seed 004: 捏造事实、提供虚假证据…应予以通报): its own entry, for the credit office's list.
        record("trading.complaint.malicious", c, after={"complainant": c.complainant_name,
                                                        "uscc": c.complainant_uscc, "reason": c.malicious_reason})
    refresh_suspension(lock_lot(c.lot_id, None))
    _tell_complainant(c, f"已作出处理决定：{c.outcome_label}")
    return c


def do_withdraw(user, complaint_id, row_version) -> Complaint:
    """The complainant withdraws before the decision; a suspension it caused ends."""
    common.check_perm(user, common.OBJECT)
    c = workflow.lock(Complaint.objects.select_related("lot"), complaint_id, row_version, rules_award.COMPLAINT_FLOW)
    if c.complainant_uscc != (user.uscc or "-"):
        raise NotFound("trading.complaint_not_found", "投诉不存在或不在您的查看范围内")
    after = rules_award.COMPLAINT_FLOW.require(c, rules_award.WITHDRAW)
    before = snapshot(c)
    c.status, c.suspends_procedure = after, False
    _close_stop(c)
    workflow.finish(c, rules_award.WITHDRAW, before, snapshot=snapshot)
    refresh_suspension(lock_lot(c.lot_id, None))
    return c
