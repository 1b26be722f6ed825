"""A NUL character is refused as bad input (PostgreSQL cannot store it): never a 500."""

import pytest

pytestmark = pytest.mark.django_db


def test_api_json_with_a_nul_is_invalid_input(client):
    response = client.post("/api/v1/ids/check", '{"value": "9161\\u00000802"}', content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


def test_a_query_string_with_a_nul_is_refused(client):
    assert client.get("/api/v1/calendar/workdays-between?start=2026-01-01%00&end=2026-02-01").status_code == 422
    assert client.get("/guide/?q=%E9%A3%9F%00").status_code == 400


def test_a_form_with_a_nul_is_refused(client):
    response = client.post("/login/", "username=a%00b&password=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "空字符" in response.content.decode()


def test_ordinary_input_passes(client):
    assert client.get("/guide/?q=食品").status_code == 200
