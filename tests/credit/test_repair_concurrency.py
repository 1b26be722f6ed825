"""Repairs decided at the same moment on PostgreSQL: one decision, the other gets 409; a repair racing a
list removal leaves a consistent entry."""

from datetime import date

import pytest
from django.db import transaction

from tests.credit.conftest import catalog
from tests.credit.factories_objections import enterprise_user, pdf_file, penalty, subject_for, uscc
from tests.credit.test_lists import designate
from tests.helpers import race
from yingshang.credit.models import ListEntry, Repair
from yingshang.credit.services import lists, repair
from yingshang.kernel.errors import Conflict
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.services.audit import verify


@pytest.mark.django_db(transaction=True)
def test_two_decisions_of_one_repair_at_once_give_one_decision_and_a_409(on_postgres, city):
    with transaction.atomic():
        subject = subject_for(uscc(7))
        record = penalty(city.scjg, subject, date(2026, 6, 1))
        item = repair.do_file(enterprise_user(uscc(7)), target_kind="penalty", target_id=record.pk, rectification="已缴",
                              commitment_text="承诺", evidence=[pdf_file()])
    results = race([lambda: repair.do_decide(city.officer, item.pk, outcome="upheld", note="准予"),
                     lambda: repair.do_decide(city.officer, item.pk, outcome="rejected", note="不予")])
    assert sum(isinstance(r, Repair) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) and r.code == "credit.repair_closed" for r in results) == 1
    assert AuditEntry.objects.filter(action="credit.repair.decide").count() == 1
    assert verify().ok


@pytest.mark.django_db(transaction=True)
def test_an_upheld_repair_racing_an_officers_removal_removes_the_entry_once(on_postgres, city):
    with transaction.atomic():
        c = catalog(city)
        entry = designate(city.officer, c["debtor"], uscc(9), name="榆林市被执行有限公司")
        item = repair.do_file(enterprise_user(uscc(9)), target_kind="list_entry", target_id=entry.pk,
                              rectification="已履行", commitment_text="承诺", evidence=[pdf_file()])
    results = race([lambda: repair.do_decide(city.officer, item.pk, outcome="upheld", note="准予移出"),
                     lambda: lists.do_remove(city.officer, entry.pk, reason="other", note="人工移出")])
    assert isinstance(results[0], Repair), results  # the repair skips an entry already removed
    entry = ListEntry.objects.get(pk=entry.pk)
    assert entry.status == "removed"
    assert AuditEntry.objects.filter(action="credit.list.remove").count() == 1
