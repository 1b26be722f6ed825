"""Designation and removal races on PostgreSQL: real parallel transactions, exactly one winner."""

from datetime import date

import pytest
from django.db import transaction

from tests.credit.conftest import catalog, uscc
from tests.helpers import race
from yingshang.credit.models import ListEntry, Subject
from yingshang.credit.services import lists
from yingshang.kernel.errors import Conflict
from yingshang.kernel.services.audit import verify


def _designate(user, list_type, code, document_no):
    return lambda: lists.do_designate(user, subject=lists.SubjectInput(code, "并发测试有限公司"), list_type=list_type,
                                      department=list_type.designating_department, basis="依据", document_no=document_no,
                                      decided_on=date(2026, 11, 1))


@pytest.mark.django_db(transaction=True)
def test_two_officers_designating_one_new_subject_at_once_give_one_entry(on_postgres, city):
    c = catalog(city)
    results = race([_designate(city.officer, c["debtor"], uscc(1), "甲"),
                     _designate(city.officer, c["debtor"], uscc(1), "乙")])
    winners = [r for r in results if isinstance(r, ListEntry)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].code == "credit.already_listed"
    assert Subject.objects.count() == 1 and ListEntry.objects.count() == 1
    assert verify().ok


@pytest.mark.django_db(transaction=True)
def test_two_removals_of_one_entry_at_once_remove_it_once(on_postgres, city):
    c = catalog(city)
    with transaction.atomic():
        entry = _designate(city.officer, c["debtor"], uscc(1), "甲")()
    results = race([lambda: lists.do_remove(city.officer, entry.pk, reason="repair", note="一"),
                     lambda: lists.do_remove(city.officer, entry.pk, reason="other", note="二")])
    assert sum(isinstance(r, ListEntry) for r in results) == 1, results
    assert sum(isinstance(r, Conflict) and r.code == "credit.already_removed" for r in results) == 1
    assert verify().ok


@pytest.mark.django_db(transaction=True)
def test_removal_racing_a_new_designation_leaves_a_consistent_history(on_postgres, city):
    c = catalog(city)
    with transaction.atomic():
        entry = _designate(city.officer, c["debtor"], uscc(1), "甲")()
    results = race([lambda: lists.do_remove(city.officer, entry.pk, reason="repair", note="修复"),
                     _designate(city.officer, c["debtor"], uscc(1), "乙")])
    assert isinstance(results[0], ListEntry)
    # Serialized on the subject row: the designation either saw the entry active (conflict) or removed (new entry).
    assert isinstance(results[1], ListEntry | Conflict)
    assert ListEntry.objects.filter(status="active").count() == (1 if isinstance(results[1], ListEntry) else 0)


@pytest.mark.django_db(transaction=True)
def test_expiry_job_and_an_officer_removing_the_same_entry_do_not_both_win(on_postgres, city):
    c = catalog(city)
    with transaction.atomic():
        entry = lists.do_designate(city.officer, subject=lists.SubjectInput(uscc(1), "公司"), list_type=c["watch"],
                                   department=city.xyb, basis="依据", document_no="甲", decided_on=date(2026, 1, 1),
                                   valid_until=date(2026, 6, 30))
    results = race([lambda: lists.do_expire_entries(date(2026, 11, 20)),
                     lambda: lists.do_remove(city.officer, entry.pk, reason="other", note="人工移出")])
    entry.refresh_from_db()
    assert entry.status in ("expired", "removed")
    assert (results[0] == 1) != isinstance(results[1], ListEntry), results
