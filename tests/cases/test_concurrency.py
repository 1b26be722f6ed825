"""Concurrent actions on one case end with exactly one winner and a clear conflict for the other.

The parallel tests run real transactions in threads on PostgreSQL (each thread its own connection);
a barrier lines them up so both read the same row_version before either commits.
"""


import pytest
from django.db import transaction

from tests.cases.conftest import accepted_case, window_case
from tests.helpers import race
from yingshang.cases.models import Case
from yingshang.cases.services import acceptance, review
from yingshang.kernel.errors import Conflict, ServiceError
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.services.audit import verify


@pytest.mark.django_db(transaction=True)
def test_two_clerks_accepting_one_case_have_exactly_one_winner(on_postgres, city, food, official_calendar):
    case = window_case(city, food)
    rv = case.row_version
    results = race([lambda: acceptance.do_accept(city.clerk, case.pk, rv),
                     lambda: acceptance.do_accept(city.clerk2, case.pk, rv)])
    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, ServiceError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].code == "case.conflict" and losers[0].message == "该办件已被他人处理，请刷新后重试"
    case.refresh_from_db()
    assert case.status == "accepted" and case.row_version == rv + 1
    assert case.steps.count() == 3  # steps created once (accept, review, decide)
    assert AuditEntry.objects.filter(action="cases.case.accept", object_id=str(case.pk)).count() == 1
    assert verify().ok


@pytest.mark.django_db(transaction=True)
def test_approve_against_deny_on_one_step_has_exactly_one_winner(on_postgres, city, food, official_calendar):
    case = accepted_case(city, food)
    step = case.steps.get(status="active")
    rv = case.row_version
    results = race([
        lambda: review.do_step_approve(city.reviewer_scjg, step.pk, rv, reason="符合"),
        lambda: review.do_step_deny(city.head_scjg, step.pk, rv, reason="不符合", legal_basis="食品安全法第三十五条"),
    ])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], Conflict) and errors[0].code == "case.conflict", results
    case.refresh_from_db()
    step.refresh_from_db()
    assert (case.status, step.status) in {("in_review", "approved"), ("denied", "denied")}
    assert case.row_version == rv + 1


@pytest.mark.django_db(transaction=True)
def test_parallel_acceptances_of_different_cases_all_succeed(on_postgres, city, food, official_calendar):
    """Locks are per case: acceptances of different cases of one item do not block each other out."""
    cases = [window_case(city, food) for _ in range(4)]
    results = race([lambda c=c: acceptance.do_accept(city.clerk, c.pk, c.row_version) for c in cases])
    assert all(isinstance(r, Case) for r in results), results
    assert set(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("status", flat=True)) == {"accepted"}


@pytest.mark.django_db
def test_a_stale_row_version_is_refused_without_changing_anything(city, food, official_calendar):
    case = window_case(city, food)
    stale = case.row_version
    with transaction.atomic():
        acceptance.do_request_correction(city.clerk, case.pk, stale, items=[(None, "缺少签字")])
    with pytest.raises(Conflict) as caught, transaction.atomic():
        acceptance.do_refuse(city.clerk2, case.pk, stale, reason="不属于本机关职权", legal_basis="第三十二条")
    assert caught.value.code == "case.conflict"
    assert caught.value.details["row_version"] == stale + 1
    assert Case.objects.get(pk=case.pk).status == "correction_requested"
