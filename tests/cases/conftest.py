"""Cases fixtures: a small city (departments, a hall, staff), published items, and a clock to set.

Items are built through the catalog's own services, so cases run on real published versions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
from django.db import transaction
from django.utils import timezone

from tests.factories import DepartmentFactory, UserFactory
from yingshang.cases.services import applications
from yingshang.catalog import services as catalog
from yingshang.catalog.content import DepartmentRow, MaterialRow, StepRow, VersionContent
from yingshang.kernel import clock
from yingshang.kernel.rules.identifiers import generate_resident_id, generate_uscc

PERSON_ID = "61080219900101123X"  # valid: GB 11643 check character X


def valid_person_id() -> str:
    import random

    return generate_resident_id(random.Random(7), division_code="610802")


def valid_uscc() -> str:
    import random

    return generate_uscc(random.Random(8), division_code="610802", authority="9", category="1")


@pytest.fixture(autouse=True)
def _own_acceptance_checks(monkeypatch):
    """Tests here register the checks they need; other apps' handlers (credit) are tested by those apps."""
    from yingshang.kernel.hooks import ACCEPTANCE_CHECKS

    monkeypatch.setattr(ACCEPTANCE_CHECKS, "_handlers", [])


@dataclass
class City:
    root: object
    scjg: object
    wj: object
    sw: object
    hall: object
    hall2: object
    clerk: object
    clerk2: object
    reviewer_scjg: object
    reviewer_wj: object
    reviewer_sw: object
    head_scjg: object
    supervisor: object


@pytest.fixture
def city(db) -> City:
    root = DepartmentFactory(city=True)
    scjg = DepartmentFactory(code="610800-SCJG", name="榆林市市场监督管理局", parent=root, division_code="610800")
    wj = DepartmentFactory(code="610800-WJ", name="榆林市卫生健康委员会", parent=root, division_code="610800")
    sw = DepartmentFactory(code="610800-SW", name="国家税务总局榆林市税务局", parent=root, division_code="610800")
    hall = DepartmentFactory(code="610800-HALL01", name="榆林市市民大厦政务服务大厅", parent=root, hall=True)
    district = DepartmentFactory(code="610802", name="榆阳区人民政府", parent=root, district=True, kind="district")
    hall2 = DepartmentFactory(code="610802-HALL01", name="榆阳区政务服务大厅", parent=district, hall=True)
    return City(
        root=root, scjg=scjg, wj=wj, sw=sw, hall=hall, hall2=hall2,
        clerk=UserFactory(username="clerk", real_name="王芳", role_codes=["window_clerk"], department=hall),
        clerk2=UserFactory(username="clerk2", real_name="马丽", role_codes=["window_clerk"], department=hall2),
        reviewer_scjg=UserFactory(username="rev_scjg", real_name="刘洋", role_codes=["dept_reviewer"], department=scjg),
        reviewer_wj=UserFactory(username="rev_wj", real_name="郭敏", role_codes=["dept_reviewer"], department=wj),
        reviewer_sw=UserFactory(username="rev_sw", real_name="赵强", role_codes=["dept_reviewer"], department=sw),
        head_scjg=UserFactory(username="head_scjg", real_name="陈静", role_codes=["dept_head", "dept_reviewer"],
                              department=scjg),
        supervisor=UserFactory(username="supervisor", real_name="杨帆", role_codes=["supervisor"], department=root),
    )


def food_licence(**fields) -> VersionContent:
    """食品经营许可: committed 5 of statutory 10 working days; accept → review → decide, one department."""
    base = {
        "name": "食品经营许可", "item_type": "administrative_license",
        "legal_basis": "《中华人民共和国食品安全法》第三十五条", "kind": "committed", "statutory_limit_days": 10,
        "committed_limit_days": 5, "do_online": True, "channels": ["window", "online"], "visits_needed": 1,
    }
    base.update(fields)
    return VersionContent(
        fields=base,
        materials=[MaterialRow("食品经营许可申请书"), MaterialRow("营业执照", form="copy"),
                   MaterialRow("食品安全管理制度", pending_allowed=True),
                   MaterialRow("设备布局和工艺流程", pending_allowed=True), MaterialRow("其他说明", required=False)],
        steps=[StepRow("受理", "610800-SCJG", 1, "accept", 0), StepRow("审查", "610800-SCJG", 2, "review", 3),
               StepRow("决定", "610800-SCJG", 3, "decide", 2)],
    )


def restaurant_joint(**fields) -> VersionContent:
    """开办餐饮店一件事: joint; stage 2 reviews in parallel by three departments, stage 3 issues."""
    base = {
        "name": "开办餐饮店一件事", "item_type": "public_service", "kind": "joint",
        "legal_basis": "《国务院办公厅关于加快推进“一件事一次办”的指导意见》", "statutory_limit_days": None,
        "committed_limit_days": 10, "channels": ["window"],
    }
    base.update(fields)
    return VersionContent(
        fields=base,
        departments=[DepartmentRow("610800-SCJG"), DepartmentRow("610800-WJ"), DepartmentRow("610800-SW")],
        materials=[MaterialRow("联办申请表"), MaterialRow("经营场所使用证明", pending_allowed=True)],
        steps=[StepRow("综合受理", "610800-SCJG", 1, "accept", 0),
               StepRow("食品经营许可审查", "610800-SCJG", 2, "review", 4), StepRow("卫生许可审查", "610800-WJ", 2, "review", 4),
               StepRow("税务登记", "610800-SW", 2, "review", 1),
               StepRow("综合审查", "610800-SCJG", 3, "decide", 3), StepRow("统一出件", "610800-SCJG", 4, "issue", 1)],
    )


def notify_commit_item(**fields) -> VersionContent:
    base = {"name": "公共场所卫生许可（告知承诺）", "item_type": "administrative_license",
            "legal_basis": "《公共场所卫生管理条例》第八条", "kind": "committed", "statutory_limit_days": 20,
            "committed_limit_days": 3, "notify_and_commit": True, "channels": ["window"]}
    base.update(fields)
    return VersionContent(fields=base, materials=[MaterialRow("卫生许可申请书")],
                          steps=[StepRow("受理", "610800-WJ", 1, "accept", 0), StepRow("审查", "610800-WJ", 2, "review", 2)])


def publish(code: str, content: VersionContent, owner, valid_from: date = date(2020, 1, 1)):
    """Publish today, then backdate the validity window (publication refuses a past date) so that
    tests may pin "today" to any day since 2020."""
    from yingshang.catalog.models import ServiceItemVersion

    with transaction.atomic():
        draft = catalog.do_create_item(code, "city", owner, content)
        version = catalog.do_publish(draft)
    ServiceItemVersion.objects.filter(pk=version.pk).update(valid_from=valid_from)
    version.refresh_from_db()
    return version


@pytest.fixture
def food(city):
    return publish("SCJG-FOOD-001", food_licence(), city.scjg)


@pytest.fixture
def joint(city):
    return publish("YJS-CANYIN-001", restaurant_joint(), city.scjg)


@pytest.fixture
def commit_item(city):
    return publish("WJ-GGCS-001", notify_commit_item(), city.wj)


@pytest.fixture
def set_today(monkeypatch):
    """Pin the platform clock's today (and now, 10:00 that day) to a date."""

    def pin(day: date) -> date:
        moment = timezone.make_aware(datetime.combine(day, time(10, 0)))
        monkeypatch.setattr(clock, "today", lambda: day)
        monkeypatch.setattr(clock, "now", lambda: moment)
        return day

    return pin


@pytest.fixture
def official_calendar(db):
    """The official schedules chinese-calendar knows (2004–2026); 2027 stays provisional."""
    from yingshang.kernel.services.calendar import seed_from_chinese_calendar

    seed_from_chinese_calendar()


def person(name: str = "张伟", identifier: str = PERSON_ID) -> applications.ApplicantData:
    return applications.ApplicantData(kind="person", name=name, identifier=identifier, phone="13800138000")


def company(name: str = "榆林市恒泰能源科技有限公司", identifier: str | None = None) -> applications.ApplicantData:
    return applications.ApplicantData(kind="enterprise", name=name, identifier=identifier or valid_uscc())


def all_provided(version) -> dict[int, str]:
    return {m.pk: "provided" for m in version.materials.all()}


def window_case(city, version, *, applicant=None, materials=None):
    """A window application, submitted (numbered), materials all provided unless given."""
    with transaction.atomic():
        return applications.do_create_application(
            city.clerk, version.item.code, applicant=applicant or company(),
            materials=all_provided(version) if materials is None else materials)


def accepted_case(city, version, **kwargs):
    from yingshang.cases.services import acceptance

    case = window_case(city, version, **kwargs)
    with transaction.atomic():
        acceptance.do_accept(city.clerk, case.pk, case.row_version)
    case.refresh_from_db()
    return case


@pytest.fixture
def files(monkeypatch):
    """Run on-commit callbacks at once, so issued PDFs are written inside the test's transaction."""
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def pdf_text(doc) -> str:
    import io

    from pypdf import PdfReader

    from yingshang.kernel.services.documents import read_document_file

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(read_document_file(doc))).pages)
    return "".join(text.split())  # CJK lines wrap anywhere: compare without whitespace
