"""Catalog fixtures: a small city with the departments the items name, and valid contents to vary."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction

from tests.factories import DepartmentFactory
from yingshang.catalog import services
from yingshang.catalog.content import DepartmentRow, FeeRow, MaterialRow, StepRow, VersionContent


@pytest.fixture
def city(db):
    root = DepartmentFactory(city=True)
    depts = {"city": root}
    for suffix, name, short in (("SCJG", "榆林市市场监督管理局", "市市场监管局"), ("WJ", "榆林市卫生健康委员会", "市卫健委"),
                                ("SW", "国家税务总局榆林市税务局", "市税务局"), ("GA", "榆林市公安局", "市公安局"),
                                ("RS", "榆林市人力资源和社会保障局", "市人社局"),
                                ("ZRZY", "榆林市自然资源和规划局", "市自然资源局")):
        depts[suffix] = DepartmentFactory(code=f"610800-{suffix}", name=name, short_name=short, parent=root,
                                          division_code="610800")
    depts["HALL"] = DepartmentFactory(code="610800-HALL01", name="榆林市市民大厦政务服务大厅", parent=root, hall=True,
                                      address="榆林市高新区市民大厦")
    district = DepartmentFactory(code="610802", name="榆阳区人民政府", parent=root, district=True, kind="district")
    depts["Y-SCJG"] = DepartmentFactory(code="610802-SCJG", name="榆阳区市场监督管理局", parent=district,
                                        division_code="610802")
    return depts


def food_licence(**fields) -> VersionContent:
    """食品经营许可 as a valid committed item of the city's market regulator."""
    base = {
        "name": "食品经营许可", "item_type": "administrative_license",
        "legal_basis": "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        "kind": "committed", "statutory_limit_days": 10, "committed_limit_days": 5, "result_name": "食品经营许可证",
        "do_online": True, "do_once": True, "at_most_one_visit": True, "visits_needed": 1,
        "channels": ["window", "online"], "applicant_kinds": ["legal_person"], "consultation_phone": "0912-3456789",
    }
    base.update(fields)
    return VersionContent(
        fields=base,
        materials=[MaterialRow("食品经营许可申请书"),
                   MaterialRow("营业执照", form="copy", elicense_type="营业执照", from_library=True),
                   MaterialRow("食品安全管理制度", pending_allowed=True),
                   MaterialRow("与食品经营相适应的主要设备设施布局、操作流程等文件", pending_allowed=True)],
        fees=[FeeRow("许可证工本费", None, basis="不收费")],
        steps=[StepRow("受理", "610800-SCJG", 1, "accept", 0), StepRow("审查", "610800-SCJG", 2, "review", 3),
               StepRow("决定", "610800-SCJG", 3, "decide", 2)],
        halls=["610800-HALL01"],
    )


def restaurant_joint(**fields) -> VersionContent:
    """开办餐饮店 一件事: a joint item of market regulation, health, tax and public security."""
    base = {
        "name": "开办餐饮店一件事", "item_type": "public_service", "kind": "joint",
        "legal_basis": "《国务院办公厅关于加快推进“一件事一次办”打造政务服务升级版的指导意见》",
        "statutory_limit_days": None, "committed_limit_days": 10, "do_online": True, "do_once": True,
        "at_most_one_visit": True, "visits_needed": 1, "channels": ["window", "online"],
    }
    base.update(fields)
    return VersionContent(
        fields=base,
        departments=[DepartmentRow("610800-SCJG", "营业执照、食品经营许可"), DepartmentRow("610800-WJ", "公共场所卫生许可"),
                     DepartmentRow("610800-SW", "税务登记"), DepartmentRow("610800-GA", "印章刻制备案")],
        materials=[MaterialRow("一件事联办申请表"), MaterialRow("经营场所使用证明", pending_allowed=True)],
        steps=[StepRow("综合受理", "610800-SCJG", 1, "accept", 0),
               StepRow("食品经营许可审查", "610800-SCJG", 2, "review", 5), StepRow("卫生许可审查", "610800-WJ", 2, "review", 5),
               StepRow("税务登记", "610800-SW", 2, "review", 1), StepRow("印章备案", "610800-GA", 2, "review", 1),
               StepRow("统一出件", "610800-SCJG", 3, "issue", 1)],
    )


def create_and_publish(code, content, owner, *, level="city", valid_from: date | None = None):
    with transaction.atomic():
        draft = services.do_create_item(code, level, owner, content)
        return services.do_publish(draft, valid_from)


@pytest.fixture
def tomorrow():
    from django.utils import timezone

    return timezone.localdate() + timedelta(days=1)
