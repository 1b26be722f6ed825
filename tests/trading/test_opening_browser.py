"""In Debian's headless Chromium: the centre and three bidders in the opening hall at once. Bidders sign in, the
centre opens, the bidders' representative draws, each bidder decrypts with its key file, and every page shows the
others' status change and then the price sheet without a reload (HTMX polling).

Skipped (by tests/conftest.py) when Chromium is not installed: `apt-get install chromium`.
"""

import shutil

import pytest

from tests.trading.conftest_opening import FLOAT_PLAN, make_opening

PASSWORD = "pass-1234-word"  # UserFactory's
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _chromium() -> str:
    return shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


@pytest.fixture
def browser(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in this thread, the ORM in the server's
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=_chromium(), headless=True,
                                              args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            yield chromium
        finally:
            chromium.close()


def _page_for(browser, base: str, username: str):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(f"{base}/")
    return page


def _click(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def _mark(page) -> None:
    """A marker in the page's JavaScript state: still there later means the page was never reloaded."""
    page.evaluate("window.__notReloaded = true")


def _not_reloaded(page) -> bool:
    return page.evaluate("window.__notReloaded === true")


def test_three_bidders_and_the_centre_open_a_lot_together(town, opening_storage, live_server, browser, tmp_path):
    o = make_opening(town, plan=FLOAT_PLAN, prices=["4500000.00", "4700000.00", "4900000.00"])
    keys = []
    for i, key in enumerate(o.keys):
        path = tmp_path / f"bidder{i + 1}.key"
        path.write_text(key)
        keys.append(str(path))
    base, hall = live_server.url, f"{live_server.url}/trading/opening/{o.lot.pk}/"
    bidders = [_page_for(browser, base, person.username) for person in o.bidders]
    centre = _page_for(browser, base, town.staff.username)

    for page in bidders:  # bidder 1 signs in first: the bidders' representative
        page.goto(hall)
        _click(page, "签到")
    centre.goto(hall)
    for page in bidders:
        _mark(page)
    _click(centre, "开标")
    assert len(centre.locator("#hall-commitment").inner_text()) == 64

    rep = bidders[0]
    rep.get_by_role("button", name="随机抽取", exact=True).wait_for()  # appeared without a reload
    assert _not_reloaded(rep)
    _click(rep, "随机抽取")
    assert "%" in rep.locator("#hall-float-rate").inner_text()
    for page in bidders[1:]:
        page.locator("#hall-seed").wait_for()  # the seed revealed on the others' pages by polling
        assert _not_reloaded(page)

    watcher = bidders[2]
    for page, key in zip(bidders[:2], keys[:2], strict=True):
        page.get_by_role("button", name="解密", exact=True).wait_for()
        page.set_input_files("#key-file", key)
        _click(page, "解密")
        assert "解密成功" in page.content()
    watcher.locator('#bid-row-1[data-decrypted="1"]').wait_for()
    watcher.locator('#bid-row-2[data-decrypted="1"]').wait_for()
    assert _not_reloaded(watcher)
    assert "4500000.00" not in watcher.locator("#hall-bids").inner_text()  # nobody else's price before the reading-out
    watcher.set_input_files("#key-file", keys[2])
    _click(watcher, "解密")

    first = bidders[0]
    _mark(first)
    centre.reload()
    _click(centre, "公布开标一览表（唱标）")
    first.locator("#hall-published").wait_for()
    sheet = first.locator("#hall-bids").inner_text()
    assert _not_reloaded(first)
    assert "4700000.00" in sheet and "4900000.00" in sheet and o.bidders[2].organization_name in sheet
    assert "高于最高投标限价" in sheet
    first.get_by_role("button", name="确认本单位开标一览表", exact=True).wait_for()
    _click(first, "确认本单位开标一览表")
    assert "已签字确认" in first.content()
    first.screenshot(path=str(tmp_path / "hall-bidder.png"), full_page=True)
    centre.set_viewport_size({"width": 390, "height": 844})  # a phone: table.stack / table.kv
    centre.reload()
    centre.screenshot(path=str(tmp_path / "hall-centre-phone.png"), full_page=True)
    assert centre.locator("#hall-bids").is_visible()
