"""Smoke test in Debian's headless Chromium: sign in as two roles, see each home page, sign out.

Skipped (by tests/conftest.py) when Chromium is not installed: `apt-get install chromium`.
"""

import os
import shutil

import pytest

from tests.factories import DepartmentFactory, UserFactory

PASSWORD = "pass-1234-word"  # UserFactory's

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _chromium() -> str:
    return shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


@pytest.fixture
def people():
    city = DepartmentFactory(city=True)
    hall = DepartmentFactory(parent=city, hall=True, name="榆林市政务服务中心")
    return {
        "citizen": UserFactory(citizen=True, username="zhangsan", real_name="张三"),
        "clerk": UserFactory(clerk=True, username="clerk", real_name="李晓梅", department=hall),
    }


@pytest.fixture
def browser_page(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls run in its own.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=_chromium(), headless=True, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        try:
            yield page
        finally:
            context.close()
            browser.close()


def _sign_in(page, base_url: str, username: str):
    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(f"{base_url}/")


def _sign_out(page, base_url: str):
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(f"{base_url}/")
    assert page.get_by_role("link", name="登录", exact=True).first.is_visible()


def test_citizen_and_window_clerk_sign_in_and_see_their_home_pages(people, live_server, browser_page, tmp_path):
    page, base = browser_page, live_server.url

    page.goto(f"{base}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.get_by_role("heading", level=1).inner_text() == "欢迎使用榆林市营商平台"

    _sign_in(page, base, "zhangsan")
    assert page.get_by_role("heading", level=1).inner_text() == "我的办事"
    assert page.get_by_text("张三", exact=True).is_visible()
    assert page.get_by_role("link", name="首页").get_attribute("aria-current") == "page"
    assert page.get_by_role("link", name="组织机构").count() == 0  # not for citizens
    page.screenshot(path=str(tmp_path / "citizen-home.png"), full_page=True)
    _sign_out(page, base)

    _sign_in(page, base, "clerk")
    assert page.get_by_role("heading", level=1).inner_text() == "综合受理工作台"
    assert page.get_by_text("榆林市政务服务中心").first.is_visible()
    assert page.get_by_role("navigation", name="主导航").get_by_role("link", name="组织机构").is_visible()
    page.screenshot(path=str(tmp_path / "clerk-home.png"), full_page=True)
    _sign_out(page, base)

    assert (tmp_path / "clerk-home.png").stat().st_size > 10_000
    if os.environ.get("YS_SCREENSHOT_DIR"):  # keep the pictures for a person to look at
        for name in ("citizen-home.png", "clerk-home.png"):
            shutil.copy(tmp_path / name, os.environ["YS_SCREENSHOT_DIR"])


def test_mobile_menu_opens_with_the_keyboard(people, live_server, browser_page):
    page, base = browser_page, live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in(page, base, "clerk")
    toggle = page.get_by_role("button", name="菜单")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not page.get_by_role("link", name="我的消息").is_visible()
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="我的消息").is_visible()
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
