"""Commitments made at the window are announced to other domains (the credit work) through the kernel
hook COMMITMENT_EVENTS, in the same transaction: made, fulfilled, breached."""

from datetime import date

import pytest
from django.db import transaction

from tests.cases.test_tolerant_and_sweep import _tolerant
from yingshang.cases.models import Case
from yingshang.cases.services import acceptance
from yingshang.cases.services.sweep import run_sweep
from yingshang.kernel.hooks import COMMITMENT_EVENTS

pytestmark = pytest.mark.usefixtures("official_calendar", "files")


@pytest.fixture
def heard(monkeypatch):
    events = []
    monkeypatch.setattr(COMMITMENT_EVENTS, "_handlers", [lambda event: events.append(event)])
    return events


def test_a_tolerant_acceptance_announces_the_commitment_and_its_fulfilment(city, food, heard):
    case, pending = _tolerant(city, food)
    assert [e.event for e in heard] == ["made"]
    made = heard[0]
    assert (made.source, made.kind, made.case_no) == ("cases", "pending_materials", case.case_no)
    assert made.department_code == case.department.code and made.due_on == case.commitments.get().supplement_deadline
    assert made.identifier_digest == case.identifier_digest and made.reference.startswith("cases.commitment:")
    with transaction.atomic():
        acceptance.do_supplement(city.clerk, case.pk, case.row_version, material_ids=[m.pk for m in pending])
    assert [e.event for e in heard] == ["made", "fulfilled"] and heard[1].occurred_at is not None


def test_a_missed_supplement_deadline_announces_a_breach_with_its_reason(city, food, set_today, heard):
    set_today(date(2025, 9, 26))
    case, _pending = _tolerant(city, food, days=2)
    run_sweep(date(2025, 9, 30))
    breach = heard[-1]
    assert breach.event == "breached" and "逾期未补齐" in breach.reason
    assert Case.objects.get(pk=case.pk).status == "stopped"


def test_a_failing_handler_rolls_the_acceptance_back(city, food, monkeypatch):
    def broken(event):
        raise RuntimeError("credit store down")

    monkeypatch.setattr(COMMITMENT_EVENTS, "_handlers", [broken])
    with pytest.raises(RuntimeError):
        _tolerant(city, food)
    assert not Case.objects.filter(status="accepted_pending").exists()
