"""The demo seeder: enough data for clerks to see hits, the demo enterprise users on their lists, idempotent."""

import pytest

from yingshang.credit.models import LicenseRecord, ListEntry, PenaltyRecord, Subject
from yingshang.credit.services.joint import check
from yingshang.kernel.demo import DemoReport, seed_calendar, seed_organisation, seed_users
from yingshang.kernel.models import User


@pytest.mark.slow
@pytest.mark.django_db
def test_the_demo_seeds_subjects_records_lists_and_is_idempotent():
    from yingshang.credit.demo import seed_credit

    report = DemoReport()
    seed_calendar(report)
    seed_organisation(report)
    seed_users(report)
    seed_credit(report)
    counts = (Subject.objects.count(), LicenseRecord.objects.count(), PenaltyRecord.objects.count(),
              ListEntry.objects.count())
    assert counts[0] >= 1400 and counts[1] == 3000 and counts[2] == 800 and counts[3] >= 100
    assert any("核查示例" in line for line in report.lines)
    hengtai = User.objects.get(username="hengtai")
    result = check(hengtai.uscc, "administrative_licensing")
    assert [m.list_kind for m in result.memberships] == ["red"] and not result.blocking
    bidder = User.objects.get(username="bidder")
    assert [m.list_kind for m in check(bidder.uscc, "bidding").memberships] == ["watch"]
    blocked = ListEntry.objects.filter(list_type__code="judgment_debtor").first()
    assert check(blocked.subject.id_key, "administrative_licensing").blocking
    assert LicenseRecord.objects.filter(is_late=True).exists() and LicenseRecord.objects.filter(is_late=False).exists()
    seed_credit(DemoReport())
    assert counts == (Subject.objects.count(), LicenseRecord.objects.count(), PenaltyRecord.objects.count(),
                      ListEntry.objects.count())
