"""The pages: who may open them, what they show, the forms, and the query count of the report page."""

from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.helpers import assert_max_queries
from tests.supervision.conftest import TODAY, make_case, rating
from yingshang.kernel import clock
from yingshang.kernel.navigation import visible_items
from yingshang.supervision.models import Rating, Rectification

pytestmark = pytest.mark.django_db
MARCH = "from=2026-03-01&to=2026-03-31"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    cache.clear()


def test_report_page_shows_figures_charts_and_links(client, march):
    client.force_login(march.supervisor)
    page = client.get(f"/supervision/?{MARCH}").content.decode()
    assert "榆林市市场监督管理局" in page and "80.0%" in page and "统计截至" in page
    assert page.count('role="img"') == 2 and "<title id=\"chart-on-time-title\">限时办结率</title>" in page
    assert "/supervision/cases/?metric=overdue&amp;from=2026-03-01&amp;to=2026-03-31&amp;department=610800-SCJG" in page
    assert "立即刷新统计" in page and "cdn" not in page.lower()
    by_item = client.get(f"/supervision/?{MARCH}&by=item&department=610800-SCJG").content.decode()
    assert "食品经营许可" in by_item and "公共场所卫生许可" not in by_item


def test_report_page_query_count_is_constant(client, march):
    client.force_login(march.supervisor)
    client.get(f"/supervision/?{MARCH}")
    with assert_max_queries(14) as ctx:
        client.get(f"/supervision/?{MARCH}")
    first = len(ctx.captured_queries)
    for n in range(6):
        from tests.factories import DepartmentFactory, published_service_item

        dept = DepartmentFactory(code=f"610800-Y{n}", name=f"测试委{n}", parent=march.root)
        version = published_service_item(f"610800-XK-02{n:02d}", dept, name=f"测试事项{n}")
        rating(make_case(version, accepted_on=date(2026, 3, 2), decided_on=date(2026, 3, 3), on_time=True), 5,
               date(2026, 3, 4))
    from yingshang.supervision.services import rollup

    rollup.refresh(full=True, today=TODAY)
    with assert_max_queries(first):
        assert "测试委5" in client.get(f"/supervision/?{MARCH}").content.decode()


def test_bad_filters_fall_back_with_a_message(client, march):
    client.force_login(march.supervisor)
    page = client.get("/supervision/?from=2026-13-01&to=x").content.decode()
    assert "格式不正确" in page and "2026-01-01" in page
    assert "开始日期不能晚于结束日期" in client.get("/supervision/?from=2026-03-31&to=2026-03-01").content.decode()
    assert client.get("/supervision/?department=610800-NOPE").status_code == 403


def test_pages_refuse_roles_without_permission(client, march):
    for user in (march.reviewer_scjg, march.citizen, march.clerk):
        client.force_login(user)
        for url in ("/supervision/", f"/supervision/cases/?metric=late&{MARCH}", "/supervision/export.xlsx",
                    "/supervision/ranking/"):
            assert client.get(url).status_code == 403, (user, url)
    client.logout()
    assert client.get("/supervision/").status_code == 302  # to the login page


def test_drill_down_page_links_to_case_detail(client, march):
    client.force_login(march.head_scjg)
    page = client.get(f"/supervision/cases/?metric=late&{MARCH}").content.decode()
    late = march.food.item.cases.get(on_time=False)
    assert reverse("cases:detail", args=[late.case_no]) in page and "超期" in page
    assert client.get(f"/supervision/cases/?metric=late&{MARCH}&department=610800-WJ").status_code == 403
    assert client.get("/supervision/cases/?metric=whatever").status_code == 302


def test_excel_download(client, march):
    client.force_login(march.leader)
    response = client.get(f"/supervision/export.xlsx?{MARCH}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    assert response.content[:2] == b"PK"


def test_ranking_page(client, march):
    client.force_login(march.supervisor)
    page = client.get("/supervision/ranking/?year=2026&quarter=1").content.decode()
    assert "2026 年第 1 季度部门排名" in page and "70.0" in page and "68.8" in page
    assert "尚未开始" in client.get("/supervision/ranking/?year=2026&quarter=4").content.decode()
    assert client.get("/supervision/ranking/?year=abc").status_code == 200


def test_refresh_button(client, march):
    client.force_login(march.supervisor)
    response = client.post("/supervision/refresh/", {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/supervision/"
    assert client.get("/supervision/refresh/").status_code == 405
    client.force_login(march.head_scjg)
    assert client.post("/supervision/refresh/").status_code == 403


def test_navigation_by_role(march):
    keys = {user: {i.key for i in visible_items(user)} for user in
            (march.supervisor, march.head_scjg, march.reviewer_scjg, march.citizen)}
    assert {"supervision", "supervision-review"} <= keys[march.supervisor]
    assert {"supervision", "supervision-rectify"} <= keys[march.head_scjg]
    assert "supervision" not in keys[march.reviewer_scjg] and "supervision-rectify" in keys[march.reviewer_scjg]
    assert "supervision-rate" in keys[march.citizen] and "supervision" not in keys[march.citizen]


def test_applicant_rates_on_the_page(client, city):
    case = make_case(city.food, decided_on=date(2026, 3, 5), applicant=city.citizen)
    client.force_login(city.citizen)
    assert case.case_no in client.get("/supervision/rate/").content.decode()
    url = f"/supervision/rate/{case.case_no}/"
    page = client.get(url).content.decode()
    assert "非常满意" in page and "非常不满意" in page
    assert "评价等级须为" in client.post(url, {"score": "9"}).content.decode()
    response = client.post(url, {"score": "2", "comment": "排队太久"})
    assert response.status_code == 302 and Rating.objects.get().score == 2
    assert "整改中" in client.get("/supervision/rate/").content.decode()
    client.force_login(city.other_citizen)
    assert client.get(url).status_code == 404


def test_window_applicant_rates_without_login(client, city):
    case = make_case(city.food, decided_on=date(2026, 3, 5), last4="4321")
    page = client.post("/supervision/evaluate/", {"case_no": case.case_no, "last4": "1111", "score": "5"})
    assert "办件编号或证件号码后四位不正确" in page.content.decode()
    page = client.post("/supervision/evaluate/", {"case_no": case.case_no, "last4": "4321", "score": "5"})
    assert "感谢您的评价" in page.content.decode() and page["X-Robots-Tag"] == "noindex"
    for _ in range(10):
        client.post("/supervision/evaluate/", {"case_no": case.case_no, "last4": "0000", "score": "5"})
    assert "尝试次数过多" in client.post("/supervision/evaluate/", {"case_no": "X", "last4": "1", "score": "5"}
                                     ).content.decode()


def test_rectification_pages_and_actions(client, city):
    case = make_case(city.food, decided_on=date(2026, 3, 5), applicant=city.citizen)
    client.force_login(city.citizen)
    client.post(f"/supervision/rate/{case.case_no}/", {"score": "1"})
    rect = Rectification.objects.get()
    client.force_login(city.reviewer_scjg)
    assert case.case_no in client.get("/supervision/rectifications/").content.decode()
    detail = client.get(f"/supervision/rectifications/{rect.pk}/").content.decode()
    assert "反馈整改情况" in detail and "审核通过" not in detail
    response = client.post(f"/supervision/rectifications/{rect.pk}/respond/",
                           {"row_version": "1", "response": "已回访", "measures": "培训"}, follow=True)
    assert "整改情况已反馈" in response.content.decode()
    stale = client.post(f"/supervision/rectifications/{rect.pk}/respond/",
                        {"row_version": "1", "response": "x", "measures": "y"}, follow=True)
    assert "已被他人处理" in stale.content.decode()
    assert client.post(f"/supervision/rectifications/{rect.pk}/close/", {"row_version": "2"}).status_code == 403
    assert client.post(f"/supervision/rectifications/{rect.pk}/explode/", {}).status_code == 404
    client.force_login(city.supervisor)
    assert "审核通过" in client.get(f"/supervision/rectifications/{rect.pk}/").content.decode()
    client.post(f"/supervision/rectifications/{rect.pk}/close/", {"row_version": "2", "note": "同意"})
    assert Rectification.objects.get().status == "closed"
    client.force_login(city.reviewer_wj)
    assert client.get(f"/supervision/rectifications/{rect.pk}/").status_code == 404
    assert case.case_no not in client.get("/supervision/ratings/").content.decode()
    client.force_login(city.head_scjg)
    assert case.case_no in client.get("/supervision/ratings/?bad=1").content.decode()


@pytest.mark.parametrize("url", [
    "/supervision/?by=x&department=&from=9999-99-99&preset=zzz",
    "/supervision/?preset=zzz",
    "/supervision/?from=2026-03-01&to=2030-01-01",
    "/supervision/cases/?metric=late&cursor=zzz",
    "/supervision/cases/?metric=late&from=bad&item=" + "X" * 300,
    "/supervision/ranking/?year=99999&quarter=-1",
    "/supervision/ranking/?year=" + "9" * 5000,
    "/supervision/ratings/?from=bad&to=2026-99-01&cursor=bad",
    "/supervision/rectifications/?status=x&cursor=bad",
    "/supervision/rectifications/?department=NOPE",
    "/supervision/rectifications/99999999999999999999999/",
    "/supervision/export.xlsx?from=2026-03-31&to=2026-03-01",
    "/supervision/rate/" + "Z" * 100 + "/",
])
def test_odd_requests_never_fail(client, march, url):
    client.force_login(march.supervisor)
    assert client.get(url).status_code in (200, 302, 403, 404)
