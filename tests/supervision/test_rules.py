"""The formulas and tables of supervision/rules.py, from their definitions' own numbers."""

from datetime import date

import pytest

from yingshang.cases import rules as case_rules
from yingshang.supervision import rules


def test_concluded_means_a_decision_was_made():
    assert {"approved", "denied", "issued", "concluded"} == rules.CONCLUDED_STATUSES
    for status in ("refused", "withdrawn", "stopped", "in_review", "accepted", "submitted", "draft"):
        assert status not in rules.CONCLUDED_STATUSES
    assert rules.RATEABLE_STATUSES == rules.CONCLUDED_STATUSES
    assert set(case_rules.UNDER_REVIEW) == rules.OPEN_STATUSES


def test_five_national_grades_with_bad_and_satisfied_thresholds():
    assert rules.GRADES == {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
    assert [s for s in rules.GRADES if rules.is_bad(s)] == [2, 1]
    assert [s for s in rules.GRADES if rules.is_satisfied(s)] == [5, 4]
    assert not rules.valid_score(0) and not rules.valid_score(6) and not rules.valid_score(True)
    assert not rules.valid_score("5") and rules.valid_score(5)


def test_satisfaction_rate_counts_satisfied_and_very_satisfied_over_all_ratings():
    # 10 ratings: 4×5, 3×4, 1×3, 1×2, 1×1 → (4 + 3) / 10
    assert rules.satisfaction_rate(7, 10) == pytest.approx(0.7)
    assert rules.good_rate(8, 10) == pytest.approx(0.8)  # the provinces' 好评率 also counts 基本满意
    assert rules.satisfaction_rate(0, 0) is None


def test_on_time_rate_is_on_time_over_concluded():
    assert rules.on_time_rate(999, 1000) == pytest.approx(0.999)  # seed 000: 限时办结率达99.9%
    assert rules.on_time_rate(0, 0) is None


def test_overdue_adds_late_conclusions_and_open_cases_past_deadline():
    assert rules.overdue_total(3, 2) == 5


def test_rectification_transitions():
    assert rules.RECTIFICATION_FLOW.target("open", "respond") == "responded"
    assert rules.RECTIFICATION_FLOW.target("overdue", "respond") == "responded"
    assert rules.RECTIFICATION_FLOW.target("responded", "close") == "closed"
    assert rules.RECTIFICATION_FLOW.target("responded", "return") == "open"
    assert rules.RECTIFICATION_FLOW.target("open", "mark_overdue") == "overdue"
    for status, action in [("closed", "respond"), ("closed", "return"), ("open", "close"), ("overdue", "close"),
                           ("responded", "respond"), ("responded", "mark_overdue"), ("closed", "mark_overdue")]:
        assert rules.RECTIFICATION_FLOW.target(status, action) is None
    assert "已办结" in rules.RECTIFICATION_FLOW.refusal_message("closed", "respond")


def test_a_response_on_the_due_day_is_on_time():
    assert not rules.responded_late(date(2026, 10, 12), date(2026, 10, 12))
    assert rules.responded_late(date(2026, 10, 12), date(2026, 10, 13))
    assert rules.rectification_timeliness(3, 4) == pytest.approx(0.75)


def test_composite_score_weights_and_missing_criteria():
    weights = {"on_time": 50, "satisfaction": 30, "rectification": 20}
    full = {"on_time": 1.0, "satisfaction": 0.9, "rectification": 0.5}
    assert rules.composite_score(full, weights) == pytest.approx(50 + 27 + 10)
    # No rectification due: the other two are rescaled to 100 %.
    partial = {"on_time": 1.0, "satisfaction": 0.9, "rectification": None}
    assert rules.composite_score(partial, weights) == pytest.approx((50 * 100 + 30 * 90) / 80)
    assert rules.composite_score(dict.fromkeys(weights), weights) is None
    assert rules.composite_score(full, {"on_time": 100, "satisfaction": 0, "rectification": 0}) == pytest.approx(100)


def test_competition_ranks_share_equal_scores():
    assert rules.competition_ranks([95.0, 90.004, 90.0, 80.0, None]) == [1, 2, 2, 4, None]
    assert rules.competition_ranks([]) == []


@pytest.mark.parametrize(("preset", "start", "end"), [
    ("month", date(2026, 5, 1), date(2026, 5, 20)),
    ("quarter", date(2026, 4, 1), date(2026, 5, 20)),
    ("year", date(2026, 1, 1), date(2026, 5, 20)),
    ("last_month", date(2026, 4, 1), date(2026, 4, 30)),
    ("last_quarter", date(2026, 1, 1), date(2026, 3, 31)),
    ("last_year", date(2025, 1, 1), date(2025, 12, 31)),
])
def test_period_presets(preset, start, end):
    assert rules.preset_period(preset, date(2026, 5, 20)) == rules.Period(start, end)


def test_quarters_across_the_year_end():
    assert rules.previous_quarter(date(2026, 1, 15)) == (2025, 4)
    assert rules.previous_quarter(date(2026, 7, 1)) == (2026, 2)
    assert rules.quarter_bounds(2024, 1) == rules.Period(date(2024, 1, 1), date(2024, 3, 31))
    assert rules.preset_period("last_month", date(2026, 1, 10)) == rules.Period(date(2025, 12, 1), date(2025, 12, 31))
