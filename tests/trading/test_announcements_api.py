"""The §2 API: the public announcement list and detail without sign-in, announce and clarify by
multipart, downloads (file, hash header, credit refusal), objections and answers, errors as codes."""

from types import SimpleNamespace

import pytest
from django.db import transaction

from tests.helpers import assert_max_queries
from tests.trading.factories_announcements import PDF, BidderFactory, announced_lot, on_sale_lot, pdf
from yingshang.kernel.models import AuditEntry
from yingshang.trading.models import Announcement, DocumentObjection, TenderDocument
from yingshang.trading.services import announcements, credit_gate

pytestmark = pytest.mark.django_db
API = "/api/v1/trading"


def test_the_announcement_list_is_public_and_pages_by_cursor(client, town):
    lot = announced_lot(town.tenderer)
    with transaction.atomic():
        for i in range(4):
            announcements.do_publish_announcement(lot, "termination", f"终止公告{i}", "正文",
                                                  published_at=lot.created_at)
    with assert_max_queries(2):
        first = client.get(f"{API}/announcements?limit=3")
    body = first.json()
    assert first.status_code == 200 and len(body["items"]) == 3 and body["next_cursor"]
    rest = client.get(f"{API}/announcements?limit=3&cursor={body['next_cursor']}").json()
    assert len(rest["items"]) == 2 and rest["next_cursor"] is None
    only = client.get(f"{API}/announcements?kind=tender").json()["items"]
    assert [a["kind_label"] for a in only] == ["招标公告"]
    assert set(only[0]) >= {"title", "procedure_name", "district", "tenderer_name"}
    bad = client.get(f"{API}/announcements?cursor=zzz")
    assert bad.status_code == 400 and bad.json()["code"] == "trading.cursor_invalid"


def test_the_public_detail_has_documents_and_no_bidders(client, town):
    lot = announced_lot(town.tenderer)
    bidder = BidderFactory()
    with transaction.atomic():
        from yingshang.trading.services import downloads

        downloads.do_download(bidder, TenderDocument.objects.get(lot=lot).pk)
    a = Announcement.objects.get(lot=lot)
    response = client.get(f"{API}/announcements/{a.pk}")
    body = response.json()
    assert response.status_code == 200 and body["documents"][0]["sha256"] == TenderDocument.objects.get().sha256
    assert bidder.organization_name not in response.content.decode() and bidder.uscc not in response.content.decode()
    assert client.get(f"{API}/announcements/99999").json()["code"] == "trading.announcement_not_found"


def test_announce_and_clarify_through_the_api(client, town):
    lot = on_sale_lot(town.tenderer)
    client.force_login(town.tenderer)
    response = client.post(f"{API}/lots/{lot.pk}/announce", {"row_version": 1, "title": "招标公告", "body": "范围",
                                                             "files": [pdf()]})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "announced"
    again = client.post(f"{API}/lots/{lot.pk}/announce", {"row_version": 2, "title": "x", "body": "y", "files": [pdf()]})
    assert again.status_code == 409 and again.json()["code"] == "trading.transition_not_allowed"
    made = client.post(f"{API}/lots/{lot.pk}/clarifications", {"row_version": 2, "text": "更正工期",
                                                               "affects_preparation": "true"})
    assert made.status_code == 201 and made.json()["moved"] is False
    listed = client.get(f"{API}/lots/{lot.pk}/clarifications").json()
    assert [c["text"] for c in listed] == ["更正工期"]
    client.force_login(town.other_tenderer)
    assert client.post(f"{API}/lots/{lot.pk}/clarifications", {"row_version": 3, "text": "x"}).status_code == 404


def test_period_breaches_come_back_with_the_article(client, town):
    lot = on_sale_lot(town.tenderer)
    client.force_login(town.tenderer)
    response = client.post(f"{API}/lots/{lot.pk}/announce", {"row_version": 1, "title": "t", "body": "b",
                                                             "bid_deadline": "2026-05-05T09:30", "files": [pdf()]})
    body = response.json()
    assert response.status_code == 400 and body["code"] == "trading.deadline_too_soon"
    assert "第二十四条" in body["details"]["source"]


def test_a_bidder_downloads_objects_and_the_tenderer_answers(client, town):
    lot = announced_lot(town.tenderer)
    document = TenderDocument.objects.get(lot=lot)
    bidder = BidderFactory()
    client.force_login(bidder)
    assert [d["id"] for d in client.get(f"{API}/lots/{lot.pk}/documents").json()] == [document.pk]
    response = client.get(f"{API}/documents/{document.pk}/download")
    assert response.status_code == 200 and response.content == PDF and response["X-Content-SHA256"] == document.sha256
    assert client.get(f"{API}/lots/{lot.pk}/downloads").json()["code"] == "trading.forbidden"  # bidders never
    filed = client.post(f"{API}/lots/{lot.pk}/objections", {"text": "资格条件过高"}, content_type="application/json")
    assert filed.status_code == 201 and filed.json()["answer_due"] == "2026-04-23"
    objection = filed.json()
    client.force_login(town.tenderer)
    assert [d["uscc"] for d in client.get(f"{API}/lots/{lot.pk}/downloads").json()] == [bidder.uscc]
    assert client.get(f"{API}/lots/{lot.pk}/objections").json()[0]["organization_name"] == bidder.organization_name
    answered = client.post(f"{API}/objections/{objection['id']}/answer", {"row_version": 1, "answer": "维持"})
    assert answered.status_code == 200 and answered.json()["status"] == DocumentObjection.ANSWERED
    stale = client.post(f"{API}/objections/{objection['id']}/answer", {"row_version": 1, "answer": "再答"})
    assert stale.status_code == 409 and stale.json()["code"] == "trading.conflict"
    client.force_login(town.staff)
    assert client.get(f"{API}/objections").json() == []
    client.force_login(town.tenderer)
    assert client.get(f"{API}/objections").json()["code"] == "trading.forbidden"


def test_a_barred_bidder_gets_403_and_the_check_is_kept(client, town, monkeypatch):
    lot = announced_lot(town.tenderer)
    measure = SimpleNamespace(blocking=True, measure_id=1, entry_id=1, content="限制参与招标投标", memorandum="备忘录")
    hit = SimpleNamespace(hit=True, measures=[measure], memberships=[SimpleNamespace(
        list_type_name="失信被执行人", department="法院", document_no="1号")])
    monkeypatch.setattr(credit_gate.joint, "check", lambda uscc, scenario: hit)
    monkeypatch.setattr(credit_gate.joint, "do_record_feedback", lambda *a, **kw: None)
    client.force_login(BidderFactory())
    response = client.get(f"{API}/documents/{TenderDocument.objects.get(lot=lot).pk}/download")
    assert response.status_code == 403 and response.json()["code"] == "trading.credit_barred"
    assert AuditEntry.objects.filter(action="trading.credit.check").exists()


def test_anonymous_users_cannot_act(client, town):
    lot = announced_lot(town.tenderer)
    assert client.post(f"{API}/lots/{lot.pk}/objections", {"text": "x"}, content_type="application/json"
                       ).status_code == 401
    assert client.get(f"{API}/documents/1/download").status_code == 401


def test_the_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {f"{API}/announcements", f"{API}/announcements/{{announcement_id}}", f"{API}/lots/{{lot_id}}/announce",
            f"{API}/documents/{{document_id}}/download", f"{API}/objections/{{objection_id}}/answer"} <= set(paths)
