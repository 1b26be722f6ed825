"""The trading API (flow, errors as {code, message, details}, OpenAPI) and pages (queue, lot with its
timeline, the registration form), with scoping and query counts on the list pages."""

import pytest

from tests.factories import LotFactory, TenderProjectFactory
from tests.helpers import assert_max_queries
from tests.trading.conftest import lot_data, project_data
from yingshang.trading import rules
from yingshang.trading.models import Lot

pytestmark = pytest.mark.django_db


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_register_accept_through_the_api(client, town):
    client.force_login(town.tenderer)
    created = post(client, "/api/v1/trading/projects", {**project_data(town), "submit": True})
    assert created.status_code == 201, created.json()
    lot = created.json()["lots"][0]
    assert lot["status"] == "registered" and lot["estimated_price"] == "5000000.00"
    client.force_login(town.staff)
    queue = client.get("/api/v1/trading/lots?status=registered").json()
    assert queue["total"] == 1 and queue["items"][0]["allowed_actions"] == ["accept", "return"]
    accepted = post(client, f"/api/v1/trading/lots/{lot['id']}/accept", {"row_version": lot["row_version"]})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert [p["kind"] for p in accepted.json()["timeline"]][:2] == ["sale", "clarification"]
    stale = post(client, f"/api/v1/trading/lots/{lot['id']}/return", {"row_version": lot["row_version"], "reason": "x"})
    assert stale.status_code == 409 and stale.json()["code"] == "trading.conflict"


def test_period_violations_come_back_with_code_source_and_field(client, town):
    client.force_login(town.tenderer)
    response = post(client, "/api/v1/trading/projects",
                    project_data(town, lots=[lot_data(bid_deadline="2026-05-23T09:30")]))
    body = response.json()
    assert response.status_code == 400 and body["code"] == "trading.deadline_too_soon"
    assert body["details"]["field"] == "bid_deadline" and "第二十四条" in body["details"]["source"]


@pytest.mark.parametrize("body", [{}, {"lots": "x"}, {"name": "\x00"}, {"row_version": True}])
def test_bad_bodies_get_422_not_500(client, town, body):
    client.force_login(town.tenderer)
    response = post(client, "/api/v1/trading/projects", body)
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"


def test_must_tender_check_and_procedures(client, town):
    client.force_login(town.staff)
    verdict = client.get("/api/v1/trading/must-tender?lot_type=goods&estimated_price=1999999.99").json()
    assert verdict["required"] is False and verdict["threshold"] == "2000000.00"
    bad = client.get("/api/v1/trading/must-tender?lot_type=goods&estimated_price=abc")
    assert bad.status_code == 400 and bad.json()["code"] == "trading.estimated_price_invalid"
    codes = [p["code"] for p in client.get("/api/v1/trading/procedures").json()]
    assert codes[:2] == ["open_tender", "invited_tender"] and "gp_single_source" in codes


def test_scoping_and_permissions_in_the_api(client, town):
    lot = LotFactory(registered=True, project=TenderProjectFactory(regulator=town.zj))
    client.force_login(town.reviewer_jt)
    assert client.get(f"/api/v1/trading/lots/{lot.pk}").status_code == 404
    client.force_login(town.reviewer_zj)
    assert client.get(f"/api/v1/trading/lots/{lot.pk}").json()["allowed_actions"] == []
    assert post(client, f"/api/v1/trading/lots/{lot.pk}/accept", {"row_version": 1}).status_code == 403
    client.force_login(town.citizen)
    assert client.get("/api/v1/trading/lots").json()["code"] == "trading.forbidden"
    client.logout()
    assert client.get("/api/v1/trading/lots").status_code == 401


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/trading/projects", "/api/v1/trading/lots/{lot_id}/accept"} <= set(paths)


def test_the_queue_page_lists_registered_lots_in_few_queries(client, town):
    for _ in range(5):
        LotFactory(registered=True, project=TenderProjectFactory(regulator=town.zj))
    LotFactory(accepted=True)
    client.force_login(town.staff)
    client.get("/trading/queue/")  # warm the session and role caches
    with assert_max_queries(12):
        response = client.get("/trading/queue/")
    assert response.status_code == 200 and response.content.decode().count("/trading/lots/") == 5
    with assert_max_queries(12):
        assert client.get("/trading/").status_code == 200


def test_the_lot_page_shows_the_timeline_and_the_centres_actions(client, town):
    lot = LotFactory(registered=True, below_threshold=True)
    client.force_login(town.staff)
    text = client.get(f"/trading/lots/{lot.pk}/").content.decode()
    assert "时间轴" in text and "招标文件异议期" in text and "2026-05-15" in text and "不强制招标" in text
    assert f"/trading/lots/{lot.pk}/accept/" in text
    response = client.post(f"/trading/lots/{lot.pk}/return/", {"row_version": "1", "reason": "材料不齐"})
    assert response.status_code == 302
    assert Lot.objects.get(pk=lot.pk).status == rules.RETURNED
    client.force_login(town.citizen)
    assert client.get(f"/trading/lots/{lot.pk}/").status_code == 403


def test_the_tenderer_registers_a_project_on_the_form(client, town):
    client.force_login(town.tenderer)
    page = client.get("/trading/projects/new/").content.decode()
    assert town.tenderer.uscc in page and "住房和城乡建设局" in page
    form = {"name": "教学楼工程", "approval_no": "榆发改〔2026〕9号", "tenderer_name": "城投", "tenderer_uscc":
            town.tenderer.uscc, "regulator": "610800-ZJ", "division_code": "610802", "funding_source": "fiscal",
            "submit": "1", **{f"lot0-{k}": v for k, v in lot_data(bid_deadline="2026-05-25T09:30").items()}}
    response = client.post("/trading/projects/new/", form)
    assert response.status_code == 302, response.content.decode()[-800:]
    assert Lot.objects.get().status == rules.REGISTERED
    bad = client.post("/trading/projects/new/", {**form, "lot0-sale_end": "2026-05-08"})
    assert "文件发售期不得少于5日" in bad.content.decode()


def test_lots_are_listed_by_any_state_of_their_life(client, town):
    lot = LotFactory(accepted=True, project__regulator=town.zj)
    Lot.objects.filter(pk=lot.pk).update(status=rules.PUBLICITY)
    client.force_login(town.staff)
    assert [x["id"] for x in client.get("/api/v1/trading/lots?status=publicity").json()["items"]] == [lot.pk]
    assert client.get("/api/v1/trading/lots?status=nonsense").status_code == 422
