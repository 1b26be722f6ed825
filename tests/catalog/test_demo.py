"""The demo catalog: at least 50 realistic items, joint ones among them, all published, idempotent."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from yingshang.catalog import demo, rules, services
from yingshang.catalog.choices import Kind, Status
from yingshang.catalog.models import ServiceItem, ServiceItemVersion
from yingshang.kernel.demo import DemoReport, seed_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    with transaction.atomic():
        seed_organisation(DemoReport())
        demo.seed_catalog(DemoReport())


def test_demo_has_at_least_fifty_published_items_across_departments(seeded):
    today = timezone.localdate()
    in_force = ServiceItemVersion.objects.filter(services.in_force_q(today))
    assert in_force.count() == ServiceItem.objects.count() >= 50
    assert not ServiceItemVersion.objects.filter(status=Status.DRAFT).exists()
    assert ServiceItem.objects.values("department").distinct().count() >= 15
    assert ServiceItem.objects.filter(level="district").count() >= 5


def test_demo_names_the_items_of_the_issue_and_joint_items(seeded):
    names = set(ServiceItemVersion.objects.values_list("name", flat=True))
    named = {"食品经营许可", "公共场所卫生许可", "建设工程规划许可证核发", "企业投资项目备案", "开办餐饮店一件事",
             "企业开办一件事"}
    assert named <= names
    opening = ServiceItemVersion.objects.get(name="企业开办一件事")
    assert opening.kind == Kind.JOINT
    assert set(opening.joint_departments.values_list("department__code", flat=True)) >= {
        "610800-SCJG", "610800-SW", "610800-GA", "610800-RS"}
    assert opening.steps.filter(stage=2).count() >= 4  # parallel department steps


def test_demo_commitments_halve_the_statutory_limits_and_pass_every_rule(seeded):
    from yingshang.catalog.content import content_of

    for version in ServiceItemVersion.objects.select_related("item__department"):
        assert rules.meets_compression_target(version.statutory_limit_days, version.committed_limit_days, version.kind), version
        assert rules.problems(content_of(version).facts(version.item.department.code)) == [], version


def test_demo_has_pending_materials_elicences_and_realistic_bases(seeded):
    from yingshang.catalog.models import Material

    assert Material.objects.filter(pending_allowed=True).count() >= 20
    assert Material.objects.exclude(elicense_type="").count() >= 20
    food = ServiceItemVersion.objects.get(name="食品经营许可")
    assert "《中华人民共和国食品安全法》第三十五条" in food.legal_basis


def test_demo_is_idempotent(seeded):
    counts = (ServiceItem.objects.count(), ServiceItemVersion.objects.count())
    report = DemoReport()
    with transaction.atomic():
        demo.seed_catalog(report)
    assert (ServiceItem.objects.count(), ServiceItemVersion.objects.count()) == counts
    assert "未变化 " + str(counts[0]) in report.lines[0]


def test_the_demo_command_seeds_the_catalog(db):
    call_command("demo", "--json", stdout=__import__("io").StringIO())
    assert ServiceItem.objects.count() >= 50
