"""The sweep (timed transitions from next_check): every part acts on what fell due, the next moment is the
earliest of all parts', a suspended lot waits, a failing lot does not stop the others, and two sweepers on
PostgreSQL never act on one lot twice."""

import json
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tests.conftest import run_command
from tests.factories import LotFactory
from tests.helpers import race
from yingshang.kernel import clock
from yingshang.kernel.models import AuditEntry
from yingshang.trading import hooks, rules
from yingshang.trading.models import Lot
from yingshang.trading.services import sweep


@pytest.fixture
def handler():
    calls = []

    def act(lot, now):
        calls.append(lot.pk)
        if lot.status == rules.ACCEPTED:
            Lot.objects.filter(pk=lot.pk).update(status=rules.ANNOUNCED)
            return ["announced"]
        return []

    hooks.TIMED.register(act)
    yield calls
    hooks.TIMED.unregister(act)


def _due(**kw) -> Lot:
    lot = LotFactory(accepted=True, **kw)
    Lot.objects.filter(pk=lot.pk).update(next_check=clock.now() - timedelta(minutes=1))
    return lot


@pytest.mark.django_db
def test_a_due_lot_is_acted_on_and_gets_its_next_moment(town, handler):
    lot = _due()
    report = sweep.sweep()
    assert report.acted == {lot.pk: ["announced"]} and handler == [lot.pk]
    lot.refresh_from_db()
    assert lot.status == rules.ANNOUNCED
    assert lot.next_check == timezone.make_aware(datetime(2026, 5, 4))  # its sale start, from its own periods
    assert AuditEntry.objects.filter(action="trading.lot.sweep", object_id=str(lot.pk)).exists()
    assert sweep.sweep().checked == 0


@pytest.mark.django_db
def test_the_next_moment_is_the_earliest_of_every_part(town):
    lot = LotFactory(accepted=True)
    soon = clock.now() + timedelta(hours=2)

    def moments(lot, now):
        return [soon, now - timedelta(hours=1)]  # the past one is ignored

    hooks.NEXT_MOMENTS.register(moments)
    try:
        assert sweep.next_check(lot) == soon  # earlier than the sale start (2026-05-04)
    finally:
        hooks.NEXT_MOMENTS.unregister(moments)
    start = timezone.make_aware(datetime(2026, 5, 4))
    assert sweep.next_check(lot) == start


@pytest.mark.django_db
def test_a_suspended_lot_waits(town, handler):
    lot = _due()
    Lot.objects.filter(pk=lot.pk).update(suspended=True, suspension_reason="异议处理中")
    assert sweep.sweep().checked == 0 and handler == []


@pytest.mark.django_db
def test_one_failing_lot_does_not_stop_the_others(town, handler):
    bad, good = _due(), _due()

    def boom(lot, now):
        if lot.pk == bad.pk:
            raise RuntimeError("boom")
        return []

    hooks.TIMED.register(boom)
    try:
        report = sweep.sweep()
    finally:
        hooks.TIMED.unregister(boom)
    assert list(report.failed) == [bad.pk] and good.pk in report.acted
    bad.refresh_from_db()
    assert bad.status == rules.ACCEPTED  # its transaction rolled back


@pytest.mark.django_db
def test_the_command_reports_in_json(town, handler):
    _due()
    assert json.loads(run_command("trading", "lots", "sweep", "--json"))["checked"] == 1


@pytest.mark.django_db(transaction=True)
def test_two_sweepers_never_act_on_one_lot_twice(on_postgres, town, handler):
    lot = _due()
    now = clock.now()
    results = race([lambda: sweep.sweep_lot(lot.pk, now), lambda: sweep.sweep_lot(lot.pk, now)])
    assert sorted(map(repr, results)) == sorted(map(repr, [["announced"], None])), results
    assert handler == [lot.pk]
