"""The supervision API: the happy paths, and every kind of bad call answered with our JSON error, never 500."""

from datetime import date

import pytest
from django.core.cache import cache

from tests.supervision.conftest import TODAY, make_case
from yingshang.kernel import clock
from yingshang.supervision.models import Rating, Rectification

pytestmark = pytest.mark.django_db
API = "/api/v1/supervision"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    cache.clear()


def login(client, user):
    client.force_login(user)
    return client


def error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["message"] and body["code"]
    if code:
        assert body["code"] == code
    return body


def test_stats_by_department_and_item(client, march):
    login(client, march.supervisor)
    body = client.get(f"{API}/stats", {"from": "2026-03-01", "to": "2026-03-31"}).json()
    rows = {r["code"]: r for r in body["rows"]}
    assert rows["610800-SCJG"]["on_time_rate"] == pytest.approx(0.8)
    assert rows["610800-SCJG"]["overdue"] == 3 and body["total"]["accepted"] == 7
    assert body["as_of"] and body["period"] == {"start": "2026-03-01", "end": "2026-03-31"}
    items = client.get(f"{API}/stats", {"by": "item", "from": "2026-03-01", "to": "2026-03-31",
                                        "department": "610800-WJ"}).json()
    assert [r["code"] for r in items["rows"]] == ["610800-XK-0003"] and items["department"] == "610800-WJ"
    assert client.get(f"{API}/stats", {"preset": "last_quarter"}).json()["period"] == {"start": "2026-01-01",
                                                                                      "end": "2026-03-31"}


def test_drill_down_and_ranking(client, march):
    login(client, march.supervisor)
    page = client.get(f"{API}/cases", {"metric": "late", "from": "2026-03-01", "to": "2026-03-31"}).json()
    assert len(page["items"]) == 1 and page["items"][0]["url"].startswith("/cases/")
    body = client.get(f"{API}/ranking", {"year": 2026, "quarter": 1}).json()
    assert [r["department"] for r in body["rows"]] == ["610800-WJ", "610800-SCJG"]
    assert body["weights"] == {"on_time": 50, "satisfaction": 30, "rectification": 20}


@pytest.mark.parametrize(("path", "params", "status", "code"), [
    ("/stats", {"from": "2026-02-30"}, 422, "invalid_input"),
    ("/stats", {"from": "2026-03-31", "to": "2026-03-01"}, 422, "supervision.bad_period"),
    ("/stats", {"from": "2000-01-01", "to": "2026-01-01"}, 422, "supervision.period_too_long"),
    ("/stats", {"by": "street"}, 422, "invalid_input"),
    ("/stats", {"preset": "decade"}, 422, "invalid_input"),
    ("/stats", {"department": "NOPE"}, 403, "supervision.department_out_of_scope"),
    ("/cases", {}, 422, "invalid_input"),
    ("/cases", {"metric": "late", "cursor": "%%%"}, 422, "case.bad_cursor"),
    ("/cases", {"metric": "late", "limit": 1000}, 422, "invalid_input"),
    ("/ranking", {"year": 2026, "quarter": 4}, 422, "supervision.future_quarter"),
    ("/ranking", {"year": 1800}, 422, "invalid_input"),
    ("/rectifications", {"status": "lost"}, 422, "invalid_input"),
    ("/rectifications/99999999", {}, 404, "supervision.rectification_not_found"),
    ("/rectifications/999999999999999999", {}, 404, "supervision.rectification_not_found"),
    ("/rectifications/99999999999999999999999", {}, 404, "not_found"),  # beyond int64: refused up front
])
def test_bad_requests_get_json_errors(client, march, path, params, status, code):
    login(client, march.supervisor)
    error(client.get(API + path, params), status, code)


def test_anonymous_and_unauthorised_callers(client, march):
    error(client.get(f"{API}/stats"), 401, "unauthenticated")
    error(client.post(f"{API}/ratings", {"case_no": "X", "score": 5}, content_type="application/json"), 401)
    login(client, march.reviewer_scjg)
    error(client.get(f"{API}/stats"), 403, "supervision.forbidden")
    error(client.post(f"{API}/refresh"), 403)
    login(client, march.citizen)
    error(client.get(f"{API}/rectifications"), 403, "supervision.forbidden")


def test_applicant_rates_through_the_api(client, city):
    case = make_case(city.food, decided_on=date(2026, 3, 5), applicant=city.citizen)
    login(client, city.citizen)
    response = client.post(f"{API}/ratings", {"case_no": case.case_no, "score": 2, "comment": "多跑一趟"},
                           content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert (body["score"], body["grade"], body["rectification_status"]) == (2, "不满意", "open")
    error(client.post(f"{API}/ratings", {"case_no": case.case_no, "score": 5}, content_type="application/json"), 409,
          "supervision.already_rated")
    error(client.post(f"{API}/ratings", {"case_no": case.case_no, "score": 9}, content_type="application/json"), 400,
          "supervision.invalid_score")
    error(client.post(f"{API}/ratings", {"case_no": case.case_no}, content_type="application/json"), 422)
    error(client.post(f"{API}/ratings", "{bad json", content_type="application/json"), 422)


def test_lookup_rating_without_login_is_throttled(client, city):
    case = make_case(city.food, decided_on=date(2026, 3, 5), last4="4321")
    for _ in range(10):
        error(client.post(f"{API}/ratings/lookup", {"case_no": case.case_no, "last4": "0000", "score": 5},
                          content_type="application/json"), 404, "supervision.lookup_failed")
    error(client.post(f"{API}/ratings/lookup", {"case_no": case.case_no, "last4": "4321", "score": 5},
                      content_type="application/json"), 429, "supervision.too_many_attempts")
    cache.clear()
    response = client.post(f"{API}/ratings/lookup", {"case_no": case.case_no, "last4": "4321", "score": 4,
                                                     "comment": "好"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["comment"] == ""
    assert Rating.objects.get().comment == "好"


def test_rectification_flow_through_the_api(client, city):
    case = make_case(city.food, decided_on=date(2026, 3, 5), applicant=city.citizen)
    login(client, city.citizen)
    client.post(f"{API}/ratings", {"case_no": case.case_no, "score": 1}, content_type="application/json")
    rect = Rectification.objects.get()
    login(client, city.reviewer_scjg)
    listed = client.get(f"{API}/rectifications", {"status": "open"}).json()
    assert [r["id"] for r in listed["items"]] == [rect.pk]
    url = f"{API}/rectifications/{rect.pk}"
    error(client.post(f"{url}/respond", {"row_version": 1, "response": "", "measures": "x"},
                      content_type="application/json"), 400, "supervision.response_required")
    body = client.post(f"{url}/respond", {"row_version": 1, "response": "已回访", "measures": "培训"},
                       content_type="application/json").json()
    assert body["status"] == "responded" and [e["kind"] for e in body["entries"]] == ["open", "respond"]
    error(client.post(f"{url}/close", {"row_version": 2}, content_type="application/json"), 403)
    login(client, city.supervisor)
    error(client.post(f"{url}/close", {"row_version": 1}, content_type="application/json"), 409, "supervision.conflict")
    error(client.post(f"{url}/return", {"row_version": 2, "note": ""}, content_type="application/json"), 400)
    assert client.post(f"{url}/close", {"row_version": 2, "note": "同意"},
                       content_type="application/json").json()["status"] == "closed"
    login(client, city.reviewer_wj)  # another department: not visible
    error(client.get(url), 404)
    ratings = client.get(f"{API}/ratings").json()
    assert ratings["items"] == []


def test_refresh_through_the_api(client, march):
    login(client, march.supervisor)
    body = client.post(f"{API}/refresh").json()
    assert body["skipped"] is True  # the fixture refreshed a moment ago
