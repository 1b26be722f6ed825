"""Objections decided at the same moment on PostgreSQL: real parallel transactions, exactly one decision."""

import pytest
from django.db import transaction

from tests.credit.factories_objections import enterprise_user, penalty, subject_for, uscc
from tests.helpers import race
from yingshang.credit.models import Objection
from yingshang.credit.services import objections, publicity
from yingshang.kernel.errors import Conflict
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.services.audit import verify


def _filed(city):
    with transaction.atomic():
        subject = subject_for(uscc(7))
        record = penalty(city.scjg, subject)
        user = enterprise_user(uscc(7))
        obj = objections.do_file(user, target_kind="penalty", target_id=record.pk, reason="有误")
    return user, record, obj


@pytest.mark.django_db(transaction=True)
def test_two_decisions_of_one_objection_at_once_give_one_decision_and_a_409(on_postgres, city):
    _user, _record, obj = _filed(city)
    results = race([
        lambda: objections.do_decide(city.reviewer, obj.pk, outcome="upheld", resolution="withdrawn", note="撤回"),
        lambda: objections.do_decide(city.officer, obj.pk, outcome="rejected", note="无误"),
    ])
    winners = [r for r in results if isinstance(r, Objection)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].code == "credit.objection_closed" and losers[0].status == 409
    assert AuditEntry.objects.filter(action="credit.objection.decide").count() == 1
    stored = Objection.objects.get(pk=obj.pk)
    assert stored.status == winners[0].status
    assert (publicity.search("penalty").items == []) == (stored.status == "upheld")
    assert verify().ok


@pytest.mark.django_db(transaction=True)
def test_two_filings_on_one_record_at_once_leave_one_open_objection(on_postgres, city):
    with transaction.atomic():
        subject = subject_for(uscc(7))
        record = penalty(city.scjg, subject)
        user = enterprise_user(uscc(7))
    results = race([lambda: objections.do_file(user, target_kind="penalty", target_id=record.pk, reason="一"),
                     lambda: objections.do_file(user, target_kind="penalty", target_id=record.pk, reason="二")])
    assert sum(isinstance(r, Objection) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) and r.code == "credit.objection_open" for r in results) == 1
    assert Objection.objects.filter(status="open").count() == 1
