"""Parallel transactions on PostgreSQL (each thread its own connection, lined up by a barrier): two
ratings of one case, two answers to one rectification, a close against a return, two refreshes."""

import threading
from datetime import date

import pytest
from django.db import connection, transaction

from tests.helpers import race
from tests.supervision.conftest import make_case
from yingshang.kernel.errors import Conflict
from yingshang.kernel.services.audit import verify
from yingshang.supervision.models import Rating, Rectification
from yingshang.supervision.services import ratings, rectifications, rollup

pytestmark = pytest.mark.django_db(transaction=True)




def test_two_ratings_of_one_case_have_one_winner(on_postgres, city):
    case = make_case(city.food, decided_on=date(2026, 3, 5), applicant=city.citizen, last4="9999")
    results = race([lambda: ratings.do_rate(city.citizen, case.case_no, 5),
                     lambda: ratings.do_rate(city.citizen, case.case_no, 1)])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], Conflict), results
    assert errors[0].code == "supervision.already_rated"
    assert Rating.objects.count() == 1
    assert Rectification.objects.count() == (1 if Rating.objects.get().score == 1 else 0)
    assert verify().ok


@pytest.fixture
def answered(city):
    case = make_case(city.food, decided_on=date(2026, 3, 5), applicant=city.citizen)
    with transaction.atomic():
        ratings.do_rate(city.citizen, case.case_no, 1)
    return Rectification.objects.get()


def test_two_answers_to_one_rectification_have_one_winner(on_postgres, city, answered):
    results = race([
        lambda: rectifications.do_respond(city.reviewer_scjg, answered.pk, 1, response="甲", measures="甲"),
        lambda: rectifications.do_respond(city.head_scjg, answered.pk, 1, response="乙", measures="乙"),
    ])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "supervision.conflict", results
    answered.refresh_from_db()
    assert answered.status == "responded" and answered.row_version == 2


def test_close_against_return_has_one_winner(on_postgres, city, answered):
    with transaction.atomic():
        rectifications.do_respond(city.reviewer_scjg, answered.pk, 1, response="已回访", measures="培训")
    results = race([
        lambda: rectifications.do_close(city.supervisor, answered.pk, 2, note="同意"),
        lambda: rectifications.do_return(city.supervisor, answered.pk, 2, note="不具体"),
    ])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and errors[0].code == "supervision.conflict", results
    answered.refresh_from_db()
    assert answered.status in ("closed", "open") and answered.row_version == 3


def test_parallel_refreshes_are_serialized(on_postgres, city):
    make_case(city.food, accepted_on=date(2026, 3, 2), decided_on=date(2026, 3, 4), on_time=True)
    results = race([lambda: rollup.refresh(full=True, today=date(2026, 4, 1)),
                     lambda: rollup.refresh(full=True, today=date(2026, 4, 1))])
    assert all(not isinstance(r, Exception) for r in results), results
    from yingshang.supervision.models import DailyStat

    assert DailyStat.objects.filter(day=date(2026, 3, 2)).get().accepted == 1


def test_an_on_demand_refresh_does_not_queue_behind_a_running_one(on_postgres, city):
    from yingshang.supervision.models import RollupState

    rollup.refresh(full=True, today=date(2026, 4, 1))
    RollupState.objects.filter(pk=1).update(refreshed_at=None)  # not throttled by age
    holding, release = threading.Event(), threading.Event()

    def job():
        try:
            with transaction.atomic():
                RollupState.objects.select_for_update().get(pk=1)  # as a running refresh holds it
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=job)
    thread.start()
    holding.wait(10)
    try:
        assert rollup.refresh(on_demand=True, today=date(2026, 4, 1)).skipped
    finally:
        release.set()
        thread.join()
