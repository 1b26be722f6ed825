"""An id beyond the databases' integer range is a 404 (page or API), never an overflow (a 500 on SQLite)."""

import pytest

pytestmark = pytest.mark.django_db

HUGE = str(2**63)


def test_a_huge_id_in_an_api_path_is_not_found(client):
    response = client.get(f"/api/v1/trading/lots/{HUGE}/draw")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_hugely_negative_id_in_an_api_path_is_not_found(client):
    response = client.get(f"/api/v1/trading/lots/-{2**63 + 1}/archive.zip")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_a_huge_id_in_a_page_path_is_not_found(client):
    assert client.get(f"/trading/lots/{HUGE}/").status_code == 404


def test_the_largest_id_still_reaches_the_view(client):
    response = client.get(f"/api/v1/trading/lots/{2**63 - 1}/draw")  # the API's own answer: sign in first
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_token_calls_through_the_lean_handler_are_guarded_too():
    from yingshang.wsgi import API_MIDDLEWARE

    assert "yingshang.kernel.middleware.RejectHugeIdsMiddleware" in API_MIDDLEWARE
