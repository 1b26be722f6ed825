"""The trading rules with the law's own numbers (pure: no database)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from yingshang.trading import rules

OPEN = rules.limits_in_force(rules.PROCEDURES, "open_tender", date(2026, 4, 20))
CONSULTATION = rules.limits_in_force(rules.PROCEDURES, "gp_consultation", date(2026, 4, 20))
NEGOTIATION = rules.limits_in_force(rules.PROCEDURES, "gp_negotiation", date(2026, 4, 20))
ISSUE = date(2026, 5, 4)


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 30)


def weekdays_only(start: date, n: int) -> date:
    """Working days without holidays (enough to test the arithmetic of the rule)."""
    day = start
    while n:
        day += timedelta(days=1)
        n -= day.weekday() < 5
    return day


def codes(breaches) -> list[str]:
    return [b.code for b in breaches]


# --- 招标投标法 Art. 24: ≥ 20 days from documents to deadline; 实施条例 Art. 16: ≥ 5 days sale ---------
def test_nineteen_days_from_documents_to_deadline_are_refused():
    breaches = rules.check_periods(OPEN, ISSUE, ISSUE + timedelta(days=5), at(ISSUE + timedelta(days=19)))
    assert codes(breaches) == ["trading.deadline_too_soon"]
    assert "不得少于20日" in breaches[0].message and "第二十四条" in breaches[0].source


def test_twenty_days_from_documents_to_deadline_are_accepted():
    assert rules.check_periods(OPEN, ISSUE, ISSUE + timedelta(days=5), at(ISSUE + timedelta(days=20))) == []


def test_a_sale_of_four_days_is_refused_and_five_accepted():
    deadline = at(ISSUE + timedelta(days=25))
    assert codes(rules.check_periods(OPEN, ISSUE, ISSUE + timedelta(days=4), deadline)) == ["trading.sale_too_short"]
    assert rules.check_periods(OPEN, ISSUE, ISSUE + timedelta(days=5), deadline) == []


def test_sale_end_before_start_and_deadline_before_sale_end_are_refused():
    assert codes(rules.check_periods(OPEN, ISSUE, ISSUE - timedelta(days=1), at(ISSUE + timedelta(days=30)))) == [
        "trading.sale_end_before_start"]
    assert "trading.deadline_before_sale_end" in codes(
        rules.check_periods(OPEN, ISSUE, ISSUE + timedelta(days=30), at(ISSUE + timedelta(days=25))))


def test_working_day_sale_periods_of_procurement_count_working_days():
    # 竞争性磋商: sale ≥ 5 working days; from Monday 05-04 that ends on Monday 05-11 (not Saturday 05-09).
    deadline = at(ISSUE + timedelta(days=15))
    assert codes(rules.check_periods(CONSULTATION, ISSUE, date(2026, 5, 9), deadline, weekdays_only)) == [
        "trading.sale_too_short"]
    assert rules.check_periods(CONSULTATION, ISSUE, date(2026, 5, 11), deadline, weekdays_only) == []


def test_negotiation_needs_three_working_days_to_first_responses():
    friday = date(2026, 5, 8)
    assert codes(rules.check_periods(NEGOTIATION, friday, friday, at(date(2026, 5, 12)), weekdays_only)) == [
        "trading.deadline_too_soon"]  # Mon, Tue: two working days
    assert rules.check_periods(NEGOTIATION, friday, friday, at(date(2026, 5, 13)), weekdays_only) == []


def test_working_day_procedures_need_the_calendar():
    with pytest.raises(ValueError):
        rules.check_periods(NEGOTIATION, ISSUE, ISSUE, at(ISSUE + timedelta(days=9)))


# --- 招标投标法 Art. 23, 实施条例 Art. 21: clarification ≥ 15 days before the deadline ----------------------
def test_a_clarification_fifteen_days_before_the_deadline_keeps_it():
    deadline = at(date(2026, 5, 25))
    assert rules.deadline_after_clarification(deadline, date(2026, 5, 10)) == (deadline, None)


def test_a_clarification_fourteen_days_before_moves_the_deadline_by_one_day_same_time():
    moved, breach = rules.deadline_after_clarification(at(date(2026, 5, 25)), date(2026, 5, 11))
    assert moved == at(date(2026, 5, 26))
    assert breach.code == "trading.deadline_moved" and "顺延至 2026-05-26 09:30" in breach.message


def test_a_prequalification_clarification_needs_three_days_and_minor_ones_none():
    deadline = at(date(2026, 5, 25))
    assert rules.deadline_after_clarification(deadline, date(2026, 5, 22), prequalification=True) == (deadline, None)
    assert rules.deadline_after_clarification(deadline, date(2026, 5, 23), prequalification=True)[0] == at(
        date(2026, 5, 26))
    assert rules.deadline_after_clarification(deadline, date(2026, 5, 24), affects_preparation=False) == (deadline, None)


# --- 实施条例 Art. 22: objections ≥ 10 days (prequalification 2) before; answered within 3 days ----------
def test_objections_to_tender_documents_close_ten_days_before_the_deadline():
    deadline = at(date(2026, 5, 25))
    assert rules.check_objection(date(2026, 5, 15), deadline) is None
    breach = rules.check_objection(date(2026, 5, 16), deadline)
    assert breach.code == "trading.objection_too_late" and "2026-05-15" in breach.message


def test_objections_to_prequalification_documents_close_two_days_before():
    deadline = at(date(2026, 5, 25))
    assert rules.check_objection(date(2026, 5, 23), deadline, prequalification=True) is None
    assert rules.check_objection(date(2026, 5, 24), deadline, prequalification=True).code == "trading.objection_too_late"


def test_an_objection_is_answered_within_three_days():
    assert rules.objection_answer_due(date(2026, 5, 12)) == date(2026, 5, 15)


# --- 实施条例 Art. 54: candidates published within 3 days, for ≥ 3 days; Art. 46: contract in 30 days -----
def test_publicity_of_two_days_is_refused_and_three_accepted():
    report = date(2026, 6, 1)
    assert rules.check_publicity(report, date(2026, 6, 2), date(2026, 6, 4)).code == "trading.publicity_too_short"
    assert rules.check_publicity(report, date(2026, 6, 2), date(2026, 6, 5)) is None


def test_publicity_starting_four_days_after_the_report_is_late():
    report = date(2026, 6, 1)
    assert rules.check_publicity(report, date(2026, 6, 4), date(2026, 6, 8)) is None
    assert rules.check_publicity(report, date(2026, 6, 5), date(2026, 6, 9)).code == "trading.publicity_late"


def test_the_contract_is_signed_within_thirty_days_of_the_award_notice():
    notice = date(2026, 6, 10)
    assert rules.contract_due(notice) == date(2026, 7, 10)
    assert rules.check_contract(notice, date(2026, 7, 10)) is None
    assert rules.check_contract(notice, date(2026, 7, 11)).code == "trading.contract_late"


# --- 实施条例 Art. 60, 61: complaints ------------------------------------------------------------------
def test_a_complaint_is_filed_within_ten_days_of_knowing():
    assert rules.check_complaint(date(2026, 6, 1), date(2026, 6, 11)) is None
    assert rules.check_complaint(date(2026, 6, 1), date(2026, 6, 12)).code == "trading.complaint_too_late"


def test_complaint_acceptance_and_decision_count_working_days():
    dates = rules.complaint_dates(date(2026, 6, 1), date(2026, 6, 5), weekdays_only)  # received on a Friday
    assert dates.file_by == date(2026, 6, 11)
    assert dates.accept_by == date(2026, 6, 10)  # Mon 8, Tue 9, Wed 10
    assert dates.decide_by == weekdays_only(date(2026, 6, 10), 30)


# --- 必须招标的工程项目规定 (发改委令第16号, 2018-06-01) -------------------------------------------------
@pytest.mark.parametrize(("lot_type", "threshold"), [("works", "4000000"), ("goods", "2000000"),
                                                     ("services", "1000000")])
def test_must_tender_at_the_threshold_not_a_fen_below(lot_type, threshold):
    on = date(2026, 4, 20)
    at_threshold = rules.must_tender(lot_type, Decimal(threshold), on)
    assert at_threshold.required and at_threshold.threshold == Decimal(threshold)
    assert "发展改革委令第16号" in at_threshold.source
    below = rules.must_tender(lot_type, Decimal(threshold) - Decimal("0.01"), on)
    assert not below.required and "平台不强制要求招标" in below.note


def test_the_2000_thresholds_applied_until_2018_05_31():
    # 国家计委令第3号: works ≥ 200万; from 2018-06-01 the 16号令's 400万.
    price = Decimal("3000000")
    assert rules.must_tender("works", price, date(2018, 5, 31)).required
    assert not rules.must_tender("works", price, date(2018, 6, 1)).required
    assert rules.must_tender("services", Decimal("500000"), date(2018, 5, 31)).threshold == Decimal("500000")


def test_no_threshold_in_force_means_no_tendering_demanded():
    verdict = rules.must_tender("works", Decimal("99999999"), date(1999, 1, 1))
    assert not verdict.required and verdict.threshold is None


def test_the_ceiling_price_is_positive_and_within_the_estimate():
    assert rules.check_ceiling(Decimal("100"), None) is None
    assert rules.check_ceiling(Decimal("100"), Decimal("100")) is None
    assert rules.check_ceiling(Decimal("100"), Decimal("0")).code == "trading.ceiling_not_positive"
    assert rules.check_ceiling(Decimal("100"), Decimal("100.01")).code == "trading.ceiling_above_estimate"


# --- Procedures, the timeline, the workflow and next_check ---------------------------------------------
def test_procedure_versions_apply_from_their_effective_date():
    later = rules.ProcedureLimits("open_tender", "公开招标", rules.TENDERING, date(2027, 1, 1), 25, "calendar", 5,
                                  "calendar", True, 3, "test")
    versions = (*rules.PROCEDURES, later)
    assert rules.limits_in_force(versions, "open_tender", date(2026, 12, 31)).min_document_days == 20
    assert rules.limits_in_force(versions, "open_tender", date(2027, 1, 1)).min_document_days == 25
    assert rules.limits_in_force(versions, "nothing", date(2027, 1, 1)) is None


def test_the_timeline_derives_clarification_and_objection_ends_from_the_deadline():
    periods = {p.kind: p for p in rules.timeline(OPEN, ISSUE, date(2026, 5, 11), at(date(2026, 5, 25)))}
    assert list(periods) == ["sale", "clarification", "objection", "submission", "opening", "evaluation", "publicity",
                             "complaint", "contract"]
    assert periods["clarification"].end == date(2026, 5, 10)
    assert periods["objection"].end == date(2026, 5, 15)
    assert periods["opening"].start == periods["submission"].end == at(date(2026, 5, 25))


def test_the_registration_workflow_table():
    flow = rules.LOT_FLOW
    assert flow.target(rules.DRAFT, rules.SUBMIT) == rules.REGISTERED
    assert flow.allowed_actions(rules.REGISTERED) == [rules.ACCEPT, rules.RETURN]
    assert flow.target(rules.RETURNED, rules.SUBMIT) == rules.REGISTERED
    assert not flow.allowed(rules.ACCEPTED, rules.RETURN)
    assert flow.final_states == {rules.ARCHIVED, rules.WITHDRAWN}


def test_the_tender_goes_from_announcement_to_archive_or_fails():
    flow = rules.LOT_FLOW
    path = [(rules.ACCEPTED, rules.ANNOUNCE), (rules.ANNOUNCED, rules.OPEN), (rules.OPENING, rules.EVALUATE),
            (rules.EVALUATING, rules.PUBLICIZE), (rules.PUBLICITY, rules.AWARD), (rules.AWARDED, rules.SIGN_CONTRACT),
            (rules.CONTRACTED, rules.ARCHIVE)]
    for (state, action), (after, _next) in zip(path, [*path[1:], (rules.ARCHIVED, None)], strict=True):
        assert flow.target(state, action) == after
    for state in (rules.ANNOUNCED, rules.OPENING, rules.EVALUATING):
        assert flow.target(state, rules.FAIL) == rules.FAILED  # fewer than 3 bids, or every bid rejected
    assert flow.target(rules.FAILED, rules.ARCHIVE) == rules.ARCHIVED
    assert not flow.allowed(rules.CONTRACTED, rules.TERMINATE)  # a signed contract is not undone here


def test_next_check_follows_state_and_periods():
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Shanghai")
    deadline = datetime(2026, 5, 25, 9, 30, tzinfo=tz)
    sale_start, sale_end = ISSUE, date(2026, 5, 11)
    before = datetime(2026, 4, 20, 10, tzinfo=tz)
    assert rules.next_check(rules.DRAFT, sale_start, sale_end, deadline, before) is None
    assert rules.next_check(rules.REGISTERED, sale_start, sale_end, deadline, before) == datetime(2026, 5, 4, tzinfo=tz)
    assert rules.next_check(rules.ACCEPTED, sale_start, sale_end, deadline, before) == datetime(2026, 5, 4, tzinfo=tz)
    during = datetime(2026, 5, 6, 12, tzinfo=tz)
    assert rules.next_check(rules.ACCEPTED, sale_start, sale_end, deadline, during) is None  # waits for the announcement
    assert rules.next_check(rules.ANNOUNCED, sale_start, sale_end, deadline, during) == datetime(2026, 5, 12, tzinfo=tz)
    assert rules.next_check(rules.ANNOUNCED, sale_start, sale_end, deadline, datetime(2026, 5, 20, tzinfo=tz)) == deadline
    assert rules.next_check(rules.ANNOUNCED, sale_start, sale_end, deadline, deadline) is None


@pytest.mark.parametrize(("experts", "reps", "code"), [
    (5, 0, None), (4, 1, None), (6, 3, None), (3, 1, "trading.committee_too_small"),
    (4, 2, "trading.committee_even"), (3, 2, "trading.committee_experts_share"), (4, 3, "trading.committee_experts_share"),
])
def test_the_committee_is_five_or_more_odd_with_two_thirds_experts(experts, reps, code):
    breach = rules.check_committee(experts, reps)
    assert (breach.code if breach else None) == code
