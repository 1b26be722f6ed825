"""POST/GET /api/v1/ids/check: public, same shape as `ids check --json`, resident IDs masked, bad bodies 422."""

import json

import pytest

URL = "/api/v1/ids/check"


def post(client, body, content_type="application/json"):
    return client.post(URL, body if isinstance(body, str) else json.dumps(body), content_type=content_type)


@pytest.mark.django_db
def test_batch_check_returns_one_result_per_code_in_order(client):
    response = post(client, {"codes": ["91110000600037341L", "60003734-1", "91110000600037341M"]})
    assert response.status_code == 200
    data = response.json()
    assert [(r["kind"], r["valid"], r["normalized"]) for r in data] == [
        ("uscc", True, "91110000600037341L"), ("organization_code", True, "600037341"),
        ("uscc", False, "91110000600037341M")]
    assert data[0] == {"code": "91110000600037341L", "kind": "uscc", "valid": True,
                       "normalized": "91110000600037341L", "errors": []}
    assert data[2]["errors"][0]["code"] == "uscc.check_character"


@pytest.mark.django_db
def test_single_check_by_query_parameter(client):
    response = client.get(URL, {"code": "９１１１００００６０００３７３４１Ｌ"})
    assert response.status_code == 200
    assert response.json()["normalized"] == "91110000600037341L"


@pytest.mark.django_db
def test_resident_ids_are_never_echoed_unmasked(client):
    codes = ["11010519491231002X", "110105491231002", "110105 19491231 0021"]
    response = post(client, {"codes": codes})
    body = response.content.decode()
    for digits in ("19491231", "491231"):
        assert digits not in body
    data = response.json()
    assert [r["code"] for r in data] == ["110105********002X", "110105******002", "110105********0021"]
    assert [r["normalized"] for r in data] == ["110105********002X", "110105********002X", "110105********0021"]
    assert data[2]["errors"][0]["code"] == "resident_id.check_character"
    single = client.get(URL, {"code": "11010519491231002X"}).json()
    assert single["code"] == single["normalized"] == "110105********002X"


@pytest.mark.django_db
def test_unrecognized_long_numbers_are_masked_too(client):
    data = post(client, {"codes": ["1101051949123100", "abc"]}).json()
    assert data[0]["code"] == "11010*******3100" and data[0]["kind"] == "unknown"
    assert data[1]["code"] == "abc"


@pytest.mark.django_db
@pytest.mark.parametrize("body", [
    {}, [], {"codes": []}, {"codes": "91110000600037341L"}, {"codes": [1]}, {"codes": [None]},
    {"codes": ["x" * 65]}, {"codes": ["9"] * 1001}, "", "null",
])
def test_bad_bodies_get_422_with_our_error_json(client, body):
    response = post(client, body)
    assert response.status_code == 422
    data = response.json()
    assert data["code"] == "invalid_input" and data["message"] and data["details"]


@pytest.mark.django_db
def test_largest_allowed_batch_is_accepted(client):
    response = post(client, {"codes": ["91110000600037341L"] * 1000})
    assert response.status_code == 200 and len(response.json()) == 1000


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"code": "x" * 65}])
def test_bad_query_gets_422(client, params):
    response = client.get(URL, params)
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["{not json", "codes=1"])
def test_unparseable_body_is_a_client_error_not_a_500(client, body):
    response = post(client, body)
    assert 400 <= response.status_code < 500
    assert {"code", "message"} <= set(response.json())


@pytest.mark.django_db
def test_endpoints_are_public_and_documented(client):
    schema = client.get("/api/v1/openapi.json").json()
    path = schema["paths"]["/api/v1/ids/check"]
    assert {"get", "post"} <= set(path)
    assert "security" not in path["post"] and "security" not in path["get"]
    assert schema["components"]["schemas"]["IdCheckIn"]["properties"]["codes"]["maxItems"] == 1000


@pytest.mark.django_db
def test_anonymous_post_needs_no_csrf_token():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, json.dumps({"codes": ["600037341"]}), content_type="application/json")
    assert response.status_code == 200
