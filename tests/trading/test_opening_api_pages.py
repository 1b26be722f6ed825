"""The opening hall through the API (codes, multipart key upload, scoping of what a bidder sees) and the pages
(hall, live fragments, forms with their errors, plan, draw check, record), with query counts."""

import io

import pytest

from tests.helpers import assert_max_queries
from tests.trading.conftest_opening import FLOAT_PLAN, make_opening
from tests.trading.factories_opening import bidder
from yingshang.trading import rules
from yingshang.trading.models import Bid, Lot, OpeningPlan

pytestmark = pytest.mark.django_db


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def api(lot, tail=""):
    return f"/api/v1/trading/lots/{lot.pk}/opening{tail}"


def test_a_whole_opening_through_the_api(client, town, opening_storage):
    o = make_opening(town, plan=FLOAT_PLAN, prices=["4500000.00", "4700000.00", "4900000.00"])
    client.force_login(o.bidders[0])
    assert post(client, api(o.lot, "/sign-in")).json()["signed_in"] is True
    early = post(client, api(o.lot, "/draw"))
    assert early.status_code == 409 and early.json()["code"] == "trading.not_opening"
    client.force_login(town.staff)
    hall = post(client, api(o.lot, "/open")).json()
    assert hall["lot"]["status"] == rules.OPENING and len(hall["draw"]["commitment"]) == 64 and hall["draw"]["seed"] == ""
    assert post(client, api(o.lot, "/open")).json()["code"] == "trading.transition_not_allowed"
    client.force_login(o.bidders[1])
    assert post(client, api(o.lot, "/draw")).json()["code"] == "trading.not_drawer"
    client.force_login(o.bidders[0])
    drawn = post(client, api(o.lot, "/draw")).json()
    assert drawn["draw"]["ok"] is True and drawn["lot"]["float_rate"] and "decrypt" in drawn["actions"]
    again = post(client, api(o.lot, "/draw"))
    assert again.status_code == 409 and again.json()["code"] == "trading.draw_done"
    assert client.get(api(o.lot, "/draw")).json()["ok"] is True
    wrong = client.post(api(o.lot, "/decrypt"), {"key": io.BytesIO(o.keys[1].encode())})
    assert wrong.status_code == 400 and wrong.json()["code"] == "trading.key_wrong"
    assert Bid.objects.get(pk=o.bids[0].pk).decrypt_failures == 1  # counted although the attempt rolled back
    ok = client.post(api(o.lot, "/decrypt"), {"key": io.BytesIO(o.keys[0].encode())})
    assert ok.status_code == 200, ok.json()
    mine = next(b for b in ok.json()["bids"] if b["mine"])
    assert mine["price"] == "4500000.00" and mine["decrypted"]
    others = [b for b in ok.json()["bids"] if not b["mine"]]
    assert [b["bidder"] for b in others] == ["投标人 2", "投标人 3"] and all(b["id"] is None for b in others)
    for person, key in zip(o.bidders[1:], o.keys[1:], strict=True):
        client.force_login(person)
        assert client.post(api(o.lot, "/decrypt"), {"key_text": key}).status_code == 200
    client.force_login(o.bidders[2])
    assert post(client, api(o.lot, "/sign")).json()["code"] == "trading.sheet_not_published"
    client.force_login(town.staff)
    published = post(client, api(o.lot, "/publish")).json()
    assert [b["price"] for b in published["bids"]] == ["4500000.00", "4700000.00", "4900000.00"]
    assert [b["over_ceiling"] for b in published["bids"]] == [False, False, True]
    assert client.get(api(o.lot, "/sheet")).json() == published["bids"]
    client.force_login(o.bidders[2])
    after = client.get(api(o.lot)).json()
    assert [b["bidder"] for b in after["bids"]] == [p.organization_name for p in o.bidders]
    assert post(client, api(o.lot, "/sign")).json()["bids"][2]["signed_at"]
    raised = post(client, api(o.lot, "/objections"), {"content": "报价宣读有误"}).json()["objections"][0]
    client.force_login(town.tenderer)
    answered = post(client, api(o.lot, f"/objections/{raised['id']}/answer"), {"answer": "已核实，无误"}).json()
    assert answered["objections"][0]["answered_at"]
    client.force_login(town.staff)
    assert post(client, api(o.lot, "/record")).json()["plan"]["record_sha256"]


def test_the_decide_endpoint_and_its_codes(client, town, opening_storage, opening_clock):
    o = make_opening(town)
    client.force_login(town.staff)
    post(client, api(o.lot, "/open"))
    assert post(client, api(o.lot, "/close")).json()["code"] == "trading.decrypt_window_open"
    opening_clock.advance(31)
    assert post(client, api(o.lot, "/close")).status_code == 200
    bad = post(client, api(o.lot, f"/bids/{o.bids[0].pk}/decide"), {"fault": "nobody", "reason": "x"})
    assert bad.status_code == 400 and bad.json()["code"] == "trading.fault_invalid"
    done = post(client, api(o.lot, f"/bids/{o.bids[0].pk}/decide"), {"fault": "bidder", "reason": "未提交密钥"})
    assert done.json()["bids"][0]["status"] == rules.BID_REVOKED
    assert post(client, api(o.lot, "/bids/999999/decide"), {"fault": "other", "reason": "x"}).status_code == 404
    assert post(client, api(o.lot, "/publish")).json()["code"] == "trading.undecided_bids"


def test_who_may_enter_the_hall_and_what_a_stranger_gets(client, town, opening_storage):
    o = make_opening(town)
    for user in (town.staff, town.tenderer, town.reviewer_zj, o.bidders[0]):
        client.force_login(user)
        assert client.get(api(o.lot)).status_code == 200
    for user in (town.reviewer_jt, town.other_tenderer, bidder(8)):
        client.force_login(user)
        assert client.get(api(o.lot)).status_code == 404
    client.force_login(town.citizen)
    assert client.get(api(o.lot)).json()["code"] == "trading.forbidden"
    client.force_login(town.reviewer_zj)  # the industry regulator supervises: signs in, acts on nothing
    assert client.get(api(o.lot)).json()["actions"] == ["sign_in"]
    hall = post(client, api(o.lot, "/sign-in")).json()
    assert hall["attendance"][0]["kind"] == "observer" and hall["actions"] == []
    client.logout()
    assert client.get(api(o.lot)).status_code == 401


def test_a_bidder_never_sees_another_bids_file_or_price_before_the_reading_out(client, town, opening_storage):
    o = make_opening(town)
    client.force_login(town.staff)
    post(client, api(o.lot, "/open"))
    client.force_login(o.bidders[1])
    client.post(api(o.lot, "/decrypt"), {"key_text": o.keys[1]})
    client.force_login(o.bidders[0])
    text = client.get(api(o.lot)).content.decode()
    bid = Bid.objects.get(pk=o.bids[1].pk)
    assert bid.plain_file not in text and "4700000" not in text and o.bidders[1].organization_name not in text
    page = client.get(f"/trading/opening/{o.lot.pk}/").content.decode()
    assert bid.plain_file not in page and "4700000" not in page and o.bidders[1].organization_name not in page


def test_the_openapi_lists_the_opening_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/trading/lots/{lot_id}/opening", "/api/v1/trading/lots/{lot_id}/opening/decrypt",
            "/api/v1/trading/lots/{lot_id}/opening/record"} <= set(paths)


def test_the_hall_page_and_its_live_fragments(client, town, opening_storage):
    o = make_opening(town, plan=FLOAT_PLAN)
    client.force_login(o.bidders[0])
    page = client.get(f"/trading/opening/{o.lot.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and 'hx-trigger="every 2s"' in text and "签到" in text and "csrfmiddlewaretoken" in text
    response = client.post(f"/trading/opening/{o.lot.pk}/do/sign_in/")
    assert response.status_code == 302
    status = client.get(f"/trading/opening/{o.lot.pk}/live/?part=status").content.decode()
    assert 'id="hall-status"' in status and "已签到" in status and "<html" not in status
    actions = client.get(f"/trading/opening/{o.lot.pk}/live/?part=actions")
    key = actions.content.decode().split("have=")[1].split('"')[0]
    assert client.get(f"/trading/opening/{o.lot.pk}/live/?part=actions&have={key}").status_code == 204
    client.force_login(town.staff)
    client.post(f"/trading/opening/{o.lot.pk}/do/open/")
    client.force_login(o.bidders[0])
    assert client.get(f"/trading/opening/{o.lot.pk}/live/?part=actions&have={key}").status_code == 200  # draw now


def test_the_decrypt_form_shows_a_wrong_key_and_accepts_the_right_file(client, town, opening_storage):
    o = make_opening(town)
    client.force_login(town.staff)
    client.post(f"/trading/opening/{o.lot.pk}/do/open/")
    client.force_login(o.bidders[0])
    wrong = client.post(f"/trading/opening/{o.lot.pk}/do/decrypt/", {"key_text": o.keys[2]}, follow=True)
    assert "密钥与该投标文件不匹配" in wrong.content.decode()
    client.force_login(town.staff)
    assert "解密失败 1 次" in client.get(f"/trading/opening/{o.lot.pk}/live/?part=status").content.decode()
    client.force_login(o.bidders[0])
    upload = io.BytesIO(o.keys[0].encode())
    upload.name = "bid.key"
    right = client.post(f"/trading/opening/{o.lot.pk}/do/decrypt/", {"key_file": upload}, follow=True)
    assert "解密成功" in right.content.decode() and Bid.objects.get(pk=o.bids[0].pk).status == rules.BID_DECRYPTED
    assert client.post(f"/trading/opening/{o.lot.pk}/do/nothing/").status_code == 404
    client.force_login(town.citizen)
    assert client.get(f"/trading/opening/{o.lot.pk}/").status_code == 403


def test_the_plan_form_saves_the_ranges_and_shows_errors(client, town, opening_storage):
    o = make_opening(town)
    client.force_login(town.tenderer)
    assert f"/trading/opening/{o.lot.pk}/plan/" in client.get(f"/trading/opening/{o.lot.pk}/").content.decode()
    assert f"/trading/opening/{o.lot.pk}/" in client.get(f"/trading/lots/{o.lot.pk}/").content.decode()  # from the lot
    assert "下浮率" in client.get(f"/trading/opening/{o.lot.pk}/plan/").content.decode()
    bad = client.post(f"/trading/opening/{o.lot.pk}/plan/", {"float_low": "3"})
    assert "下限、上限和步长须同时填写" in bad.content.decode()
    good = client.post(f"/trading/opening/{o.lot.pk}/plan/", {**FLOAT_PLAN, "decrypt_minutes": "30"})
    assert good.status_code == 302 and OpeningPlan.objects.get(lot=o.lot).float_high == 6
    client.force_login(o.bidders[0])
    assert client.get(f"/trading/opening/{o.lot.pk}/plan/").status_code == 403


def test_the_draw_check_page_and_the_record_download(client, town, opening_storage, django_capture_on_commit_callbacks):
    o = make_opening(town, plan=FLOAT_PLAN)
    client.force_login(town.staff)
    client.post(f"/trading/opening/{o.lot.pk}/do/open/")
    assert "抽取后公布" in client.get(f"/trading/opening/{o.lot.pk}/draw/").content.decode()
    client.post(f"/trading/opening/{o.lot.pk}/do/draw/")  # no bidder signed in: the centre draws
    assert "一致：种子与承诺值相符" in client.get(f"/trading/opening/{o.lot.pk}/draw/").content.decode()
    for person, key in zip(o.bidders, o.keys, strict=True):
        client.force_login(person)
        client.post(f"/trading/opening/{o.lot.pk}/do/decrypt/", {"key_text": key})
    client.force_login(town.staff)
    client.post(f"/trading/opening/{o.lot.pk}/do/publish/")
    assert client.get(f"/trading/opening/{o.lot.pk}/record.pdf").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/trading/opening/{o.lot.pk}/do/record/")
    client.force_login(o.bidders[1])
    pdf = client.get(f"/trading/opening/{o.lot.pk}/record.pdf")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert client.get(api(o.lot, "/record")).status_code == 200


def test_the_index_lists_a_bidders_openings_in_few_queries(client, town, opening_storage):
    opened = [make_opening(town) for _ in range(3)]
    client.force_login(opened[0].bidders[0])
    client.get("/trading/opening/")
    with assert_max_queries(10):
        response = client.get("/trading/opening/")
    assert response.status_code == 200 and response.content.decode().count("/trading/opening/") >= 3
    client.force_login(town.staff)
    with assert_max_queries(12):  # a constant: attendance, lines and objections are one query each
        assert client.get(api(opened[0].lot)).status_code == 200
    assert Lot.objects.count() == 3


def test_a_failed_opening_shows_its_reason_and_odd_ids_are_not_found(client, town, opening_storage):
    o = make_opening(town, 2)
    client.force_login(town.staff)
    client.post(f"/trading/opening/{o.lot.pk}/do/open/")
    client.force_login(o.bidders[0])
    page = client.get(f"/trading/opening/{o.lot.pk}/").content.decode()
    assert "流标" in page and "投标人少于3个（实收2个），不得开标" in page
    assert client.get(f"/trading/opening/{2**63}/").status_code == 404
    assert client.get(f"/api/v1/trading/lots/{2**63}/opening").status_code in (404, 422)
