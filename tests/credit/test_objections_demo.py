"""The demo seeder of objections, repairs and commitments: hengtai's records and commitments, idempotent."""

import pytest

from yingshang.credit.models import Commitment, PenaltyRecord
from yingshang.kernel.demo import DemoReport, seed_calendar, seed_organisation, seed_users


@pytest.mark.django_db
def test_the_demo_gives_hengtai_records_and_commitments_and_is_idempotent():
    from yingshang.credit.demo_objections import seed_objections

    report = DemoReport()
    seed_calendar(report)
    seed_organisation(report)
    seed_users(report)
    seed_objections(report)
    assert any("信用异议与修复" in line for line in report.lines)
    penalty = PenaltyRecord.objects.get(document_no__startswith="榆演异罚")
    assert penalty.subject.name == "榆林市恒泰能源科技有限公司" and penalty.repair_from < penalty.publication_end
    assert Commitment.objects.filter(subject=penalty.subject).count() == 1
    counts = (PenaltyRecord.objects.count(), Commitment.objects.count())
    seed_objections(DemoReport())
    assert counts == (PenaltyRecord.objects.count(), Commitment.objects.count())


@pytest.mark.slow
@pytest.mark.django_db
def test_with_the_credit_demo_there_are_window_objections_one_overdue_and_a_decided_repair():
    import time

    from yingshang.credit.demo import seed_credit
    from yingshang.credit.demo_objections import seed_objections
    from yingshang.credit.models import Objection, Repair
    from yingshang.credit.services.handling import is_overdue

    report = DemoReport()
    for seed in (seed_calendar, seed_organisation, seed_users, seed_credit):
        seed(report)
    started = time.monotonic()
    seed_objections(report)
    assert time.monotonic() - started < 15
    objections = list(Objection.objects.all())
    assert len(objections) == 3 and all(o.on_behalf for o in objections) and sum(map(is_overdue, objections)) == 1
    assert Repair.objects.filter(status="upheld").count() == 1 and Repair.objects.count() == 2
