"""The issuance demo: issued and concluded cases, e-licences in the demo applicants' wallets; idempotent."""

import pytest
from django.db import transaction

from yingshang.cases.models import Case, Delivery, Issuance
from yingshang.kernel.context import SYSTEM, acting_as
from yingshang.kernel.demo import DemoReport
from yingshang.kernel.models import User
from yingshang.licences import services as licence_services


@pytest.mark.django_db
def test_demo_issues_and_delivers_and_fills_the_demo_wallets(files):
    from yingshang.cases.demo import seed_cases
    from yingshang.cases.demo_issuance import seed_issuance
    from yingshang.catalog.demo import seed_catalog
    from yingshang.kernel.demo import seed_calendar, seed_organisation, seed_users

    report = DemoReport()
    with acting_as(SYSTEM), transaction.atomic():
        for seed in (seed_calendar, seed_organisation, seed_users, seed_catalog, seed_cases):
            seed(report)
        seed_issuance(report)
    assert Case.objects.filter(status="concluded").exists() and Case.objects.filter(status="issued").exists()
    assert Delivery.objects.filter(method="pickup").exists() and Delivery.objects.filter(method="express").exists()
    for username in ("zhangwei", "hengtai"):
        wallet = licence_services.holder_licences(User.objects.get(username=username))
        assert len(wallet) == 2 and all(v.name == "食品经营许可证" and v.valid_until for v in wallet)
    count = Issuance.objects.count()
    with acting_as(SYSTEM), transaction.atomic():
        seed_issuance(report)
    assert Issuance.objects.count() == count
    assert any(line.startswith("统一出件") for line in report.lines)
