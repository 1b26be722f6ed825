"""The rules of §8 and §9 with the law's own numbers (Reg. Art. 54, 60, 61; TBL Art. 46; seed 004)."""

from datetime import date
from decimal import Decimal

from yingshang.kernel.rules import draw
from yingshang.trading import rules, rules_award

D = date(2026, 4, 20)


def _plus_working(start, n):  # Mon–Fri only, enough for the pure rules
    day, left = start, n
    while left:
        day = date.fromordinal(day.toordinal() + 1)
        if day.weekday() < 5:
            left -= 1
    return day


def test_objection_to_the_result_only_during_publicity_answered_in_three_days():
    assert rules_award.check_result_objection(date(2026, 4, 23), D, date(2026, 4, 23)) is None
    late = rules_award.check_result_objection(date(2026, 4, 24), D, date(2026, 4, 23))
    assert late.code == "trading.objection_outside_publicity" and "第五十四条" in late.source
    assert rules_award.result_objection_answer_due(D) == date(2026, 4, 23)


def test_award_within_twenty_days_of_the_report():
    assert rules_award.check_award_deadline(D, date(2026, 5, 10)) is None  # day 20
    late = rules_award.check_award_deadline(D, date(2026, 5, 11))  # day 21
    assert late.code == "trading.award_late" and "2026-05-10" in late.message


def test_award_waits_for_the_end_of_publicity_and_pending_objections():
    assert rules_award.check_award_ready(date(2026, 4, 23), date(2026, 4, 23), 0, False).code == "trading.publicity_not_ended"
    assert rules_award.check_award_ready(date(2026, 4, 24), date(2026, 4, 23), 1, False).code == "trading.objection_pending"
    assert rules_award.check_award_ready(date(2026, 4, 24), date(2026, 4, 23), 0, True).code == "trading.lot_suspended"
    assert rules_award.check_award_ready(date(2026, 4, 24), date(2026, 4, 23), 0, False) is None


def test_publicity_within_three_days_for_three_days():
    assert rules.check_publicity(D, date(2026, 4, 23), date(2026, 4, 26)) is None
    assert rules.check_publicity(D, date(2026, 4, 24), date(2026, 4, 27)).code == "trading.publicity_late"
    assert rules.check_publicity(D, D, date(2026, 4, 22)).code == "trading.publicity_too_short"


def test_vote_needs_more_than_half_of_the_members():
    assert rules_award.vote_winner({"a": 1, "b": 1, "c": 2, "d": 1, "e": 3}, 5) == (1, None)
    winner, breach = rules_award.vote_winner({"a": 1, "b": 1, "c": 2, "d": 2, "e": 3}, 5)
    assert winner is None and breach.code == "trading.vote_no_majority" and "3票" in breach.message
    assert rules_award.check_award_committee(2).code == "trading.award_committee_too_small"
    assert rules_award.check_award_committee(3) is None


def test_price_competition_takes_the_lowest_and_refuses_a_tie():
    assert rules_award.price_winner({1: Decimal("10"), 2: Decimal("9.99")}) == (2, None)
    assert rules_award.price_winner({1: Decimal("9"), 2: Decimal("9")})[1].code == "trading.price_tie"
    assert rules_award.price_winner({1: None})[1].code == "trading.price_missing"


def test_the_draw_is_recomputable_from_the_revealed_seed():
    seed = "ab" * 32
    winner = rules_award.draw_winner(seed, [30, 10, 20], 7)
    assert winner == draw.choice(seed, [10, 20, 30], "lot:7/award")
    assert rules_award.draw_winner(seed, [10, 20, 30], 7) == winner  # the pool's order is fixed by id


def test_contract_within_thirty_days_of_the_notice():
    assert rules.check_contract(D, date(2026, 5, 20)) is None  # day 30
    assert rules.check_contract(D, date(2026, 5, 21)).code == "trading.contract_late"
    assert rules_award.check_contract_day(D, date(2026, 4, 19), D).code == "trading.contract_before_notice"
    assert rules_award.check_contract_day(D, date(2026, 4, 21), D).code == "trading.contract_in_future"


def test_complaint_ten_days_objection_first_and_working_day_limits():
    assert rules.check_complaint(D, date(2026, 4, 30)) is None
    assert rules.check_complaint(D, date(2026, 5, 1)).code == "trading.complaint_too_late"
    first = rules_award.check_objection_first(rules_award.RESULT, False)
    assert first.code == "trading.objection_first" and "第六十条第二款" in first.source and "第五十四条" in first.message
    assert rules_award.check_objection_first(rules_award.OTHER, False) is None
    assert rules_award.check_objection_first(rules_award.DOCUMENTS, True) is None
    assert rules_award.complaint_accept_by(D, _plus_working) == date(2026, 4, 23)  # Mon + 3 working days
    assert rules_award.complaint_decide_by(D, _plus_working) == date(2026, 6, 1)  # 30 working days (Mon–Fri)


def test_clock_stop_resumes_counting_on_the_resume_day_and_overdue_labels():
    assert rules_award.clock_stop_end_on_resume(D, date(2026, 4, 25)) == date(2026, 4, 24)
    assert rules_award.clock_stop_end_on_resume(D, D) == D
    assert rules_award.complaint_overdue("filed", date(2026, 4, 24), date(2026, 4, 23), None).label == "受理审查已超期"
    assert rules_award.complaint_overdue("accepted", date(2026, 6, 2), D, date(2026, 6, 1)).due == date(2026, 6, 1)
    assert rules_award.complaint_overdue("decided", date(2026, 7, 1), D, date(2026, 6, 1)) is None
