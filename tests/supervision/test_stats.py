"""The report on hand-built data: every figure from its definition, scoping by role, a constant number
of queries whatever the number of departments, and the rollup's incremental refresh agreeing with a
full rebuild."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import DepartmentFactory, published_service_item
from tests.helpers import assert_max_queries
from tests.supervision.conftest import MARCH, TODAY, make_case, rating
from yingshang.kernel.errors import Forbidden, InvalidInput
from yingshang.supervision import rules, stats
from yingshang.supervision.models import DailyStat
from yingshang.supervision.services import rollup

pytestmark = pytest.mark.django_db


def test_figures_by_department(march):
    report = stats.report(march.supervisor, MARCH, today=TODAY)
    rows = {r.code: r for r in report.rows}
    scjg, wj = rows["610800-SCJG"], rows["610800-WJ"]
    assert (scjg.accepted, scjg.concluded, scjg.on_time, scjg.late) == (6, 5, 4, 1)
    assert scjg.on_time_rate == pytest.approx(0.8)
    assert (scjg.timed, scjg.working_days) == (5, 23)
    assert scjg.avg_working_days == pytest.approx(4.6)
    assert (scjg.open_overdue, scjg.overdue) == (2, 3)
    assert (scjg.yellow, scjg.red) == (1, 2)  # now, open cases only (the late denial keeps its red flag: excluded)
    assert (scjg.rated, scjg.satisfied, scjg.not_bad, scjg.bad) == (4, 2, 3, 1)
    assert scjg.satisfaction_rate == pytest.approx(0.5)
    assert (scjg.rect_total, scjg.rect_open, scjg.rect_settled) == (1, 1, 0)
    assert scjg.rectification_timeliness is None
    assert (wj.accepted, wj.concluded, wj.on_time_rate, wj.avg_working_days) == (1, 1, 1.0, 2.0)
    assert (wj.rated, wj.bad, wj.satisfaction_rate, wj.rectification_timeliness) == (1, 1, 0.0, 1.0)
    total = report.total
    assert (total.accepted, total.concluded, total.on_time) == (7, 6, 5)
    assert total.on_time_rate == pytest.approx(5 / 6)
    assert report.as_of is not None


def test_figures_by_item_match(march):
    report = stats.report(march.supervisor, MARCH, stats.BY_ITEM, today=TODAY)
    rows = {r.code: r for r in report.rows}
    food = rows["610800-XK-0001"]
    assert (food.name, food.department_name) == ("食品经营许可", "榆林市市场监督管理局")
    assert (food.accepted, food.concluded, food.late, food.overdue, food.bad) == (6, 5, 1, 3, 1)


def test_a_period_before_the_deadline_of_an_open_case_does_not_count_it_overdue(march):
    february = rules.Period(date(2026, 2, 1), date(2026, 2, 28))
    scjg = {r.code: r for r in stats.report(march.supervisor, february, today=TODAY).rows}["610800-SCJG"]
    assert scjg.open_overdue == 1  # due 02-20; the one due 03-31 was not overdue yet in February
    assert scjg.accepted == 2  # 02-26 and 02-10


def test_scope_follows_the_role(march):
    make_case(march.branch_item, accepted_on=date(2026, 3, 16), decided_on=date(2026, 3, 18), on_time=True)
    rollup.refresh(full=True, today=TODAY)
    codes = {user: {r.code for r in stats.report(user, MARCH, today=TODAY).rows}
             for user in (march.supervisor, march.leader, march.head_scjg)}
    assert codes[march.supervisor] == codes[march.leader] == {"610800-SCJG", "610800-SCJG-01", "610800-WJ"}
    assert codes[march.head_scjg] == {"610800-SCJG", "610800-SCJG-01"}
    for user in (march.reviewer_scjg, march.clerk, march.citizen):
        with pytest.raises(Forbidden):
            stats.report(user, MARCH, today=TODAY)


def test_a_department_outside_the_scope_is_refused(march):
    with pytest.raises(Forbidden) as exc:
        stats.scoped_department(march.head_scjg, "610800-WJ")
    assert exc.value.code == "supervision.department_out_of_scope"
    only = stats.report(march.supervisor, MARCH, department=stats.scoped_department(march.supervisor, "610800-WJ"),
                        today=TODAY)
    assert [r.code for r in only.rows] == ["610800-WJ"]


@pytest.mark.parametrize(("start", "end", "preset", "code"), [
    (date(2026, 3, 31), date(2026, 3, 1), "", "supervision.bad_period"),
    (date(2020, 1, 1), date(2026, 1, 1), "", "supervision.period_too_long"),
    (date(1999, 12, 31), date(2000, 1, 31), "", "supervision.bad_period"),
    (None, None, "fortnight", "supervision.bad_preset"),
])
def test_bad_periods_are_refused(start, end, preset, code):
    with pytest.raises(InvalidInput) as exc:
        stats.parse_period(start, end, preset, today=TODAY)
    assert exc.value.code == code


def test_default_period_is_this_year_to_date():
    assert stats.parse_period(None, None, today=TODAY) == rules.Period(date(2026, 1, 1), TODAY)
    assert stats.parse_period(None, date(2026, 3, 31), today=TODAY) == rules.Period(date(2026, 1, 1), date(2026, 3, 31))


def _count_queries(user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        stats.reports(user, MARCH, today=TODAY)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_departments(march):
    _count_queries(march.supervisor)  # the first call also reads the user's roles (cached on the user)
    few = _count_queries(march.supervisor)
    assert few <= 6
    for n in range(8):
        dept = DepartmentFactory(code=f"610800-X{n}", name=f"测试局{n}", parent=march.root)
        version = published_service_item(f"610800-XK-01{n:02d}", dept, name=f"测试事项{n}")
        case = make_case(version, accepted_on=date(2026, 3, 2), decided_on=date(2026, 3, 4), on_time=n % 2 == 0)
        make_case(version, status="in_review", accepted_on=date(2026, 3, 2), deadline=date(2026, 3, 9), warning="red")
        rating(case, 1 + n % 5, date(2026, 3, 5), "open" if n % 5 < 2 else None)
    rollup.refresh(full=True, today=TODAY)
    assert len(stats.report(march.supervisor, MARCH, today=TODAY).rows) == 10
    assert _count_queries(march.supervisor) == few
    with assert_max_queries(few):
        stats.reports(march.supervisor, MARCH, today=TODAY)


def _rollup() -> list[tuple]:
    return sorted(DailyStat.objects.values_list("day", "department_id", "item_id", "accepted", "concluded", "on_time",
                                                "late", "timed", "working_days", "rated", "satisfied", "not_bad", "bad",
                                                "score_sum"))


def test_incremental_refresh_agrees_with_a_full_rebuild(march):
    c = make_case(march.food, accepted_on=date(2026, 4, 1), decided_on=date(2026, 4, 8), on_time=False)
    rating(c, 2, date(2026, 4, 9), "open")
    make_case(march.health, status="in_review", accepted_on=date(2026, 4, 9))
    incremental = rollup.refresh(today=TODAY)
    assert incremental.full is False and incremental.window_start == date(2026, 2, 7)
    after_incremental = _rollup()
    assert rollup.refresh(full=True, today=TODAY).full
    assert _rollup() == after_incremental


def test_on_demand_refresh_is_throttled(march):
    assert rollup.refresh(on_demand=True, today=TODAY).skipped
    assert not rollup.refresh(today=TODAY).skipped  # the jobs are never throttled


def test_a_calendar_change_forces_a_full_rebuild(march):
    from yingshang.kernel.services import calendar

    assert not rollup.refresh(today=TODAY).full
    rows = [calendar.CalendarRow(1, date(2027, 1, 1), calendar.HOLIDAY, "元旦")]
    calendar.do_import_year(2027, rows, "测试通知")
    assert rollup.refresh(today=TODAY).full
