"""Phones (issue 11 §4): every page fits a 375-pixel-wide screen in Chromium, and a citizen applies from one.

Citizens apply from phones: no page may scroll sideways (`document.documentElement.scrollWidth <= 375`),
tables stack or scroll inside their wrapper, forms stay usable. The pages come from the URL confs: the
public ones, the citizen's and the enterprise's, and the main staff pages, with data so they are not
empty. Skipped (by tests/conftest.py) when Chromium is not installed: `apt-get install chromium`.
"""

from __future__ import annotations

import os
import random
import re
import shutil
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.urls import reverse

from tests.browser.test_main_flow import browser, city  # noqa: F401  (fixtures: the main flow's city and Chromium)
from tests.browser.test_smoke import PASSWORD
from tests.cases.conftest import PERSON_ID, person
from tests.cases.factories_apply import PDF, enterprise, pdf
from tests.factories import DepartmentFactory, LotFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 375
PHONE = {"viewport": {"width": WIDTH, "height": 812}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2,
         "locale": "zh-CN"}
ITEM = "YJS-SPWS-001"  # the main flow's joint licence, applied for online


def _phone(browser, base: str, username: str | None = None):  # noqa: F811
    page = browser.new_context(**PHONE).new_page()
    page.set_default_timeout(20_000)
    if username:
        page.goto(f"{base}/login/")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录", exact=True).click()
        page.wait_for_url(f"{base}/")
    return page


def _too_wide(page, base: str, paths) -> list[str]:
    """The pages (of `paths`: a path, or (path, expected status)) that answer otherwise or scroll sideways,
    each with the elements sticking out."""
    problems = []
    for entry in paths:
        path, expected = entry if isinstance(entry, tuple) else (entry, 200)
        response = page.goto(base + path)
        status = response.status if response else 0
        width = page.evaluate("document.documentElement.scrollWidth")
        if status != expected or width > WIDTH:
            culprits = page.evaluate("""(w) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > w + 1)
                .slice(0, 4).map(e => e.tagName.toLowerCase() + '.' + (e.getAttribute('class') || '').trim())""", WIDTH)
            problems.append(f"{path}: HTTP {status}, scrollWidth {width} {culprits}")
    return problems


@pytest.fixture
def pages(city, tmp_path):  # noqa: F811
    """Data behind every page: an issued case (licence, documents), an online case, a theme, credit records."""
    from tests.cases.factories_issuance import issued_case
    from tests.credit.conftest import import_csv, licence_rows, penalty_rows
    from yingshang.cases.services import applications, online
    from yingshang.catalog import services as catalog
    from yingshang.credit.models import LicenseRecord, PenaltyRecord
    from yingshang.kernel.models import IssuedDocument
    from yingshang.kernel.rules.identifiers import generate_uscc
    from yingshang.licences.models import ELicense

    version = city["version"]
    scjg = version.item.department
    rng = random.Random(11)
    scjg.uscc = generate_uscc(rng, division_code="610800", authority="1", category="1")
    scjg.save(update_fields=["uscc"])
    root = scjg.parent
    staff = SimpleNamespace(clerk=city["clerk"], reviewer_scjg=city["scjg"], reviewer_wj=city["wj"],
                            reviewer_sw=city["scjg"])
    issued = issued_case(staff, version, applicant=person("李雷", PERSON_ID))
    citizen = city["citizen"]
    with transaction.atomic():
        draft = applications.do_create_application(citizen, ITEM, submit=False)
    form = version.materials.get(name="许可申请书")
    changes = online.Changes(form={"address": "榆林市榆阳区新建路 1 号"}, uploads={form.pk: pdf("许可申请书.pdf")})
    with transaction.atomic():
        draft = online.do_update(citizen, draft.pk, draft.row_version, changes)
    with transaction.atomic():
        submitted = applications.do_submit(citizen, draft.pk, draft.row_version)
    with transaction.atomic():
        catalog.do_save_theme("food-business", [ITEM], name="开办餐饮店", audience="enterprise", summary="食品经营一次办")
    import_csv(tmp_path, "license", scjg, licence_rows(scjg, 4, person_every=2))
    import_csv(tmp_path, "penalty", scjg, penalty_rows(scjg, 4))
    xyb = DepartmentFactory(code="610800-XYB", name="榆林市社会信用体系建设办公室", parent=root, division_code="610800")
    return SimpleNamespace(
        issued=issued, submitted=submitted, licence=ELicense.objects.first(),
        document=IssuedDocument.objects.first(), license_record=LicenseRecord.objects.first(),
        penalty_record=PenaltyRecord.objects.first(), enterprise=enterprise(),
        supervisor=UserFactory(username="supervisor", role_codes=["supervisor"], department=root),
        credit=UserFactory(username="credit", role_codes=["credit_officer"], department=xyb),
        admin=UserFactory(username="admin", admin=True),
        trading=UserFactory(username="trading", trading_staff=True, department=root),
        tenderer=(tenderer := UserFactory(username="tenderer", tenderer=True)),
        bidder=UserFactory(username="bidder", role_codes=["bidder"], uscc="916108028259791964",
                           organization_name="陕西秦川建设工程有限公司"),
        expert=UserFactory(username="expert", role_codes=["expert"]),
        lot=LotFactory(registered=True, project__tenderer_uscc=tenderer.uscc, project__regulator=root,
                       name="榆林市城区道路改造工程施工第一标段"),
    )


def test_every_page_fits_a_375_pixel_phone_screen(pages, city, live_server, browser):  # noqa: F811
    base = live_server.url
    assert pages.licence and pages.document and pages.license_record and pages.penalty_record
    public = [
        "/", "/login/", reverse("catalog:guide"), reverse("catalog:guide") + "?q=食品", "/guide/?theme=food-business",
        reverse("catalog:detail", args=[ITEM]), reverse("catalog:print", args=[ITEM]), reverse("cases:progress"),
        reverse("cases:progress") + f"?no={pages.issued.case_no}&last4={PERSON_ID[-4:]}",
        reverse("credit:public"), reverse("credit:public") + "?kind=penalty", reverse("credit:public-lists"),
        reverse("credit:public-record", args=["license", pages.license_record.pk]),
        reverse("credit:public-record", args=["penalty", pages.penalty_record.pk]),
        reverse("supervision:evaluate"), reverse("document-verify", args=[pages.document.verification_code]),
        ("/verify/?code=NO-SUCH-CODE", 404), ("/no-such-page/", 404),
        reverse("trading:public"), reverse("trading:public-results"), reverse("trading:public-complaints"),
    ]
    citizen = [
        "/", reverse("cases:apply"), reverse("cases:apply-item", args=[ITEM]), reverse("cases:mine"),
        reverse("cases:mine-detail", args=[pages.submitted.case_no]), reverse("cases:library"), reverse("licences:list"),
        reverse("licences:detail", args=[pages.licence.pk]), reverse("credit:me"), reverse("credit:report"),
        reverse("supervision:my-ratings"), reverse("inbox"),
    ]
    enterprise_pages = ["/", reverse("cases:apply"), reverse("cases:mine"), reverse("licences:list"), reverse("credit:me")]
    case = pages.issued.case_no
    staff = {
        "clerk": ["/", reverse("cases:window"), f"{reverse('cases:window-new')}?item={ITEM}", reverse("cases:list"),
                  reverse("cases:detail", args=[case]), reverse("departments")],
        "rev_scjg": ["/", reverse("cases:inbox"), reverse("cases:detail", args=[pages.submitted.case_no]),
                     reverse("credit:imports")],
        "supervisor": ["/", reverse("supervision:report"), reverse("supervision:cases"), reverse("supervision:ranking"),
                       reverse("supervision:ratings"), reverse("supervision:rectifications"), reverse("audit-log")],
        "credit": ["/", reverse("credit:home"), reverse("credit:lists"), reverse("credit:designate"),
                   reverse("credit:check"), reverse("credit:quality"), reverse("credit:dashboard"),
                   reverse("credit:commitments"), reverse("credit:commitment-new"),
                   reverse("credit:handling-objections"), reverse("credit:handling-repairs"), reverse("credit:duplicates")],
        "admin": ["/", reverse("inbox")],
        "trading": ["/", reverse("trading:queue"), reverse("trading:lots"), reverse("trading:lot", args=[pages.lot.pk]),
                    reverse("trading:objections"), reverse("trading:bonds-centre"), reverse("trading:refunds"),
                    reverse("trading:opening"), reverse("trading:experts"), reverse("trading:expert-new"),
                    reverse("trading:evaluations"), reverse("trading:contracts-due")],
        "tenderer": ["/", reverse("trading:lots"), reverse("trading:new-project"),
                     reverse("trading:lot", args=[pages.lot.pk]), reverse("trading:lot-edit", args=[pages.lot.pk])],
        "bidder": ["/", reverse("trading:bidder"), reverse("trading:bids-mine"), reverse("trading:bonds"),
                   reverse("trading:my-results"), reverse("trading:complaints"), reverse("trading:clarifications")],
        "expert": ["/", reverse("trading:my-expert"), reverse("trading:evaluations")],
    }
    problems = _too_wide(_phone(browser, base), base, public)
    problems += _too_wide(_phone(browser, base, "lilei"), base, citizen)
    problems += _too_wide(_phone(browser, base, pages.enterprise.username), base, enterprise_pages)
    for username, paths in staff.items():
        problems += [f"[{username}] {p}" for p in _too_wide(_phone(browser, base, username), base, paths)]
    assert not problems, "pages wider than the phone or failing:\n" + "\n".join(problems)


def test_on_a_phone_a_citizen_finds_an_item_reads_its_guide_signs_in_applies_and_sees_the_case(
        city, live_server, browser, tmp_path):  # noqa: F811
    from yingshang.cases.models import Case

    base = live_server.url
    upload = tmp_path / "许可申请书.pdf"
    upload.write_bytes(PDF)
    page = _phone(browser, base)

    # 1. The portal leads with the search box; the search opens the guide's results.
    page.goto(f"{base}/")
    search = page.get_by_role("searchbox", name="搜索办事事项")
    search.tap()
    search.fill("卫生联办")
    page.get_by_role("search").get_by_role("button", name="搜索").tap()
    page.wait_for_url(re.compile(r"/guide/\?q="))
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    # 2. The item's guide: materials as cards, the online application one tap away.
    page.get_by_role("link", name="食品生产经营与卫生联办许可").tap()
    page.wait_for_url(f"{base}/guide/{ITEM}/")
    assert page.get_by_role("heading", name="申请材料").is_visible()
    assert page.get_by_text("许可申请书").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    page.get_by_role("link", name="网上申报").tap()

    # 3. Signing in brings the citizen back to the application form.
    page.wait_for_url(re.compile(r"/login/\?next="))
    page.get_by_label("用户名").fill("lilei")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).tap()
    page.wait_for_url(f"{base}/cases/apply/{ITEM}/")

    # 4. Apply online: upload the form, give the address, submit (the 容缺 material may follow later).
    form_material = city["version"].materials.get(name="许可申请书")
    page.locator(f"#file-{form_material.pk}").set_input_files(str(upload))
    address = page.get_by_label("通讯地址")
    assert address.bounding_box()["width"] >= WIDTH - 80  # full-width fields
    address.fill("榆林市榆阳区新建路 1 号")
    submit = page.get_by_role("button", name="提交申请")
    box = submit.bounding_box()
    assert box["height"] >= 44 and box["width"] >= WIDTH - 80  # a thumb-sized tap target
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    with page.expect_navigation():
        submit.tap()
    case = Case.objects.get(item__code=ITEM)
    assert case.status == "submitted" and case.channel == "online" and case.case_no

    # 5. 我的办件 from the phone menu shows the case.
    page.goto(f"{base}/")
    page.get_by_role("button", name="菜单").tap()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="我的办件").tap()
    page.wait_for_url(f"{base}/cases/mine/")
    row = page.get_by_role("row").filter(has_text=case.case_no)
    assert row.is_visible() and "待受理" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    page.screenshot(path=str(tmp_path / "phone-mine.png"), full_page=True)
    if os.environ.get("YS_SCREENSHOT_DIR"):  # keep the picture for a person to look at
        shutil.copy(tmp_path / "phone-mine.png", os.environ["YS_SCREENSHOT_DIR"])
