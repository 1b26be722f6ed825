"""Sealed bids through the API and the pages: submit (multipart, streamed), receipts, withdraw, the
register by actor (centre: who/when/hash; tenderer: the count only), error codes, query counts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import TenderProjectFactory
from tests.helpers import assert_max_queries
from tests.trading.factories_bids import BidderFactory, bid_data_dir, open_lot, sealed  # noqa: F401
from yingshang.trading.models import Bid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bid_data_dir")]


def _file(data: bytes, name="bid.ysbid"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def api_submit(client, lot, data, **fields):
    return client.post(f"/api/v1/trading/lots/{lot.pk}/bids", {"sealed": _file(data), **fields})


def test_submit_through_the_api_returns_the_receipt_at_once(client, town):
    bidder, lot, bid_file = BidderFactory(), open_lot(), sealed()
    client.force_login(bidder)
    response = api_submit(client, lot, bid_file.data)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["sha256"] == bid_file.sha256 and body["receipt_no"].startswith("TB") and body["version"] == 1
    assert body["submitted_at"].startswith("2026-04-20T10:00:00")
    mine = client.get("/api/v1/trading/bids/mine").json()
    assert [b["receipt_no"] for b in mine] == [body["receipt_no"]]
    assert client.get(f"/api/v1/trading/bids/{body['bid_id']}/receipt").json()["sha256"] == bid_file.sha256
    pdf = client.get(f"/api/v1/trading/bids/{body['bid_id']}/receipt.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    again = api_submit(client, lot, sealed().data)
    assert again.status_code == 409 and again.json()["code"] == "trading.bid_exists"
    replaced = api_submit(client, lot, sealed().data, replaces=body["bid_id"])
    assert replaced.status_code == 201 and replaced.json()["version"] == 2
    withdrawn = client.post(f"/api/v1/trading/bids/{replaced.json()['bid_id']}/withdraw",
                            {"row_version": replaced.json()["row_version"]}, content_type="application/json")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"


@pytest.mark.parametrize(("data", "code", "status"), [
    (b"%PDF-1.7 not sealed", "trading.bid_not_sealed", 400),
    (b"YSBID1\n\x00\x00\x00\x05{...}", "trading.bid_not_sealed", 400),
])
def test_api_refusals_come_back_with_their_codes(client, town, data, code, status):
    client.force_login(BidderFactory())
    response = api_submit(client, open_lot(), data)
    assert response.status_code == status and response.json()["code"] == code
    assert not Bid.objects.exists()


def test_api_too_large_deadline_and_permissions(client, town, settings, monkeypatch):
    lot, bidder = open_lot(), BidderFactory()
    client.force_login(bidder)
    settings.TRADING_BID_MAX_BYTES = 2000
    big = api_submit(client, lot, sealed().data + b"\0" * 70_000)  # beyond the limit and the form allowance
    assert big.status_code == 413 and big.json()["code"] == "trading.bid_too_large"
    over = api_submit(client, lot, sealed(plain=b"x" * 2500).data)  # the body passes, the file does not
    assert over.status_code == 413 and over.json()["code"] == "trading.bid_too_large"
    settings.TRADING_BID_MAX_BYTES = 1 << 30
    from datetime import timedelta

    from yingshang.kernel import clock
    monkeypatch.setattr(clock, "now", lambda: lot.bid_deadline + timedelta(milliseconds=1))
    late = api_submit(client, lot, sealed().data)
    assert late.status_code == 409 and late.json()["code"] == "trading.bid_deadline_passed"
    client.force_login(town.staff)
    assert api_submit(client, lot, sealed().data).json()["code"] == "trading.forbidden"
    client.logout()
    assert api_submit(client, lot, sealed().data).status_code == 401
    assert not any((settings.DATA_DIR / "bids" / "incoming").iterdir())  # every spooled file was removed


def test_the_centre_sees_who_and_when_the_tenderer_only_how_many(client, town):
    project = TenderProjectFactory(tenderer_uscc=town.tenderer.uscc, regulator=town.zj)
    lot = open_lot()
    lot.project = project
    lot.save()
    bidders = [BidderFactory() for _ in range(3)]
    for bidder in bidders:
        client.force_login(bidder)
        assert api_submit(client, lot, sealed().data).status_code == 201
    client.force_login(town.staff)
    with assert_max_queries(8):
        seen = client.get(f"/api/v1/trading/lots/{lot.pk}/bids").json()
    assert seen["count"] == 3 and {r["bidder_name"] for r in seen["records"]} == {b.organization_name for b in bidders}
    assert all(len(r["sha256"]) == 64 for r in seen["records"]) and "price" not in seen["records"][0]
    page = client.get(f"/trading/bids/lot/{lot.pk}/received/")
    assert page.status_code == 200 and bidders[0].organization_name in page.content.decode()
    client.force_login(town.tenderer)
    seen = client.get(f"/api/v1/trading/lots/{lot.pk}/bids").json()
    assert seen == {"lot_id": lot.pk, "count": 3, "records": None}
    page = client.get(f"/trading/bids/lot/{lot.pk}/received/").content.decode()
    assert "第二十二条" in page and bidders[0].organization_name not in page
    client.force_login(town.other_tenderer)
    assert client.get(f"/api/v1/trading/lots/{lot.pk}/bids").status_code == 404


def test_a_bidder_sees_only_its_own_bids(client, town):
    lot, mine, other = open_lot(), BidderFactory(), BidderFactory()
    client.force_login(other)
    theirs = api_submit(client, lot, sealed().data).json()
    client.force_login(mine)
    assert client.get("/api/v1/trading/bids/mine").json() == []
    assert client.get(f"/api/v1/trading/bids/{theirs['bid_id']}/receipt").status_code == 404
    withdraw = client.post(f"/api/v1/trading/bids/{theirs['bid_id']}/withdraw", {"row_version": 1},
                           content_type="application/json")
    assert withdraw.status_code == 404 and withdraw.json()["code"] == "trading.bid_not_found"
    assert client.get(f"/trading/bids/{theirs['bid_id']}/").status_code == 404


def test_open_lots_for_bidders_in_few_queries(client, town):
    for _ in range(5):
        open_lot()
    client.force_login(BidderFactory())
    with assert_max_queries(6):
        lots = client.get("/api/v1/trading/bids/open-lots").json()
    assert len(lots) == 5
    with assert_max_queries(12):
        page = client.get("/trading/bids/")
    assert page.status_code == 200 and "可投标的标段" in page.content.decode()


def test_the_bid_form_page_posts_a_sealed_file_and_shows_the_receipt(client, town):
    lot, bidder, bid_file = open_lot(), BidderFactory(), sealed()
    client.force_login(bidder)
    form = client.get(f"/trading/bids/lot/{lot.pk}/")
    html = form.content.decode()
    assert form.status_code == 200 and "加密并递交" in html and "trading/js/seal.js" in html
    assert 'name="csrfmiddlewaretoken"' in html and 'data-plain' in html
    assert 'name="price"' not in html  # the price sheet fields are never posted: sealed in the browser
    posted = client.post(f"/trading/bids/lot/{lot.pk}/", {"sealed": _file(bid_file.data), "direct": "1"})
    bid = Bid.objects.get()
    assert posted.status_code == 302 and posted["Location"] == f"/trading/bids/{bid.pk}/"
    receipt = client.get(posted["Location"]).content.decode()
    assert bid.receipt_no in receipt and bid_file.sha256 in receipt and "撤回投标文件" in receipt
    assert client.get(f"/trading/bids/{bid.pk}/receipt.pdf").content.startswith(b"%PDF")
    replace_form = client.get(f"/trading/bids/lot/{lot.pk}/").content.decode()
    assert f'name="replaces" value="{bid.pk}"' in replace_form
    withdrawn = client.post(f"/trading/bids/{bid.pk}/withdraw/", {"row_version": bid.row_version})
    assert withdrawn.status_code == 302
    bid.refresh_from_db()
    assert bid.status == "withdrawn"


def test_the_form_shows_errors_and_answers_the_script_in_json(client, town):
    lot = open_lot()
    client.force_login(BidderFactory())
    page = client.post(f"/trading/bids/lot/{lot.pk}/", {"sealed": _file(b"plain"), "direct": "1"})
    assert page.status_code == 400 and "不是本平台加密格式" in page.content.decode()
    js = client.post(f"/trading/bids/lot/{lot.pk}/", {"sealed": _file(b"plain")}, HTTP_ACCEPT="application/json")
    assert js.status_code == 400 and js.json()["code"] == "trading.bid_not_sealed"
    ok = client.post(f"/trading/bids/lot/{lot.pk}/", {"sealed": _file(sealed().data)}, HTTP_ACCEPT="application/json")
    assert ok.status_code == 200 and ok.json()["next"].startswith("/trading/bids/")


def test_the_form_checks_csrf(town):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    lot = open_lot()
    client.force_login(BidderFactory())
    response = client.post(f"/trading/bids/lot/{lot.pk}/", {"sealed": _file(sealed().data)})
    assert response.status_code == 403 and not Bid.objects.exists()


def test_pages_refuse_other_roles(client, town):
    lot = open_lot()
    client.force_login(town.staff)
    assert client.get("/trading/bids/").status_code == 403
    assert client.get(f"/trading/bids/lot/{lot.pk}/").status_code == 403
    client.force_login(BidderFactory())
    lot.status = "accepted"
    lot.save()
    assert client.get(f"/trading/bids/lot/{lot.pk}/").status_code == 404  # not open for bids


def test_the_bidders_list_of_bids_in_few_queries(client, town):
    bidder = BidderFactory()
    client.force_login(bidder)
    for _ in range(4):
        assert api_submit(client, open_lot(), sealed().data).status_code == 201
    with assert_max_queries(6):
        mine = client.get("/api/v1/trading/bids/mine").json()
    assert len(mine) == 4 and all(len(b["sha256"]) == 64 for b in mine)


def test_a_lot_filter_beyond_the_integer_range_is_refused_with_422(client, town):
    from tests.factories import UserFactory

    client.force_login(UserFactory(role_codes=["bidder"], uscc="916108028259791964"))
    response = client.get(f"/api/v1/trading/bids/mine?lot_id={2**63}")
    assert response.status_code == 422 and response.json()["code"] == "invalid_input"
