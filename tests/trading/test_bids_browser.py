"""Browser sealing in Chromium: seal.js seals a file in the page with WebCrypto, offers the key file, uploads
only the sealed Blob; Python then decrypts the stored ciphertext with the downloaded key (sealing.open_bid).

Skipped (by tests/conftest.py) when Chromium is not installed.
"""

import shutil

import pytest
from django.test import Client

from tests.trading.factories_bids import BidderFactory, bid_data_dir, open_lot  # noqa: F401
from yingshang.trading import sealing
from yingshang.trading.models import Bid
from yingshang.trading.services import bid_files

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("bid_data_dir")]


def _chromium() -> str:
    return shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


@pytest.fixture
def browser_context(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop runs in this thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=_chromium(), headless=True, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        context = browser.new_context(locale="zh-CN", accept_downloads=True)
        try:
            yield context
        finally:
            context.close()
            browser.close()


def _signed_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(30_000)
    return page


def test_a_bid_sealed_in_the_browser_is_decrypted_in_python_with_the_downloaded_key(
        town, live_server, browser_context, tmp_path, monkeypatch):
    bidder, lot = BidderFactory(), open_lot()
    plain = bytes((i * 13) % 256 for i in range(2_600_000))  # three chunks: Blob.slice reads them one by one
    (tmp_path / "技术标.pdf").write_bytes(plain)
    page = _signed_in(browser_context, live_server, bidder)
    posted = []
    real_guard = bid_files.guard_request

    def spy(request):  # what the browser sent, as the server parsed it
        error = real_guard(request)
        posted.append((sorted(request.POST), sorted(request.FILES)))
        return error

    monkeypatch.setattr(bid_files, "guard_request", spy)
    page.goto(f"{live_server.url}/trading/bids/lot/{lot.pk}/")
    page.get_by_label("投标报价（元）").fill("4500000.50")
    page.get_by_label("工期（日历天）").fill("300")
    page.get_by_label("质量标准").fill("合格")
    page.get_by_label("项目经理").fill("张工")
    page.get_by_label("投标文件（在本机加密，不上传原文）").set_input_files(str(tmp_path / "技术标.pdf"))
    with page.expect_download() as download:
        page.get_by_role("button", name="加密并递交").click()
    key_text = (tmp_path / "bid.key")
    download.value.save_as(key_text)
    page.wait_for_url(f"{live_server.url}/trading/bids/*/")
    bid = Bid.objects.get()
    assert page.locator("#receipt-no").inner_text() == bid.receipt_no
    assert page.locator("#receipt-sha256").inner_text() == bid.sha256

    key = sealing.decode_key(key_text.read_text())
    with bid_files.open_sealed(bid.sealed_path) as src:
        sheet, name, body = sealing.open_bid(key, src)
        assert body.read() == plain
    assert sheet == {"price": "4500000.50", "duration": 300, "quality": "合格", "manager": "张工"}
    assert name == "技术标.pdf" and bid.key_check == sealing.key_check(key)
    assert posted == [(["csrfmiddlewaretoken"], ["sealed"])]  # no price field, no key, no plaintext file
    with bid_files.open_sealed(bid.sealed_path) as src:
        uploaded = src.read()
    assert uploaded.startswith(sealing.MAGIC)
    for secret in (key, key_text.read_text().split('"key":"')[1][:44].encode(), b"4500000.50", plain[:256]):
        assert secret not in uploaded

def test_the_page_shows_a_refusal_from_the_server(town, live_server, browser_context, tmp_path):
    bidder, lot = BidderFactory(), open_lot()
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7 x")
    page = _signed_in(browser_context, live_server, bidder)
    page.goto(f"{live_server.url}/trading/bids/lot/{lot.pk}/")
    lot.suspended = True
    lot.save()
    page.get_by_label("投标报价（元）").fill("100")
    page.get_by_label("投标文件（在本机加密，不上传原文）").set_input_files(str(tmp_path / "a.pdf"))
    with page.expect_download():
        page.get_by_role("button", name="加密并递交").click()
    page.locator("#bid-error").get_by_text("暂停").wait_for()
    assert not Bid.objects.exists()
