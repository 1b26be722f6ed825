"""Drill-down to the cases behind a figure, the quarterly ranking, and the Excel export."""

import io
from datetime import date

import pytest
from django.db.models import Q
from openpyxl import load_workbook

from tests.helpers import assert_max_queries
from tests.supervision.conftest import MARCH, TODAY
from yingshang.kernel.errors import Forbidden, InvalidInput
from yingshang.supervision import drill, excel, ranking, stats
from yingshang.supervision.models import SupervisionPolicy
from yingshang.supervision.services import rollup

pytestmark = pytest.mark.django_db


def numbers(user, metric, **filters):
    rows, _ = drill.page(user, drill.Filters(metric, MARCH, **filters), None, 100, today=TODAY)
    return rows


@pytest.mark.parametrize(("metric", "count"), [
    ("accepted", 7), ("concluded", 6), ("on_time", 5), ("late", 1), ("open_overdue", 2), ("overdue", 3),
    ("yellow", 1), ("red", 2), ("rated", 5), ("bad", 2),
])
def test_drill_down_lists_the_cases_behind_each_figure(march, metric, count):
    assert len(numbers(march.supervisor, metric)) == count


def test_drill_down_by_department_and_item_within_scope(march):
    assert {r["department__code"] for r in numbers(march.supervisor, "concluded", department_code="610800-WJ")} == {
        "610800-WJ"}
    assert len(numbers(march.supervisor, "concluded", item_code="610800-xk-0001")) == 5
    assert {r["department__code"] for r in numbers(march.head_scjg, "concluded")} == {"610800-SCJG"}
    with pytest.raises(Forbidden):
        numbers(march.head_scjg, "concluded", department_code="610800-WJ")
    with pytest.raises(Forbidden):
        numbers(march.reviewer_scjg, "concluded")
    with pytest.raises(InvalidInput):
        numbers(march.supervisor, "everything")


def test_drill_down_pages_by_keyset_in_one_query(march):
    numbers(march.supervisor, "concluded")  # reads the user's roles once (cached on the user)
    seen, cursor = [], None
    while True:
        with assert_max_queries(1):
            rows, cursor = drill.page(march.supervisor, drill.Filters("concluded", MARCH), cursor, 2, today=TODAY)
        seen += [r["case_no"] for r in rows]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 6
    assert seen == sorted(seen, reverse=True)  # newest first
    with pytest.raises(InvalidInput):
        drill.page(march.supervisor, drill.Filters("concluded", MARCH), "not-a-cursor", 2, today=TODAY)


def test_ranking_orders_by_composite_score(march):
    # Q1 2026: 市场监管局 on time 4/5, satisfied 2/4, no rectification due → (50×80 + 30×50) / 80 = 68.75;
    # 卫健委 on time 1/1, satisfied 0/1, rectification 1/1 → 50 + 0 + 20 = 70.
    result = ranking.quarterly(march.supervisor, 2026, 1, today=TODAY)
    assert [(r.row.code, r.rank) for r in result.rows] == [("610800-WJ", 1), ("610800-SCJG", 2)]
    assert result.rows[0].score == pytest.approx(70.0)
    assert result.rows[1].score == pytest.approx(68.75)
    assert result.complete and result.ranked == 2


def test_ranking_uses_the_policy_in_force_at_the_quarter_end(march):
    SupervisionPolicy.objects.create(valid_from=date(2026, 1, 1), weight_on_time=100, weight_satisfaction=0,
                                     weight_rectification=0, source="只看时效的考核办法")
    result = ranking.quarterly(march.supervisor, 2026, 1, today=TODAY)
    assert [(r.row.code, round(r.score, 2)) for r in result.rows] == [("610800-WJ", 100.0), ("610800-SCJG", 80.0)]
    assert result.policy.source == "只看时效的考核办法"


def test_a_department_head_sees_their_city_rank_only(march):
    result = ranking.quarterly(march.head_scjg, 2026, 1, today=TODAY)
    assert [(r.row.code, r.rank) for r in result.rows] == [("610800-SCJG", 2)]
    assert result.ranked == 2


def test_ranking_refuses_future_and_invalid_quarters(march):
    with pytest.raises(InvalidInput):
        ranking.quarterly(march.supervisor, 2026, 3, today=TODAY)
    with pytest.raises(InvalidInput):
        ranking.quarterly(march.supervisor, 2026, 5, today=TODAY)
    assert not ranking.quarterly(march.supervisor, 2026, 2, today=TODAY).complete


def test_excel_export_has_the_figures(march):
    by_department, by_item = stats.reports(march.supervisor, MARCH, today=TODAY)
    book = load_workbook(io.BytesIO(excel.workbook(by_department, by_item)))
    assert book.sheetnames == ["按部门", "按事项", "说明"]
    sheet = book["按部门"]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)}
    scjg = rows["610800-SCJG"]
    assert (scjg["受理"], scjg["办结"], scjg["超期合计"], scjg["差评"]) == (6, 5, 3, 1)
    assert scjg["限时办结率"] == pytest.approx(0.8) and scjg["平均办理用时（工作日）"] == pytest.approx(4.6)
    assert sheet.cell(row=2, column=header.index("限时办结率") + 1).number_format == "0.0%"
    total = rows[""] if "" in rows else rows[None]
    assert total["部门"] == "合计" and total["受理"] == 7
    items = list(book["按事项"].iter_rows(min_row=2, values_only=True))
    assert items[0][:3] == ("610800-XK-0001", "食品经营许可", "榆林市市场监督管理局")
    notes = dict(book["说明"].iter_rows(values_only=True))
    assert notes["统计时段"] == "2026-03-01 至 2026-03-31"


def test_rollup_matches_bench_generator_counts(city, official_calendar):
    """The bench's own generator and rating step, in small: the rollup equals counting the cases."""
    from yingshang.cases.models import Case
    from yingshang.supervision import bench, rules
    from yingshang.supervision.models import Rating

    today = date(2026, 6, 30)
    bench.generate(600, today)
    rated, _bad = bench.rate(today)
    rollup.refresh(full=True, today=today)
    year = rules.Period(date(2025, 6, 30), today)
    total = stats.compute(Q(), year, today=today)[0].total
    concluded = Case.objects.filter(status__in=rules.CONCLUDED_STATUSES, decided_on__range=(year.start, year.end))
    assert total.accepted == Case.objects.filter(accepted_on__range=(year.start, year.end)).count() == 600
    assert total.concluded == concluded.count()
    assert total.on_time == concluded.filter(on_time=True).count()
    assert total.rated == Rating.objects.count() == rated > 0
