"""The award and complaint API: the whole flow with error codes, uploads, the archive ZIP, scoping, the
public results (names and prices only) and query counts on the lists."""

import io
import zipfile
from datetime import timedelta

import pytest

from tests.helpers import assert_max_queries
from tests.trading.factories_award import evaluated_lot, pdf_upload, publish
from tests.trading.test_award_services import travel  # noqa: F401  (fixture)
from yingshang.kernel import clock

pytestmark = pytest.mark.django_db
API = "/api/v1/trading"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def members(n=5):
    return [{"name": f"委员{i}", "title": "董事"} for i in range(n)]


def test_the_award_flow_through_the_api(client, town, travel, django_capture_on_commit_callbacks):  # noqa: F811
    lot, cands, others = evaluated_lot(town)
    client.force_login(town.agency)
    short = post(client, f"{API}/lots/{lot.pk}/publicity", {"row_version": 1, "ends_on": str(clock.today() + timedelta(1)),
                                                           "award_method": "price"})
    assert short.status_code == 400 and short.json()["code"] == "trading.publicity_too_short"
    shown = post(client, f"{API}/lots/{lot.pk}/publicity", {"row_version": 1, "award_method": "price",
                                                           "ends_on": str(clock.today() + timedelta(3))})
    assert shown.status_code == 200 and shown.json()["status"] == "publicity"
    assert [c["price"] for c in shown.json()["candidates"]] == ["4500000.00", "4400000.00", "4600000.00"]
    client.force_login(others[0].bidder)
    objected = post(client, f"{API}/lots/{lot.pk}/result-objections", {"content": "报价异常"})
    assert objected.status_code == 200 and objected.json()["suspended"] is True
    objection = objected.json()["objections"][0]
    client.force_login(town.tenderer)
    travel(4)
    pending = post(client, f"{API}/lots/{lot.pk}/award", {"row_version": objected.json()["row_version"],
                                                         "members": members(), "reasons": "价格最低"})
    assert pending.status_code == 409 and pending.json()["code"] == "trading.objection_pending"
    answered = post(client, f"{API}/result-objections/{objection['id']}/answer", {"row_version": objection["row_version"],
                                                                          "answer": "报价经核实无异常"})
    assert answered.status_code == 200 and answered.json()["suspended"] is False
    with django_capture_on_commit_callbacks(execute=True):
        decided = post(client, f"{API}/lots/{lot.pk}/award", {"row_version": answered.json()["row_version"],
                                                             "members": members(), "reasons": "价格最低"})
    body = decided.json()
    assert decided.status_code == 200 and body["status"] == "awarded", body
    assert body["decision"]["winner_candidate_id"] == cands[1].pk and body["decision"]["notice_code"]
    late = client.post(f"{API}/lots/{lot.pk}/contract", {"row_version": body["row_version"], "signed_on": "2026-04-01",
                                                         "file": pdf_upload()})
    assert late.status_code == 400 and late.json()["code"] == "trading.contract_before_notice"
    signed = client.post(f"{API}/lots/{lot.pk}/contract", {"row_version": body["row_version"],
                                                           "signed_on": str(clock.today()), "file": pdf_upload()})
    assert signed.status_code == 200 and signed.json()["contract"]["sha256"]
    client.force_login(town.staff)
    with django_capture_on_commit_callbacks(execute=True):
        certified = post(client, f"{API}/lots/{lot.pk}/certificate", {})
    assert certified.json()["certificate"]["verify_url"].endswith("/")
    verify = client.get("/" + certified.json()["certificate"]["verify_url"].split("/", 3)[3])  # the QR code's page
    assert verify.status_code == 200 and certified.json()["certificate"]["sha256"] in verify.content.decode()
    archived = post(client, f"{API}/lots/{lot.pk}/archive", {"row_version": signed.json()["row_version"]})
    assert archived.status_code == 200 and archived.json()["archive"]["manifest_sha256"]
    again = post(client, f"{API}/lots/{lot.pk}/archive", {"row_version": archived.json()["row_version"]})
    assert again.status_code == 409 and again.json()["code"] == "trading.transition_not_allowed"
    client.force_login(town.reviewer_zj)
    zipped = client.get(f"{API}/lots/{lot.pk}/archive.zip")
    assert zipped.status_code == 200 and zipped["Content-Type"] == "application/zip"
    assert "manifest.json" in zipfile.ZipFile(io.BytesIO(zipped.content)).namelist()
    client.force_login(town.reviewer_jt)
    assert client.get(f"{API}/lots/{lot.pk}/archive.zip").json()["code"] == "trading.archive_not_found"
    client.logout()
    public = client.get(f"{API}/public/results/{lot.pk}").json()
    assert public["winner_name"] == cands[1].bid.bidder_name and "uscc" not in str(public)


def test_bidders_see_only_their_results_and_lots(client, town):
    lot, cands, others = evaluated_lot(town)
    publish(town, lot)
    client.force_login(others[0].bidder)
    mine = client.get(f"{API}/my/results").json()
    assert [(r["lot_id"], r["candidate"], r["in_publicity"]) for r in mine] == [(lot.pk, False, True)]
    other_lot, _, _ = evaluated_lot(town)
    assert client.get(f"{API}/lots/{other_lot.pk}/award").json()["code"] == "trading.not_found"
    assert post(client, f"{API}/lots/{lot.pk}/publicity", {"row_version": 1, "ends_on": "2026-04-25",
                                                          "award_method": "price"}).status_code == 403
    client.force_login(town.citizen)
    assert client.get(f"{API}/lots/{lot.pk}/award").status_code == 404
    assert client.get(f"{API}/my/results").json()["code"] == "trading.forbidden"


def test_complaints_through_the_api(client, town):
    lot, _, others = evaluated_lot(town)
    publish(town, lot)
    bidder = others[0].bidder
    client.force_login(bidder)
    form = {"matter": "result", "known_on": str(clock.today()), "facts": "候选人业绩造假", "grounds": "实施条例第五十四条",
            "request": "取消其候选人资格"}
    first = client.post(f"{API}/lots/{lot.pk}/complaints", form)
    assert first.status_code == 400 and first.json()["code"] == "trading.objection_first"
    filed = client.post(f"{API}/lots/{lot.pk}/complaints", {**form, "matter": "other", "evidence": [pdf_upload("证据.pdf")],
                                                            "evidence_title": ["业绩证明"]})
    assert filed.status_code == 201, filed.json()
    c = filed.json()
    assert c["evidence"][0]["title"] == "业绩证明" and c["accept_by"] > str(clock.today())
    client.force_login(town.reviewer_jt)
    assert client.get(f"{API}/complaints").json() == []
    assert post(client, f"{API}/complaints/{c['id']}/accept", {"row_version": 1}).status_code == 404
    client.force_login(town.reviewer_zj)
    with assert_max_queries(9):
        queue = client.get(f"{API}/complaints?status=filed").json()
    assert [q["id"] for q in queue] == [c["id"]]
    accepted = post(client, f"{API}/complaints/{c['id']}/accept", {"row_version": 1, "suspend": True}).json()
    assert accepted["status"] == "accepted" and accepted["suspends_procedure"] and accepted["decide_by"]
    stopped = post(client, f"{API}/complaints/{c['id']}/clock-stops", {"row_version": accepted["row_version"],
                                                                      "kind": "bogus", "reason": "x"})
    assert stopped.status_code == 400 and stopped.json()["code"] == "trading.kind_invalid"
    stale = post(client, f"{API}/complaints/{c['id']}/decide", {"row_version": 1, "outcome": "dismissed", "decision": "x"})
    assert stale.status_code == 409 and stale.json()["code"] == "trading.conflict"
    decided = post(client, f"{API}/complaints/{c['id']}/decide", {"row_version": accepted["row_version"],
                                                                 "outcome": "dismissed", "decision": "查无实据",
                                                                 "malicious": True, "malicious_reason": "捏造事实"})
    assert decided.status_code == 200 and decided.json()["malicious"]
    assert [m["id"] for m in client.get(f"{API}/complaints/malicious").json()] == [c["id"]]
    client.logout()
    assert client.get(f"{API}/public/complaints").json()[0]["decision"] == "查无实据"


def test_public_results_list_in_few_queries(client, town):
    for _ in range(4):
        lot, _, _ = evaluated_lot(town)
        publish(town, lot)
    with assert_max_queries(4):
        page = client.get(f"{API}/public/results").json()
    assert page["total"] == 4 and len(page["items"][0]["candidates"]) == 3


def test_upload_size_limit_and_bad_bodies(client, town, settings):
    lot, _, others = evaluated_lot(town)
    publish(town, lot)
    client.force_login(town.tenderer)
    assert post(client, f"{API}/lots/{lot.pk}/award", {"members": "x"}).status_code == 422
    client.force_login(others[0].bidder)
    settings.UPLOAD_MAX_BYTES = 10
    big = client.post(f"{API}/lots/{lot.pk}/complaints", {
        "matter": "other", "known_on": str(clock.today()), "facts": "x", "grounds": "x", "request": "x",
        "evidence": [pdf_upload()]})
    assert big.status_code == 400 and big.json()["code"] == "upload.too_large"


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {f"/api/v1/trading{p}" for p in ("/lots/{lot_id}/award", "/lots/{lot_id}/contract", "/complaints",
                                            "/public/results")} <= set(paths)



def test_my_results_and_contracts_due_in_few_queries(client, town, travel):  # noqa: F811
    from django.db import transaction

    from tests.trading.factories_award import BidderFactory, BidFactory
    from yingshang.trading.services import award

    bidder, lot_ids = BidderFactory(), []
    for _ in range(3):
        lot, _, _ = evaluated_lot(town)
        BidFactory(lot=lot, bidder=bidder)
        publish(town, lot)
        lot_ids.append(lot.pk)
    travel(4)
    for lot_id in lot_ids:
        with transaction.atomic():
            award.do_award(town.tenderer, lot_id, None, members=[{"name": f"委员{i}"} for i in range(3)], reasons="x")
    client.force_login(bidder)
    with assert_max_queries(8):
        mine = client.get(f"{API}/my/results").json()
    assert [r["result"] for r in mine] == ["未中标"] * 3
    client.force_login(town.staff)
    with assert_max_queries(7):
        due = client.get(f"{API}/contracts/due").json()
    assert len(due) == 3 and not any(d["overdue"] for d in due)


def test_a_bidder_sees_names_and_prices_not_the_committees_notes(client, town):
    lot, _, others = evaluated_lot(town)
    publish(town, lot)
    client.force_login(others[0].bidder)
    seen = client.get(f"{API}/lots/{lot.pk}/award").json()["candidates"]
    assert seen[0]["bidder_name"] and seen[0]["strengths"] == "" and seen[0]["risks"] == ""
    client.force_login(town.tenderer)
    assert client.get(f"{API}/lots/{lot.pk}/award").json()["candidates"][0]["strengths"]
