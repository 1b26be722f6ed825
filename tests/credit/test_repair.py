"""Credit repair (信用修复): eligibility by the publication rule in force on the penalty's decision date,
commitment and evidence required, decided once; upheld ends publication or removes the list entry."""

from datetime import date

import pytest

from tests.credit.conftest import catalog
from tests.credit.factories_objections import citizen_user, enterprise_user, pdf_file, penalty, resident_id, subject_for, uscc
from tests.credit.test_lists import designate
from yingshang.credit import rules
from yingshang.credit.models import PenaltyRecord
from yingshang.credit.services import publicity, repair
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput


@pytest.fixture
def firm(city):
    subject = subject_for(uscc(7))
    return {"subject": subject, "user": enterprise_user(uscc(7))}


def apply(firm, record, **kw):
    fields = {"target_kind": "penalty", "target_id": record.pk, "rectification": "罚款已缴纳，整改完成",
              "commitment_text": "承诺守法经营", "evidence": [pdf_file()]} | kw
    return repair.do_file(firm["user"], **fields)


@pytest.mark.parametrize(("decided", "severity", "today", "code"), [
    # Measures 2025 (decisions from 2026-04-01): general 3 months minimum, 1 year maximum.
    (date(2026, 4, 10), "general", date(2026, 7, 10), "credit.repair_too_early"),
    (date(2026, 4, 10), "general", date(2026, 7, 11), ""),
    (date(2026, 4, 10), "general", date(2027, 4, 11), "credit.repair_publication_over"),
    # serious: 1 year minimum
    (date(2026, 4, 10), "serious", date(2027, 4, 10), "credit.repair_too_early"),
    (date(2026, 4, 10), "serious", date(2027, 4, 11), ""),
    (date(2026, 4, 10), "minor", date(2026, 11, 20), "credit.repair_not_published"),
    # Order No. 58 (decided 2023-05-01 to 2026-03-31): 3 months minimum whatever the severity, 3 years maximum.
    (date(2025, 3, 1), "serious", date(2025, 6, 2), ""),
    (date(2025, 3, 1), "", date(2028, 3, 2), "credit.repair_publication_over"),
    # Notice 2019 (before 2023-05-01): serious 6 months minimum.
    (date(2023, 4, 30), "serious", date(2023, 10, 30), "credit.repair_too_early"),
    (date(2023, 4, 30), "serious", date(2023, 10, 31), ""),
])
def test_repair_eligibility_follows_the_rule_in_force_on_the_decision_date(decided, severity, today, code):
    assert rules.penalty_repair_eligibility(decided, severity, "", today).code == code


def test_a_subject_applies_and_the_credit_office_upholds_the_penalty_leaves_public_view(city, firm):
    record = penalty(city.scjg, firm["subject"], date(2026, 6, 1))  # general: repair from 2026-09-02
    assert publicity.search("penalty").items == [record]
    item = apply(firm, record)
    # Filed 2026-11-20 under Order No. 58's 5 working days → 2026-11-27.
    assert (item.status, item.deadline, item.deadline_rule) == ("open", date(2026, 11, 27), "repair-order-58")
    assert (item.eligibility_rule, item.eligible_after) == ("ndrc-repair-2025", date(2026, 9, 1))
    with pytest.raises(Forbidden):
        repair.do_decide(city.reviewer, item.pk, outcome="upheld", note="部门无权")
    repair.do_decide(city.officer, item.pk, outcome="upheld", note="已纠正失信行为")
    assert publicity.search("penalty").items == []
    assert "信用修复" in PenaltyRecord.objects.get(pk=record.pk).publication_end_reason
    with pytest.raises(Conflict) as exc:
        repair.do_decide(city.officer, item.pk, outcome="rejected", note="再次")
    assert exc.value.code == "credit.repair_closed"


def test_too_early_no_evidence_or_twice_open_is_refused(city, firm, today):
    record = penalty(city.scjg, firm["subject"], date(2026, 10, 1))
    with pytest.raises(Conflict) as exc:
        apply(firm, record)
    assert exc.value.code == "credit.repair_too_early" and exc.value.details["eligible_after"] == date(2027, 1, 1)
    today(date(2027, 1, 2))
    with pytest.raises(InvalidInput) as exc:
        apply(firm, record, evidence=[])
    assert exc.value.code == "credit.evidence_required"
    with pytest.raises(InvalidInput):
        apply(firm, record, commitment_text="")
    apply(firm, record)
    with pytest.raises(Conflict) as exc:
        apply(firm, record)
    assert exc.value.code == "credit.repair_open"


def test_a_rejected_repair_keeps_the_penalty_public(city, firm):
    record = penalty(city.scjg, firm["subject"], date(2026, 6, 1))
    item = apply(firm, record)
    repair.do_decide(city.officer, item.pk, outcome="rejected", note="罚款未缴清")
    assert publicity.search("penalty").items == [record]


def test_a_black_list_entry_is_repaired_by_its_designating_department_and_leaves_the_list(city):
    c = catalog(city)
    entry = designate(city.head_yj, c["safety"], uscc(9), name="榆林市安全生产有限公司")
    user = enterprise_user(uscc(9), username="safety")
    item = repair.do_file(user, target_kind="list_entry", target_id=entry.pk, rectification="整改验收合格",
                          commitment_text="承诺", evidence=[pdf_file()])
    assert item.department == city.yj
    assert list(repair.queue(city.head_yj)) == [item] and list(repair.queue(city.reviewer)) == []
    repair.do_decide(city.head_yj, item.pk, outcome="upheld", note="准予移出")
    entry.refresh_from_db()
    assert (entry.status, entry.removal_reason) == ("removed", "repair")


def test_red_lists_and_licences_cannot_be_repaired(city, firm):
    c = catalog(city)
    entry = designate(city.officer, c["tax_a"], uscc(7), department=city.xyb)
    with pytest.raises(Conflict) as exc:
        repair.do_file(firm["user"], target_kind="list_entry", target_id=entry.pk, rectification="x", commitment_text="y",
                       evidence=[pdf_file()])
    assert exc.value.code == "credit.repair_red_list"
    with pytest.raises(InvalidInput):
        repair.do_file(firm["user"], target_kind="license", target_id=1, rectification="x", commitment_text="y")


def test_a_citizen_applies_for_repair_of_their_own_penalty(city):
    number = resident_id(3)
    person = subject_for(number, "王小明")
    record = penalty(city.scjg, person, date(2026, 6, 1))
    item = repair.do_file(citizen_user(number), target_kind="penalty", target_id=record.pk, rectification="已缴纳",
                          commitment_text="承诺", evidence=[pdf_file()])
    assert item.subject == person and item.subject.id_display.count("*") == 8
