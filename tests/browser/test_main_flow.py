"""The government-services main flow end to end in Debian's headless Chromium (issue 3, Tests):

apply online → accept with pending materials (容缺受理) → supplement → parallel approval by two
departments → decision → issue (licence number, PDF, e-licence) → pickup at a hall → rate.

Each person works in their own browser context (own cookies), as they would on their own machines.
Skipped (by tests/conftest.py) when Chromium is not installed: `apt-get install chromium`.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.test_smoke import PASSWORD, _chromium
from tests.cases.conftest import PERSON_ID, publish
from tests.cases.factories_apply import PDF
from tests.factories import DepartmentFactory, UserFactory
from yingshang.catalog.content import DepartmentRow, MaterialRow, StepRow, VersionContent
from yingshang.kernel.protect import id_digest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _joint_licence() -> VersionContent:
    """A joint licence: market regulation and health review in parallel (stage 2), then the decision."""
    return VersionContent(
        fields={"name": "食品生产经营与卫生联办许可", "item_type": "administrative_license", "kind": "joint",
                "legal_basis": "《中华人民共和国食品安全法》第三十五条", "statutory_limit_days": 20,
                "committed_limit_days": 10, "do_online": True, "channels": ["window", "online"],
                "result_name": "食品经营许可证"},
        departments=[DepartmentRow("610800-SCJG"), DepartmentRow("610800-WJ")],
        materials=[MaterialRow("许可申请书"), MaterialRow("食品安全管理制度", pending_allowed=True)],
        steps=[StepRow("综合受理", "610800-SCJG", 1, "accept", 0),
               StepRow("食品经营审查", "610800-SCJG", 2, "review", 4), StepRow("卫生审查", "610800-WJ", 2, "review", 4),
               StepRow("许可决定", "610800-SCJG", 3, "decide", 2)],
    )


@pytest.fixture
def city():
    from yingshang.kernel.services.calendar import seed_from_chinese_calendar

    seed_from_chinese_calendar()
    root = DepartmentFactory(city=True)
    scjg = DepartmentFactory(code="610800-SCJG", name="榆林市市场监督管理局", parent=root, division_code="610800")
    wj = DepartmentFactory(code="610800-WJ", name="榆林市卫生健康委员会", parent=root, division_code="610800")
    hall = DepartmentFactory(code="610800-HALL01", name="榆林市市民大厦政务服务大厅", parent=root, hall=True)
    version = publish("YJS-SPWS-001", _joint_licence(), scjg)
    return {
        "version": version,
        "citizen": UserFactory(username="lilei", real_name="李雷", role_codes=["citizen"], phone="13800138000",
                               id_number_digest=id_digest(PERSON_ID),
                               id_number_masked=PERSON_ID[:6] + "********" + PERSON_ID[-4:]),
        "clerk": UserFactory(username="clerk", real_name="王芳", role_codes=["window_clerk"], department=hall),
        "scjg": UserFactory(username="rev_scjg", real_name="刘洋", role_codes=["dept_reviewer"], department=scjg),
        "wj": UserFactory(username="rev_wj", real_name="郭敏", role_codes=["dept_reviewer"], department=wj),
    }


@pytest.fixture
def browser(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls run in its own.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=_chromium(), headless=True, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        try:
            yield browser
        finally:
            browser.close()


def _as(browser, base: str, username: str):
    """A fresh browser context signed in as `username`."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_url(f"{base}/")
    return page


def _case():
    from yingshang.cases.models import Case

    return Case.objects.get(item__code="YJS-SPWS-001")


def _submit_in(page, summary: str, button: str):
    """Open the <details> section named `summary` and press its button."""
    section = page.locator("details", has=page.locator("summary", has_text=summary))
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    section.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_apply_online_accept_with_pending_supplement_parallel_approval_issue_and_rate(city, live_server, browser, tmp_path):
    base = live_server.url
    version = city["version"]
    form_material = version.materials.get(name="许可申请书")
    pending_material = version.materials.get(name="食品安全管理制度")
    upload = tmp_path / "许可申请书.pdf"
    upload.write_bytes(PDF)

    # 1. The citizen applies online, uploading the application form and leaving the 容缺 material out.
    citizen = _as(browser, base, "lilei")
    citizen.goto(f"{base}/cases/apply/YJS-SPWS-001/")
    citizen.locator(f"#file-{form_material.pk}").set_input_files(str(upload))
    citizen.get_by_label("通讯地址").fill("榆林市榆阳区新建路 1 号")
    citizen.get_by_role("button", name="提交申请").click()
    citizen.wait_for_load_state()
    case = _case()
    assert case.status == "submitted" and case.channel == "online" and case.case_no
    assert case.materials.get(material=form_material).status == "provided"
    assert case.materials.get(material=pending_material).status != "provided"

    # 2. The window clerk accepts with the pending material (容缺受理); the commitment is signed.
    clerk = _as(browser, base, "clerk")
    clerk.goto(f"{base}/cases/{case.case_no}/")
    assert clerk.get_by_text(case.case_no).first.is_visible()
    _submit_in(clerk, "容缺受理", "容缺受理并出具承诺书")
    case = _case()
    assert case.status == "accepted_pending"
    assert case.commitments.get().is_open

    # 3. The applicant brings the material; the clerk registers it and the commitment is kept.
    clerk.goto(f"{base}/cases/{case.case_no}/")
    section = clerk.locator("details", has=clerk.locator("summary", has_text="补交材料"))
    section.get_by_label("食品安全管理制度").check()
    section.get_by_role("button", name="登记补交").click()
    clerk.wait_for_load_state()
    case = _case()
    assert case.status in ("accepted", "in_review")
    assert case.commitments.get().fulfilled_at is not None

    # 4. Two departments review in parallel; the case waits until both approve.
    for username, step_name in (("rev_scjg", "食品经营审查"), ("rev_wj", "卫生审查")):
        reviewer = _as(browser, base, username)
        reviewer.goto(f"{base}/cases/{case.case_no}/")
        _submit_in(reviewer, f"办理环节：{step_name}", "审查通过")
        reviewer.context.close()
    case = _case()
    assert case.steps.filter(stage=2, status="approved").count() == 2

    # 5. Market regulation decides, then issues the licence (number, PDF, e-licence in the wallet).
    scjg = _as(browser, base, "rev_scjg")
    scjg.goto(f"{base}/cases/{case.case_no}/")
    if scjg.locator("summary", has_text="办理环节：许可决定").count():
        _submit_in(scjg, "办理环节：许可决定", "审查通过")
        scjg.goto(f"{base}/cases/{case.case_no}/")
    _submit_in(scjg, "作出决定", "作出决定")
    assert _case().status == "approved"
    scjg.goto(f"{base}/cases/{case.case_no}/")
    _submit_in(scjg, "制发证照（统一出件）", "生成证照编号、证照文书和电子证照")
    case = _case()
    assert case.status == "issued"
    assert re.search(r"\d{4}\d{6}$", case.issuance.number)

    # 6. The applicant picks the licence up at the hall; the case is concluded.
    clerk.goto(f"{base}/cases/{case.case_no}/")
    section = clerk.locator("details", has=clerk.locator("summary", has_text="窗口领取"))
    section.get_by_label("领取人姓名").fill("李雷")
    section.get_by_label(re.compile("领取人证件号码")).fill(PERSON_ID)
    section.get_by_role("button", name="登记领取并办结").click()
    clerk.wait_for_load_state()
    assert _case().status == "concluded"

    # 7. The applicant sees the result and the e-licence, and rates the service.
    citizen.goto(f"{base}/cases/mine/{case.case_no}/")
    assert citizen.get_by_text(case.issuance.number).first.is_visible()
    citizen.goto(f"{base}/licences/")
    assert citizen.get_by_text(case.issuance.number).first.is_visible()
    citizen.goto(f"{base}/supervision/rate/{case.case_no}/")
    citizen.locator("input[name=score][value='5']").check()
    citizen.get_by_role("button", name="提交评价").click()
    citizen.wait_for_load_state()
    from yingshang.supervision.models import Rating

    assert Rating.objects.get(case=case).score == 5
    assert PERSON_ID not in citizen.content()  # the ID number is never shown unmasked
    citizen.screenshot(path=str(tmp_path / "rated.png"), full_page=True)
