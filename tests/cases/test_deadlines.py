"""Deadlines from the kernel calendar: holidays and 调休, suspensions, extensions, provisional years.

Calendar facts (国务院办公厅 annual notices, via chinese-calendar): 2025 National Day and Mid-Autumn
Oct 1–8 off, Sunday Sep 28 and Saturday Oct 11 working; 2026 Spring Festival Feb 15–23 off,
Saturday Feb 14 and Saturday Feb 28 working. 2027 has no official schedule in the database.
"""

from datetime import date

import pytest
from django.db import transaction

from tests.cases.conftest import accepted_case, window_case
from yingshang.cases import rules
from yingshang.cases.models import Case
from yingshang.cases.services import acceptance, clock
from yingshang.kernel.errors import Conflict, InvalidInput

pytestmark = pytest.mark.usefixtures("official_calendar")


# --- Pure rules --------------------------------------------------------------------------------
@pytest.mark.parametrize(("committed", "statutory", "kind", "expected"), [
    (5, 10, "committed", (5, "committed")),
    (0, 10, "committed", (10, "statutory")),
    (0, None, "committed", (20, "statutory_default")),  # Art. 42 ¶1
    (0, None, "joint", (45, "statutory_default")),  # Art. 42 ¶2
    (0, None, "immediate", (0, "committed")),  # 即办件: the same day
    (None, None, "committed", (20, "statutory_default")),
])
def test_time_limit_is_committed_then_statutory_then_article_42(committed, statutory, kind, expected):
    limit = rules.time_limit(committed, statutory, kind)
    assert (limit.days, limit.source) == expected


def test_extension_caps_follow_article_42():
    assert rules.extension_cap("committed") == 10
    assert rules.extension_cap("joint") == 15


@pytest.mark.parametrize(("total", "share", "threshold"), [(5, 0.8, 4), (10, 0.8, 8), (1, 0.8, 1), (0, 0.8, 0), (7, 0.5, 4),
                                                          (20, 0.8, 16), (3, 1.0, 3)])
def test_yellow_threshold_is_the_ceiling_of_the_share_used(total, share, threshold):
    assert rules.yellow_threshold(total, share) == threshold


def test_warning_levels_by_date():
    yellow, red = date(2025, 10, 9), date(2025, 10, 11)
    assert rules.warning_level(date(2025, 10, 8), yellow, red) == "none"
    assert rules.warning_level(date(2025, 10, 9), yellow, red) == "yellow"
    assert rules.warning_level(date(2025, 10, 10), yellow, red) == "yellow"  # the deadline day itself
    assert rules.warning_level(date(2025, 10, 11), yellow, red) == "red"
    assert rules.next_check("none", yellow, red) == yellow
    assert rules.next_check("yellow", yellow, red) == red
    assert rules.next_check("red", yellow, red) is None


def test_correction_notice_is_late_after_five_working_days():
    assert not rules.correction_notice_late(5)
    assert rules.correction_notice_late(6)
    assert rules.clock_start(date(2025, 9, 22), date(2025, 10, 9), 7) == date(2025, 9, 22)
    assert rules.clock_start(date(2025, 9, 22), date(2025, 9, 26), 4) == date(2025, 9, 26)


def test_a_same_day_suspension_still_takes_that_day_out():
    assert rules.suspension_end_on_resume(date(2025, 9, 29), date(2025, 9, 29)) == date(2025, 9, 29)
    assert rules.suspension_end_on_resume(date(2025, 9, 29), date(2025, 10, 13)) == date(2025, 10, 12)


# --- Through the services ------------------------------------------------------------------------
def test_deadline_across_national_day_counts_the_adjusted_sunday(city, food, set_today):
    set_today(date(2025, 9, 26))
    case = accepted_case(city, food)
    assert (case.limit_days, case.limit_source) == (5, "committed")
    # Sep 28 (Sunday, 调休), 29, 30, then Oct 9, 10.
    assert case.deadline == date(2025, 10, 10)
    assert case.yellow_on == date(2025, 10, 9) and case.red_on == date(2025, 10, 11)
    assert not case.deadline_provisional
    assert (case.warning, case.next_check) == ("none", date(2025, 10, 9))


def test_deadline_across_spring_festival(city, food, set_today):
    set_today(date(2026, 2, 12))
    case = accepted_case(city, food)
    # Feb 13, Feb 14 (Saturday, 调休), then Feb 24, 25, 26.
    assert case.deadline == date(2026, 2, 26)


def test_deadline_into_2027_is_flagged_provisional(city, joint, set_today):
    set_today(date(2026, 12, 21))
    case = accepted_case(city, joint)
    # 10 working days: Dec 22–25, Dec 28–31, then Jan 1 2027 (statutory New Year, provisional), Jan 4, Jan 5.
    assert case.deadline == date(2027, 1, 5)
    assert case.deadline_provisional is True


def test_a_suspension_moves_the_deadline_by_the_working_days_it_covers(city, food, set_today):
    set_today(date(2025, 9, 26))
    case = accepted_case(city, food)
    set_today(date(2025, 9, 29))
    with transaction.atomic():
        clock.do_suspend(city.reviewer_scjg, case.pk, case.row_version, kind="testing", reason="抽样检验")
    case.refresh_from_db()
    assert (case.clock_state, case.next_check) == ("suspended", None)
    set_today(date(2025, 10, 13))
    with transaction.atomic():
        row = clock.do_resume(city.reviewer_scjg, case.pk, case.row_version)
    case.refresh_from_db()
    assert (row.from_date, row.to_date) == (date(2025, 9, 29), date(2025, 10, 12))
    # Counted: Sep 28; then Oct 13, 14, 15, 16 (Sep 29–30, Oct 9–11 were suspended).
    assert case.deadline == date(2025, 10, 16)
    assert case.clock_state == "running"


def test_suspended_case_keeps_its_warning_and_projects_the_deadline(city, food, set_today):
    set_today(date(2025, 9, 26))
    case = accepted_case(city, food)
    set_today(date(2025, 10, 9))
    with transaction.atomic():
        clock.do_suspend(city.reviewer_scjg, case.pk, case.row_version, kind="expert_review", reason="专家评审")
    case.refresh_from_db()
    # The open suspension counts up to today: Oct 9 is out, so the projection moves one working day.
    assert case.deadline == date(2025, 10, 11)
    assert case.next_check is None


def test_an_approved_extension_moves_the_deadline(city, food, set_today):
    set_today(date(2025, 9, 26))
    case = accepted_case(city, food)
    with transaction.atomic():
        clock.do_request_extension(city.reviewer_scjg, case.pk, case.row_version, days=3, reason="需现场核查")
    case.refresh_from_db()
    assert case.deadline == date(2025, 10, 10)  # a request alone changes nothing
    with transaction.atomic():
        clock.do_decide_extension(city.head_scjg, case.pk, case.row_version, approve=True)
    case.refresh_from_db()
    # 5 + 3: Oct 11 (Saturday, 调休), 13, 14.
    assert (case.extension_days, case.deadline) == (3, date(2025, 10, 14))
    assert case.events.filter(kind="approve_extension", internal=False).exists()


def test_extensions_are_capped_at_ten_working_days(city, food, set_today):
    set_today(date(2025, 9, 26))
    case = accepted_case(city, food)
    with pytest.raises(InvalidInput) as caught, transaction.atomic():
        clock.do_request_extension(city.reviewer_scjg, case.pk, case.row_version, days=11, reason="复杂")
    assert caught.value.code == "case.extension_over_cap"
    with transaction.atomic():
        clock.do_request_extension(city.reviewer_scjg, case.pk, case.row_version, days=10, reason="复杂")
    case.refresh_from_db()
    with transaction.atomic():
        clock.do_decide_extension(city.head_scjg, case.pk, case.row_version, approve=True)
    case.refresh_from_db()
    with pytest.raises(InvalidInput) as caught, transaction.atomic():
        clock.do_request_extension(city.reviewer_scjg, case.pk, case.row_version, days=1, reason="再延")
    assert caught.value.code == "case.extension_over_cap"


def test_joint_items_may_extend_fifteen_working_days(city, joint, set_today):
    set_today(date(2025, 9, 26))
    case = accepted_case(city, joint)
    with transaction.atomic():
        clock.do_request_extension(city.reviewer_scjg, case.pk, case.row_version, days=15, reason="多部门联合核查")
    assert case.extensions.get().days == 15


def test_acceptance_after_five_working_days_counts_from_receipt(city, food, set_today):
    """Art. 32: not told within 5 working days, the application counts as accepted on receipt."""
    set_today(date(2025, 9, 22))
    case = window_case(city, food)
    set_today(date(2025, 10, 9))
    with pytest.raises(Conflict) as caught, transaction.atomic():
        acceptance.do_request_correction(city.clerk, case.pk, case.row_version, items=[(None, "补充签字")])
    assert caught.value.code == "case.correction_notice_late"
    with transaction.atomic():
        acceptance.do_accept(city.clerk, case.pk, case.row_version)
    case = Case.objects.get(pk=case.pk)
    assert case.accepted_on == date(2025, 9, 22)
    assert case.deadline == date(2025, 9, 28)  # Sep 23, 24, 25, 26, 28 (Sunday, 调休)
    assert case.warning == "red"


def test_acceptance_within_five_working_days_counts_from_acceptance(city, food, set_today):
    set_today(date(2025, 9, 22))
    case = window_case(city, food)
    set_today(date(2025, 9, 26))
    with transaction.atomic():
        acceptance.do_accept(city.clerk, case.pk, case.row_version)
    assert Case.objects.get(pk=case.pk).accepted_on == date(2025, 9, 26)


def test_decision_records_whether_it_was_on_time(city, food, set_today):
    from yingshang.cases.services import review

    set_today(date(2025, 9, 26))
    case = accepted_case(city, food)
    set_today(date(2025, 10, 13))
    for _ in range(2):
        step = case.steps.get(status="active")
        with transaction.atomic():
            review.do_step_approve(city.reviewer_scjg, step.pk, case.row_version)
        case.refresh_from_db()
    with transaction.atomic():
        review.do_decide(city.reviewer_scjg, case.pk, case.row_version, approve=True, legal_basis="食品安全法第三十五条")
    case.refresh_from_db()
    assert (case.decided_on, case.on_time, case.clock_state) == (date(2025, 10, 13), False, "stopped")
