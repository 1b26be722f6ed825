"""The §2 pages: public list and detail without login (few queries, no bidders), the tenderer's
announce / clarify / answer forms on the lot page, the bidder's pages with download and objection
forms, the centre's pending objections; errors shown as messages."""

import pytest
from django.db import transaction

from tests.helpers import assert_max_queries
from tests.trading.factories_announcements import PDF, BidderFactory, announced_lot, on_sale_lot, pdf
from yingshang.trading import rules
from yingshang.trading.models import Announcement, Clarification, DocumentObjection, Lot, TenderDocument
from yingshang.trading.services import announcements, clarifications, downloads

pytestmark = pytest.mark.django_db


def test_the_public_list_and_detail_need_no_login(client, town):
    lot = announced_lot(town.tenderer)
    with transaction.atomic():
        for i in range(30):
            announcements.do_publish_announcement(lot, "termination", f"终止公告{i}", "正文", published_at=lot.created_at)
    with assert_max_queries(4):
        page = client.get("/trading/public/?kind=termination")
    html = page.content.decode()
    assert page.status_code == 200 and html.count("/trading/public/") >= 20 and "cursor=" in html
    assert 'class="stack"' in html and "kind=termination" in html
    a = Announcement.objects.get(kind="tender")
    detail = client.get(f"/trading/public/{a.pk}/").content.decode()
    assert "招标范围" in detail and TenderDocument.objects.get().sha256 in detail
    assert client.get("/trading/public/99999/").status_code == 404
    assert "翻页参数无效" in client.get("/trading/public/?cursor=%%%").content.decode()


def test_the_tenderer_announces_from_the_lot_page(client, town):
    lot = on_sale_lot(town.tenderer)
    client.force_login(town.tenderer)
    html = client.get(f"/trading/lots/{lot.pk}/").content.decode()
    assert "发布招标公告" in html and 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    response = client.post(f"/trading/lots/{lot.pk}/tender/announce/", {
        "row_version": 1, "title": "招标公告", "body": "范围", "sale_end": "2026-04-27",
        "bid_deadline": "2026-05-12T09:30", "files": [pdf()]}, follow=True)
    assert response.status_code == 200 and "招标公告已发布" in response.content.decode()
    assert Lot.objects.get(pk=lot.pk).status == rules.ANNOUNCED
    html = client.get(f"/trading/lots/{lot.pk}/").content.decode()
    assert "发出澄清或修改" in html and "发布招标公告</h3>" not in html


def test_announce_errors_are_shown_on_the_lot_page(client, town):
    lot = on_sale_lot(town.tenderer)
    client.force_login(town.tenderer)
    response = client.post(f"/trading/lots/{lot.pk}/tender/announce/", {
        "row_version": 1, "title": "招标公告", "body": "范围", "files": [pdf("a.pdf", b"not a pdf")]}, follow=True)
    assert "类型不支持" in response.content.decode()
    assert Lot.objects.get(pk=lot.pk).status == rules.ACCEPTED


def test_clarify_and_answer_from_the_lot_page_and_the_downloaders_shown(client, town):
    lot = announced_lot(town.tenderer)
    bidder = BidderFactory()
    with transaction.atomic():
        downloads.do_download(bidder, TenderDocument.objects.get(lot=lot).pk)
    with transaction.atomic():
        objection = clarifications.do_file_objection(bidder, lot.pk, text="资格条件过高")
    client.force_login(town.tenderer)
    html = client.get(f"/trading/lots/{lot.pk}/").content.decode()
    assert bidder.organization_name in html and "资格条件过高" in html and "暂停" in html
    lot.refresh_from_db()
    response = client.post(f"/trading/lots/{lot.pk}/tender/clarify/", {
        "row_version": lot.row_version, "text": "更正工期", "affects_preparation": "1"}, follow=True)
    assert "澄清/修改已发布" in response.content.decode() and Clarification.objects.count() == 1
    response = client.post(f"/trading/lots/{lot.pk}/tender/objections/{objection.pk}/answer/", {
        "row_version": objection.row_version, "answer": "维持原条件", "publish": "1"}, follow=True)
    assert "异议已答复" in response.content.decode()
    assert DocumentObjection.objects.get().status == DocumentObjection.ANSWERED
    stale = client.post(f"/trading/lots/{lot.pk}/tender/clarify/", {"row_version": 1, "text": "x"}, follow=True)
    assert "已被他人处理" in stale.content.decode()


def test_a_regulator_sees_the_lot_but_not_the_downloaders(client, town):
    lot = announced_lot(town.tenderer, regulator=town.zj)
    bidder = BidderFactory()
    with transaction.atomic():
        downloads.do_download(bidder, TenderDocument.objects.get(lot=lot).pk)
    client.force_login(town.reviewer_zj)
    html = client.get(f"/trading/lots/{lot.pk}/").content.decode()
    assert "公告与招标文件" in html and bidder.organization_name not in html
    client.force_login(town.staff)
    assert bidder.organization_name in client.get(f"/trading/lots/{lot.pk}/").content.decode()


def test_the_bidder_downloads_and_objects_from_its_pages(client, town):
    lot = announced_lot(town.tenderer)
    document = TenderDocument.objects.get(lot=lot)
    bidder = BidderFactory()
    client.force_login(bidder)
    with assert_max_queries(8):
        home = client.get("/trading/bidder/")
    assert home.status_code == 200 and f"/trading/bidder/lots/{lot.pk}/" in home.content.decode()
    page = client.get(f"/trading/bidder/lots/{lot.pk}/").content.decode()
    assert f"/trading/documents/{document.pk}/download/" in page and "下载招标文件后可对其提出异议" in page
    got = client.post(f"/trading/documents/{document.pk}/download/")
    assert got.status_code == 200 and got.content == PDF and "attachment" in got["Content-Disposition"]
    assert lot.project.name in client.get("/trading/bidder/").content.decode()
    response = client.post(f"/trading/bidder/lots/{lot.pk}/objection/", {"text": "评分办法不合理"}, follow=True)
    assert "异议已提交" in response.content.decode() and Lot.objects.get(pk=lot.pk).suspended
    assert client.get(f"/trading/documents/{document.pk}/download/").status_code == 405


def test_other_users_get_no_bidder_pages(client, town):
    lot = announced_lot(town.tenderer)
    client.force_login(town.tenderer)
    assert client.get("/trading/bidder/").status_code == 403
    client.force_login(BidderFactory())
    assert client.get(f"/trading/lots/{lot.pk}/").status_code == 403
    assert client.get(f"/trading/bidder/lots/{on_sale_lot(town.tenderer).pk}/").status_code == 404
    client.logout()
    assert client.get("/trading/bidder/").status_code == 302


def test_the_centre_lists_pending_objections(client, town):
    lot = announced_lot(town.tenderer)
    bidder = BidderFactory()
    with transaction.atomic():
        downloads.do_download(bidder, TenderDocument.objects.get(lot=lot).pk)
        clarifications.do_file_objection(bidder, lot.pk, text="异议")
    client.force_login(town.staff)
    with assert_max_queries(8):
        html = client.get("/trading/objections/").content.decode()
    assert bidder.organization_name in html and "2026-04-23" in html
    client.force_login(town.tenderer)
    assert client.get("/trading/objections/").status_code == 403


def test_a_refused_download_is_shown_on_the_bidder_page(client, town, monkeypatch):
    from datetime import date

    from yingshang.kernel import clock

    lot = announced_lot(town.tenderer)
    document = TenderDocument.objects.get(lot=lot)
    monkeypatch.setattr(clock, "today", lambda: date(2026, 4, 28))
    client.force_login(BidderFactory())
    response = client.post(f"/trading/documents/{document.pk}/download/", follow=True)
    assert response.redirect_chain[-1][0] == f"/trading/bidder/lots/{lot.pk}/"
    assert "获取时间已于 2026-04-27 截止" in response.content.decode()
