"""The cases benchmark runs end to end on a small data set (the full run is `yingshang bench --only cases`)."""

import pytest

from yingshang.cases import bench, benchdata
from yingshang.cases.models import Case, CaseStep
from yingshang.kernel import clock
from yingshang.kernel.bench import Context
from yingshang.kernel.context import SYSTEM, acting_as


@pytest.mark.django_db
def test_bench_generates_data_and_measures_every_goal(official_calendar, files):
    today = clock.today()
    with acting_as(SYSTEM):
        city = benchdata.build_city(3)
        assert benchdata.generate(city, 600, 150, today) == 600
    assert Case.objects.count() == 600 and CaseStep.objects.filter(status="active").count() == 150
    assert Case.objects.filter(status="in_review", clock_state="running").count() == 150
    Case.objects.create(item=city.versions[0].item, item_version=city.versions[0], item_name="x", kind="committed",
                        department=city.departments[0], applicant_kind="person", applicant_name="序列检查",
                        channel="window")  # explicit ids did not break the id sequence
    ctx = Context(quick=True)
    results = {r.name: r for r in bench._lists(ctx, city) + bench._acceptance(ctx, city)}
    results["cases.sweep"] = bench._sweep(150, today)
    assert {"cases.list", "cases.search", "cases.inbox", "cases.accept", "cases.accept.notice", "cases.sweep"} <= set(results)
    for name in ("cases.list", "cases.search", "cases.inbox", "cases.accept"):
        assert results[name].p95_ms is not None and results[name].goal and results[name].met is not None
    assert Case.objects.filter(status="accepted").count() == Context(quick=True).size(200, 40) + 1
