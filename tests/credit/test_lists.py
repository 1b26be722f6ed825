"""Lists: designation with basis and validity, one active entry per list, removal once, expiry, history."""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from tests.credit.conftest import TODAY, catalog, resident_id, uscc
from yingshang.credit.models import ListEntry, Subject
from yingshang.credit.services import lists
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput
from yingshang.kernel.models import AuditEntry


def designate(user, list_type, code, *, name="榆林市某某有限公司", department=None, **kw):
    fields = {"basis": "依据", "document_no": "（2026）陕08执123号", "decided_on": date(2026, 11, 1), **kw}
    return lists.do_designate(user, subject=lists.SubjectInput(code, name), list_type=list_type,
                              department=department or list_type.designating_department, **fields)


def test_designation_creates_the_subject_and_takes_the_default_validity(city):
    c = catalog(city)
    entry = designate(city.officer, c["debtor"], uscc(1))
    assert entry.status == "active" and entry.valid_from == date(2026, 11, 1) and entry.valid_until == date(2028, 11, 1)
    assert entry.subject.name == "榆林市某某有限公司" and entry.subject_key == uscc(1) and entry.list_kind == "black"
    audit = AuditEntry.objects.get(action="credit.list.designate", object_id=str(entry.pk))
    assert json.loads(audit.summary)["after"]["list_type"] == "judgment_debtor"


def test_a_person_is_designated_by_resident_id_and_stored_only_as_digest(city):
    c = catalog(city)
    number = resident_id(3)
    entry = designate(city.officer, c["debtor"], number, name="张三")
    subject = entry.subject
    assert subject.kind == "natural_person" and subject.id_key != number and number not in subject.id_display
    assert subject.id_cipher and number not in subject.id_cipher
    assert number not in AuditEntry.objects.get(action="credit.list.designate").summary


def test_a_subject_cannot_be_on_the_same_list_twice(city):
    c = catalog(city)
    designate(city.officer, c["debtor"], uscc(1))
    with pytest.raises(Conflict) as exc:
        designate(city.officer, c["debtor"], uscc(1), document_no="另一号")
    assert exc.value.code == "credit.already_listed"
    designate(city.officer, c["safety"], uscc(1))  # another list is fine
    assert ListEntry.objects.filter(status="active").count() == 2


def test_removal_after_repair_happens_once_and_keeps_the_entry(city):
    c = catalog(city)
    entry = designate(city.officer, c["debtor"], uscc(1))
    removed = lists.do_remove(city.officer, entry.pk, reason="repair", note="已履行全部义务")
    assert removed.status == "removed" and removed.removal_reason == "repair" and removed.removed_by == city.officer
    with pytest.raises(Conflict) as exc:
        lists.do_remove(city.officer, entry.pk, reason="other", note="再次移出")
    assert exc.value.code == "credit.already_removed"
    assert ListEntry.objects.filter(pk=entry.pk).exists()
    again = designate(city.officer, c["debtor"], uscc(1), document_no="（2026）陕08执200号")  # listed anew: a new entry
    assert again.pk != entry.pk
    actions = list(AuditEntry.objects.filter(object_type="credit.listentry").values_list("action", flat=True))
    assert actions == ["credit.list.designate", "credit.list.remove", "credit.list.designate"]


def test_removal_needs_a_reason_and_a_note(city):
    c = catalog(city)
    entry = designate(city.officer, c["debtor"], uscc(1))
    with pytest.raises(InvalidInput):
        lists.do_remove(city.officer, entry.pk, reason="expiry", note="x")
    with pytest.raises(InvalidInput):
        lists.do_remove(city.officer, entry.pk, reason="repair", note=" ")


def test_the_nightly_job_removes_expired_entries_once(city, today):
    c = catalog(city)
    short = designate(city.officer, c["watch"], uscc(1), valid_until=date(2026, 11, 19))
    lasting = designate(city.officer, c["debtor"], uscc(2))
    today(TODAY)
    assert lists.do_expire_entries() == 1
    assert lists.do_expire_entries() == 0
    short.refresh_from_db()
    lasting.refresh_from_db()
    assert (short.status, short.removal_reason) == ("expired", "expiry") and lasting.status == "active"
    assert AuditEntry.objects.filter(action="credit.list.expire", object_id=str(short.pk)).count() == 1


def test_an_entry_valid_through_today_is_still_active(city, today):
    c = catalog(city)
    entry = designate(city.officer, c["watch"], uscc(1), valid_until=TODAY)
    assert lists.do_expire_entries() == 0
    entry.refresh_from_db()
    assert entry.status == "active"


def test_the_expiry_command_runs_the_same_job(city, today):
    from django.core.management import call_command

    c = catalog(city)
    designate(city.officer, c["watch"], uscc(1), valid_until=date(2026, 11, 19))
    call_command("credit", "expire-lists", "--date", "2026-11-20")
    assert ListEntry.objects.get().status == "expired"


def test_bad_dates_and_validity_order_are_refused(city):
    c = catalog(city)
    with pytest.raises(InvalidInput):
        designate(city.officer, c["debtor"], uscc(1), decided_on="2026-13-01")
    with pytest.raises(InvalidInput):
        designate(city.officer, c["debtor"], uscc(1), valid_until=date(2026, 10, 1))
    with pytest.raises(InvalidInput):
        designate(city.officer, c["debtor"], uscc(1), decided_on=date(2026, 12, 1))
    with pytest.raises(InvalidInput):
        designate(city.officer, c["debtor"], "91610802ABCDEFGHIJ")
    assert not ListEntry.objects.exists() and not Subject.objects.exists()


def test_a_department_head_designates_only_their_departments_list_types(city):
    c = catalog(city)
    entry = designate(city.head_yj, c["safety"], uscc(1))
    assert entry.department == city.yj
    with pytest.raises(Forbidden):
        designate(city.head_yj, c["debtor"], uscc(2))
    with pytest.raises(Forbidden):
        designate(city.reviewer, c["safety"], uscc(3))
    with pytest.raises(PermissionDenied):  # within the list type, but for another department
        designate(city.head_yj, c["safety"], uscc(4), department=city.scjg)
    assert {t.code for t in lists.designatable_types(city.head_yj)} == {"safety_serious"}
    assert list(lists.entries_for_user(city.head_yj)) == [entry]
    assert list(lists.entries_for_user(city.clerk)) == []
