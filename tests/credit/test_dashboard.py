"""The credit office dashboard: figures by month and department, lists, feedback, objections and repairs,
the quality ranking and the server-drawn charts; for the credit office and leaders only."""

from datetime import date, timedelta

from django.db import transaction

from tests.credit.conftest import TODAY, catalog, licence_rows, penalty_rows
from tests.factories import UserFactory
from tests.helpers import assert_max_queries
from yingshang.credit import charts
from yingshang.credit.services import dashboard, imports, joint, lists


def _seed(city):
    types = catalog(city)
    with transaction.atomic():
        imports.import_rows(city.reviewer, kind="license", department=city.scjg,
                            rows=licence_rows(city.scjg, 3, decided=TODAY - timedelta(days=40)))
        imports.import_rows(city.reviewer_yj, kind="penalty", department=city.yj, rows=penalty_rows(city.yj, 2))
    rows = licence_rows(city.scjg, 1, seed=9, prefix="黑")
    with transaction.atomic():
        lists.do_designate(city.officer, subject=lists.SubjectInput(rows[0]["uscc"], rows[0]["subject_name"]),
                           list_type=types["debtor"], department=city.xyb, basis="法释〔2017〕7号", document_no="D-1",
                           decided_on=TODAY)
        joint.do_record_feedback(city.clerk, identifier=rows[0]["uscc"], measure_id=types["block"].pk,
                                 scenario="administrative_licensing", department=city.scjg, outcome="applied",
                                 reference="SL2026000001")
    return types


def test_the_dashboard_counts_collection_lists_feedback_and_ranks_quality(city):
    _seed(city)
    data = dashboard.build(city.officer, month=date(2026, 11, 1))
    assert len(data.months) == 12 and data.months[-1] == date(2026, 11, 1)
    assert data.collected["2026-11"] == {"license": 3, "penalty": 2}
    scjg = next(r for r in data.by_department if r["department"] == "610800-SCJG")
    assert (scjg["license"], scjg["late"], scjg["total"]) == (3, 3, 3)
    assert data.lists == [{"code": "judgment_debtor", "name": "失信被执行人", "list_kind": "black",
                           "list_kind_label": "失信黑名单", "active": 1}]
    assert data.list_kinds == {"red": 0, "black": 1, "watch": 0}
    assert data.feedback == [{"department": "610800-SCJG", "name": "榆林市市场监督管理局", "applied": 1, "not_applied": 0}]
    assert [r.code for r in data.quality.rows] == ["610800-YJ", "610800-SCJG"]
    assert set(data.handling) <= {"objection", "repair"}
    assert data.as_dict()["quality"]["month"] == "2026-11"


def test_the_page_draws_svg_charts_without_scripts_and_within_a_query_budget(city, client):
    _seed(city)
    client.force_login(city.officer)
    with assert_max_queries(40):
        page = client.get("/credit/dashboard/?month=2026-11")
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<svg") >= 5 and "榆林市应急管理局" in html
    assert "cdn" not in html.lower()
    assert client.get("/credit/dashboard/?month=bad").status_code == 200


def test_only_the_credit_office_leaders_and_supervisors_see_it(city, client):
    leader = UserFactory(username="leader", role_codes=["leader"], department=city.root)
    for user, status in ((city.officer, 200), (leader, 200), (city.reviewer, 403), (city.clerk, 403)):
        client.force_login(user)
        assert client.get("/credit/dashboard/").status_code == status
        assert client.get("/api/v1/credit/dashboard").status_code == status


def test_the_api_returns_the_same_figures(city, client):
    _seed(city)
    client.force_login(city.officer)
    data = client.get("/api/v1/credit/dashboard?month=2026-11").json()
    assert data["collected"]["2026-11"] == {"license": 3, "penalty": 2} and data["list_kinds"]["black"] == 1
    assert client.get("/api/v1/credit/dashboard?month=2026-00").status_code == 400


def test_charts_scale_bars_and_columns_and_describe_them():
    bars = charts.bar_chart("x", "标题", [("甲", 10), ("乙", 5), ("丙", 0)])
    assert [b.width for b in bars.bars] == [360.0, 180.0, 0.0] and "最高：甲 10" in bars.description
    rates = charts.bar_chart("r", "率", [("甲", 0.99), ("乙", 0.5)], percent=True, good=0.95, fair=0.85)
    assert [b.tone for b in rates.bars] == ["good", "poor"] and rates.bars[0].text == "99.0%"
    columns = charts.column_chart("c", "月", [("2026-10", 4), ("2026-11", 8)])
    assert [c.height for c in columns.columns] == [80.0, 160.0] and "合计 12" in columns.description
    assert charts.bar_chart("e", "空", []).bars == []
