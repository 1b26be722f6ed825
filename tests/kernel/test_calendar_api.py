"""The public calendar API and the calendar admin."""

from datetime import date

import pytest

from tests.factories import UserFactory
from yingshang.kernel.models import AuditEntry, CalendarYear
from yingshang.kernel.services import calendar

pytestmark = pytest.mark.django_db

API = "/api/v1/calendar"


@pytest.fixture(autouse=True)
def seeded():
    calendar.invalidate()
    calendar.seed_from_chinese_calendar()
    yield
    calendar.invalidate()


def test_add_workdays_answers_the_date_and_provisional_flag(api_client):
    response = api_client.get(f"{API}/add-workdays", {"date": "2025-09-30", "n": 1})
    assert response.status_code == 200
    assert response.json() == {"date": "2025-10-09", "provisional": False}
    response = api_client.get(f"{API}/add-workdays", {"date": "20261230", "n": 5})
    assert response.json() == {"date": "2027-01-07", "provisional": True}


def test_repeated_suspension_parameters_stop_the_clock(api_client):
    response = api_client.get(f"{API}/add-workdays", {
        "date": "2026-03-02", "n": 10, "suspension": ["2026-03-04/2026-03-05", "2026-03-06/2026-03-06"]})
    assert response.json() == {"date": "2026-03-19", "provisional": False}
    response = api_client.get(f"{API}/workdays-between", {
        "start": "2026-03-02", "end": "2026-03-19", "suspension": "2026-03-04/2026-03-06"})
    assert response.json() == {"days": 10, "provisional": False}


def test_workdays_between_counts_start_exclusive_end_inclusive(api_client):
    response = api_client.get(f"{API}/workdays-between", {"start": "2026-02-13", "end": "2026-02-24"})
    assert response.status_code == 200
    assert response.json() == {"days": 2, "provisional": False}


def test_a_year_is_official_or_provisional(api_client):
    data = api_client.get(f"{API}/2026").json()
    assert data["official"] is True and data["working_days"] == 248
    assert {"date": "2026-02-28", "kind": "workday", "name": "春节", "weekday": "周六"} in data["days"]
    data = api_client.get(f"{API}/2027").json()
    assert data["provisional"] is True
    assert data["days"][0] == {"date": "2027-01-01", "kind": "holiday", "name": "元旦", "weekday": "周五"}


@pytest.mark.parametrize(("path", "params", "status", "code"), [
    ("add-workdays", {"date": "2026-02-30", "n": 1}, 400, "calendar.date_invalid"),
    ("add-workdays", {"date": "tomorrow", "n": 1}, 400, "calendar.date_format"),
    ("add-workdays", {"date": "2026-02-03"}, 422, "invalid_input"),
    ("add-workdays", {"date": "2026-02-03", "n": "abc"}, 422, "invalid_input"),
    ("add-workdays", {"date": "2026-02-03", "n": 10**9}, 422, "invalid_input"),
    ("add-workdays", {"date": "1999-01-01", "n": 1}, 400, "calendar.out_of_range"),
    ("add-workdays", {"date": "2099-12-30", "n": 5}, 400, "calendar.out_of_range"),
    ("add-workdays", {"date": "2026-03-02", "n": 1, "suspension": "2026-03-04"}, 400, "calendar.suspension_invalid"),
    ("add-workdays", {"date": "2026-03-02", "n": 1, "suspension": "2026-03-09/2026-03-04"}, 400,
     "calendar.suspension_invalid"),
    ("add-workdays", {"date": "2026-03-02", "n": 1, "suspension": ["2026-03-04/2026-03-05"] * 201}, 400,
     "calendar.too_many_suspensions"),
    ("workdays-between", {"start": "2026-01-01"}, 422, "invalid_input"),
    ("workdays-between", {"start": "2026-01-01", "end": "2100-01-01"}, 400, "calendar.out_of_range"),
    ("1999", {}, 400, "calendar.year_invalid"),
    ("abc", {}, 422, "invalid_input"),
])
def test_bad_input_gets_a_json_error_never_a_500(api_client, path, params, status, code):
    response = api_client.get(f"{API}/{path}", params)
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["message"]


def test_the_endpoints_are_public_and_documented(api_client):
    schema = api_client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/calendar/add-workdays", "/api/v1/calendar/workdays-between", "/api/v1/calendar/{year}"):
        operation = schema["paths"][path]["get"]
        assert operation.get("security") in (None, [])
        assert operation["summary"]


# --- Admin ------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(admin=True))
    return client


def inline(rows, initial=0):
    data = {"days-TOTAL_FORMS": str(len(rows)), "days-INITIAL_FORMS": str(initial), "days-MIN_NUM_FORMS": "0",
            "days-MAX_NUM_FORMS": "1000"}
    for i, (day, kind, name) in enumerate(rows):
        data.update({f"days-{i}-date": day, f"days-{i}-kind": kind, f"days-{i}-name": name})
    return data


def test_admin_adds_a_year_with_its_days_audited_and_seen_by_the_index_at_once(admin_client):
    assert not calendar.is_working_day(date(2027, 2, 9))  # provisional 补假
    response = admin_client.post("/admin/kernel/calendaryear/add/", {
        "year": "2027", "source": "国办发明电〔2026〕测试号",
        **inline([("2027-01-01", "holiday", "元旦"), ("2027-02-20", "workday", "春节")])})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CalendarYear.objects.get(year=2027).days.count() == 2
    entry = AuditEntry.objects.filter(action="kernel.calendar.year.create").latest("seq")
    assert "2027-02-20 workday 春节" in entry.summary and "后台管理" in entry.summary
    assert calendar.is_working_day(date(2027, 2, 20))
    assert calendar.is_working_day(date(2027, 2, 9))  # official now: only what was entered


def test_admin_refuses_a_working_day_on_a_weekday_and_a_date_in_another_year(admin_client):
    response = admin_client.post("/admin/kernel/calendaryear/add/", {
        "year": "2027", "source": "x",
        **inline([("2027-03-01", "workday", "错"), ("2026-12-31", "holiday", "错")])})
    assert response.status_code == 200
    text = response.content.decode()
    assert "只有星期六、星期日才能标为调休上班" in text
    assert "不属于 2027 年" in text
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_admin_refuses_a_year_outside_the_range(admin_client):
    response = admin_client.post("/admin/kernel/calendaryear/add/", {"year": "2100", "source": "x", **inline([])})
    assert response.status_code == 200
    assert "年份应在 2000 至 2099 之间" in response.content.decode()


def test_admin_deleting_a_year_makes_it_provisional_and_is_audited(admin_client):
    year = CalendarYear.objects.get(year=2026)
    response = admin_client.post(f"/admin/kernel/calendaryear/{year.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="kernel.calendar.year.delete", object_id=str(year.pk)).exists()
    assert calendar.add_working_days(date(2026, 2, 13), 1).provisional is True


def test_admin_lists_filters_and_searches_years_and_days(admin_client):
    assert admin_client.get("/admin/kernel/calendaryear/").status_code == 200
    assert "2026" in admin_client.get("/admin/kernel/calendaryear/", {"q": "2026"}).content.decode()
    assert admin_client.get("/admin/kernel/calendaryear/", {"q": "春节"}).status_code == 200
    response = admin_client.get("/admin/kernel/calendarday/", {"kind__exact": "workday", "q": "国庆"})
    assert response.status_code == 200
    assert "2025-09-28" in response.content.decode() or "2025年9月28日" in response.content.decode()
    year = CalendarYear.objects.get(year=2026)
    assert admin_client.get(f"/admin/kernel/calendaryear/{year.pk}/change/").status_code == 200


def test_admin_edit_of_a_single_day_is_audited_with_before_and_after(admin_client):
    day = CalendarYear.objects.get(year=2026).days.get(date=date(2026, 2, 28))
    response = admin_client.post(f"/admin/kernel/calendarday/{day.pk}/change/", {
        "year": str(day.year_id), "date": "2026-02-28", "kind": "holiday", "name": "春节"})
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(action="kernel.calendar.day.update").latest("seq")
    assert '"kind":"workday"' in entry.summary and '"kind":"holiday"' in entry.summary
    assert not calendar.is_working_day(date(2026, 2, 28))


def test_the_calendar_admin_is_closed_to_staff_without_the_calendar_permission(client):
    client.force_login(UserFactory(is_staff=True, role_codes=["window_clerk"]))
    assert client.get("/admin/kernel/calendaryear/").status_code in (302, 403)
