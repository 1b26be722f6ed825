"""Credit commitments: recorded from the kernel hook fired by window acceptance (made, fulfilled, breached,
in the caller's transaction) or registered by the credit office; a breach becomes a negative credit record."""

from datetime import date, datetime

import pytest
from django.db import transaction
from django.utils import timezone

from tests.credit.factories_objections import resident_id, subject_for, uscc
from yingshang.credit.models import Commitment, OtherRecord, Subject
from yingshang.credit.services import commitments
from yingshang.kernel.errors import Conflict, InvalidInput
from yingshang.kernel.hooks import COMMITMENT_EVENTS, CommitmentEvent
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.protect import id_digest
from yingshang.kernel.rules.identifiers import mask_resident_id


def event(name="made", *, ref="cases.commitment:1", code=None, person=None, dept="610800-SCJG", **kw) -> CommitmentEvent:
    signed = timezone.make_aware(datetime(2026, 11, 18, 10))
    fields = {"event": name, "source": "cases", "reference": ref, "kind": "pending_materials", "kind_label": "容缺受理",
              "text": "承诺于5个工作日内补齐营业执照副本", "subject_kind": "person" if person else "enterprise",
              "subject_name": "王小明" if person else "榆林市恒信商贸有限公司", "uscc": "" if person else (code or uscc(7)),
              "identifier_digest": id_digest(person) if person else id_digest(code or uscc(7)),
              "identifier_masked": mask_resident_id(person) if person else (code or uscc(7)), "department_code": dept,
              "case_no": "SL2026000001", "signed_at": signed, "due_on": date(2026, 11, 25),
              "occurred_at": timezone.make_aware(datetime(2026, 11, 26, 9)) if name != "made" else None} | kw
    return CommitmentEvent(**fields)


def test_the_hook_handler_is_registered_by_the_credit_app():
    assert commitments.on_commitment_event in COMMITMENT_EVENTS._handlers


def test_a_commitment_made_at_the_window_is_recorded_against_the_enterprise_once(city):
    COMMITMENT_EVENTS.run(event=event())
    COMMITMENT_EVENTS.run(event=event())  # delivered twice
    c = Commitment.objects.get()
    assert (c.subject.id_key, c.subject.kind, c.department, c.status) == (uscc(7), "legal_person", city.scjg, "made")
    assert c.number.startswith("CN2026") and c.due_on == date(2026, 11, 25) and c.case_no == "SL2026000001"
    assert AuditEntry.objects.filter(action="credit.commitment.made").count() == 1


def test_a_persons_commitment_finds_the_subject_by_the_identifier_digest(city):
    number = resident_id(4)
    person = subject_for(number, "王小明")
    COMMITMENT_EVENTS.run(event=event(person=number))
    assert Commitment.objects.get().subject == person
    COMMITMENT_EVENTS.run(event=event(person=resident_id(5), ref="cases.commitment:2"))
    created = Commitment.objects.get(reference="cases.commitment:2").subject
    assert created.id_kind == "resident_id" and created.id_key == id_digest(resident_id(5))
    assert created.id_display == mask_resident_id(resident_id(5)) and created.id_cipher == ""


def test_fulfilment_is_tracked(city):
    COMMITMENT_EVENTS.run(event=event())
    COMMITMENT_EVENTS.run(event=event("fulfilled"))
    c = Commitment.objects.get()
    assert c.status == "fulfilled" and c.fulfilled_at == timezone.make_aware(datetime(2026, 11, 26, 9))
    assert not OtherRecord.objects.exists()


def test_a_breach_becomes_a_negative_credit_record_with_reason_department_and_date(city, client):
    COMMITMENT_EVENTS.run(event=event())
    COMMITMENT_EVENTS.run(event=event("breached", reason="逾期未补齐材料，办件终止"))
    c = Commitment.objects.get()
    record = c.breach_record
    assert (c.status, record.kind, record.title) == ("breached", "commitment_breach", "违背信用承诺")
    assert record.department == city.scjg and record.decision_date == date(2026, 11, 26)
    assert "逾期未补齐材料" in record.content and record.subject == c.subject
    client.force_login(city.officer)
    page = client.get(f"/credit/subjects/{c.subject_id}/").content.decode()
    assert "违背信用承诺" in page
    with pytest.raises(Conflict):
        COMMITMENT_EVENTS.run(event=event("fulfilled"))


def test_a_breach_of_an_unknown_commitment_records_it_first(city):
    COMMITMENT_EVENTS.run(event=event("breached", reason="未履约"))
    assert Commitment.objects.get().status == "breached" and OtherRecord.objects.count() == 1


def test_the_commitment_rolls_back_with_the_callers_transaction(city):
    with pytest.raises(RuntimeError), transaction.atomic():
        COMMITMENT_EVENTS.run(event=event())
        raise RuntimeError("acceptance failed")
    assert not Commitment.objects.exists() and not Subject.objects.filter(id_key=uscc(7)).exists()


def test_the_credit_office_registers_a_commitment_made_elsewhere_and_marks_it(city):
    c = commitments.do_register(city.officer, code=uscc(8), subject_name="榆林市建设工程有限公司", kind="industry",
                                text="承诺按时足额支付农民工工资", department=city.yj, due_on=date(2027, 1, 31))
    assert (c.source, c.kind_label, c.subject.name) == ("manual", "行业自律承诺", "榆林市建设工程有限公司")
    with pytest.raises(InvalidInput):
        commitments.do_mark(city.officer, c.pk, outcome="breached", reason="")
    commitments.do_mark(city.officer, c.pk, outcome="breached", reason="拖欠工资被查实")
    assert Commitment.objects.get(pk=c.pk).breach_record.department == city.yj
    with pytest.raises(Conflict) as exc:
        commitments.do_mark(city.officer, c.pk, outcome="fulfilled")
    assert exc.value.code == "credit.commitment_closed"


def test_registering_is_for_the_credit_office_and_input_is_checked(city):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        commitments.do_register(city.reviewer, code=uscc(8), subject_name="x", kind="other", text="t", department=city.yj)
    with pytest.raises(InvalidInput):
        commitments.do_register(city.officer, code=uscc(8), subject_name="x", kind="bogus", text="t", department=city.yj)
    with pytest.raises(InvalidInput):
        commitments.do_register(city.officer, code=uscc(8), subject_name="x", kind="other", text="t", department=city.yj,
                                signed_on="2026-11-20", due_on="2026-11-01")
    commitments.do_register(city.officer, code=uscc(8), subject_name="x", kind="other", text="t", department=city.yj,
                            reference="承诺书001")
    with pytest.raises(Conflict):
        commitments.do_register(city.officer, code=uscc(8), subject_name="x", kind="other", text="t", department=city.yj,
                                reference="承诺书001")
