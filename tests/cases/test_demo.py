"""The demo seeder: cases in every state on the catalog's demo items, idempotent."""

import pytest
from django.db import transaction

from yingshang.cases.models import Case
from yingshang.kernel.context import SYSTEM, acting_as
from yingshang.kernel.demo import DemoReport


@pytest.mark.django_db
def test_demo_cases_cover_the_states_and_a_second_run_adds_nothing(files):
    from yingshang.cases.demo import seed_cases
    from yingshang.catalog.demo import seed_catalog
    from yingshang.kernel.demo import seed_calendar, seed_organisation, seed_users

    report = DemoReport()
    with acting_as(SYSTEM), transaction.atomic():
        for seed in (seed_calendar, seed_organisation, seed_users, seed_catalog, seed_cases):
            seed(report)
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"submitted", "correction_requested", "refused", "accepted", "accepted_pending", "in_review", "approved",
            "denied", "withdrawn", "stopped"} <= statuses
    assert Case.objects.filter(warning="red").exists() and Case.objects.filter(warning="yellow").exists()
    assert Case.objects.filter(clock_state="suspended").exists()
    assert Case.objects.filter(extensions__status="requested").exists()
    assert Case.objects.filter(kind="joint", steps__status="approved", steps__step_kind="review").exists()
    count = Case.objects.count()
    with acting_as(SYSTEM), transaction.atomic():
        seed_cases(report)
    assert Case.objects.count() == count
    assert any(line.startswith("办件：") for line in report.lines)
