"""The public catalog API: search with a keyset cursor, an item's guide by date, materials, versions."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.catalog.conftest import create_and_publish, food_licence, restaurant_joint
from tests.helpers import assert_max_queries
from yingshang.catalog import services

pytestmark = pytest.mark.django_db
BASE = "/api/v1/catalog"


@pytest.fixture
def catalog(city):
    create_and_publish("610800-XK-0001", food_licence(), city["SCJG"])
    create_and_publish("610800-GG-0001", restaurant_joint(), city["SCJG"])
    return city


def test_list_items_without_login(client, catalog):
    body = client.get(f"{BASE}/items").json()
    assert [i["code"] for i in body["items"]] == ["610800-GG-0001", "610800-XK-0001"]
    joint = body["items"][0]
    assert joint["kind"] == "joint" and joint["statutory_limit_days"] is None and joint["statutory_limit_effective"] == 45
    assert joint["url"].endswith("/guide/610800-GG-0001/") and body["next_cursor"] is None


def test_chinese_search_and_filters(client, catalog):
    body = client.get(f"{BASE}/items", {"q": "餐饮"}).json()
    assert body["terms"] == ["餐饮"] and [i["name"] for i in body["items"]] == ["开办餐饮店一件事"]
    assert [i["code"] for i in client.get(f"{BASE}/items", {"kind": "joint"}).json()["items"]] == ["610800-GG-0001"]
    tagged = client.get(f"{BASE}/items", {"tag": ["do_online", "do_once"]}).json()["items"]
    assert len(tagged) == 2 and all("do_online" in i["tags"] for i in tagged)


def test_cursor_pages_through_everything_once(client, catalog):
    for i in range(7):
        create_and_publish(f"610800-XK-{i + 100:04d}", food_licence(name=f"食品许可{i}"), catalog["SCJG"])
    for params in ({}, {"q": "食品 许可"}):
        seen, cursor = [], None
        while True:
            query = {**params, "limit": 3, **({"cursor": cursor} if cursor else {})}
            page = client.get(f"{BASE}/items", query).json()
            seen += [i["code"] for i in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == len(set(seen)) == 9, params  # the joint item matches through its duties


def test_list_query_count_is_constant(client, catalog):
    for i in range(25):
        create_and_publish(f"610800-XK-{i + 200:04d}", food_licence(name=f"食品许可{i}"), catalog["SCJG"])
    with assert_max_queries(1):
        response = client.get(f"{BASE}/items", {"limit": 20})
    assert len(response.json()["items"]) == 20
    with assert_max_queries(1):
        assert client.get(f"{BASE}/items", {"q": "食品", "limit": 20}).status_code == 200


def test_item_detail_has_materials_fees_steps_departments_and_halls(client, catalog):
    body = client.get(f"{BASE}/items/610800-GG-0001").json()
    assert [d["code"] for d in body["departments"]] == ["610800-SCJG", "610800-WJ", "610800-SW", "610800-GA"]
    assert [s["stage"] for s in body["steps"]] == [1, 2, 2, 2, 2, 3]
    assert body["materials"][1]["pending_allowed"] is True
    food = client.get(f"{BASE}/items/610800-XK-0001").json()
    assert food["halls"] == [{"code": "610800-HALL01", "name": "榆林市市民大厦政务服务大厅"}]
    assert food["fees"] == [{"name": "许可证工本费", "amount": None, "unit": "", "basis": "不收费"}]
    assert food["materials"][1]["elicense_type"] == "营业执照"


def test_detail_by_date_returns_the_version_then_in_force(client, catalog, tomorrow):
    item = services.get_item("610800-XK-0001")
    with transaction.atomic():
        draft = services.do_create_draft(item)
        content = services.content_of(draft)
        content.fields["committed_limit_days"] = 4
        content.steps[1].limit_days = 2
        services.do_update_draft(draft, content)
        services.do_publish(draft, tomorrow)
    assert client.get(f"{BASE}/items/610800-XK-0001").json()["committed_limit_days"] == 5
    later = client.get(f"{BASE}/items/610800-XK-0001", {"date": tomorrow.isoformat()}).json()
    assert (later["version"], later["committed_limit_days"]) == (2, 4)
    versions = client.get(f"{BASE}/items/610800-XK-0001/versions").json()
    assert [(v["number"], v["valid_to"]) for v in versions] == [(2, None), (1, timezone.localdate().isoformat())]
    materials = client.get(f"{BASE}/items/610800-XK-0001/materials", {"date": tomorrow.isoformat()}).json()
    assert len(materials) == 4 and materials[2]["pending_allowed"] is True


def test_not_found_is_json_in_chinese(client, catalog):
    response = client.get(f"{BASE}/items/610800-XK-9999")
    assert response.status_code == 404
    assert response.json()["code"] == "catalog.item_not_found" and "610800-XK-9999" in response.json()["message"]
    before = client.get(f"{BASE}/items/610800-XK-0001", {"date": (timezone.localdate() - timedelta(days=3)).isoformat()})
    assert before.status_code == 404 and before.json()["code"] == "catalog.not_in_force"
    assert client.get(f"{BASE}/items/610800-XK-9999/versions").status_code == 404
    assert client.get(f"{BASE}/items/610800-XK-9999/materials").status_code == 404


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"limit": "x"}, {"date": "2026-13-01"},
                                    {"kind": "fast"}, {"item_type": "x"}, {"tag": "nope"}, {"cursor": "!!!"},
                                    {"cursor": "WyJhIiwiYiJd"}, {"q": "x" * 101}])
def test_bad_parameters_answer_422_with_a_chinese_message(client, catalog, params):
    response = client.get(f"{BASE}/items", params)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] in ("invalid_input", "catalog.bad_cursor") and body["message"]


def test_a_cursor_of_a_ranked_search_is_refused_for_a_plain_list(client, catalog):
    for i in range(3):
        create_and_publish(f"610800-XK-{i + 300:04d}", food_licence(name=f"食品许可{i}"), catalog["SCJG"])
    cursor = client.get(f"{BASE}/items", {"q": "食品", "limit": 1}).json()["next_cursor"]
    assert client.get(f"{BASE}/items", {"cursor": cursor}).status_code == 422


def test_the_api_is_documented_in_openapi(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {f"{BASE}/items", f"{BASE}/items/{{code}}", f"{BASE}/items/{{code}}/materials"} <= set(paths)
