"""Objections (异议): filed by the subject (or a clerk for it) with evidence, marked 异议中 in public while
open, decided once by the source department within the working-day deadline in force on the filing date."""

import json
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.credit.conftest import catalog
from tests.credit.factories_objections import enterprise_user, licence, pdf_file, penalty, subject_for, uscc
from tests.credit.test_lists import designate
from yingshang.credit import rules
from yingshang.credit.models import Objection, PenaltyRecord
from yingshang.credit.services import handling, objections, publicity
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput
from yingshang.kernel.models import AuditEntry, StoredFile


@pytest.fixture
def firm(city):
    subject = subject_for(uscc(7))
    return {"subject": subject, "user": enterprise_user(uscc(7)), "penalty": penalty(city.scjg, subject),
            "licence": licence(city.scjg, subject)}


def file(firm, **kw):
    fields = {"target_kind": "penalty", "target_id": firm["penalty"].pk, "reason": "罚款已依法减免，处罚内容有误"} | kw
    return objections.do_file(firm["user"], **fields)


def test_a_subject_files_an_objection_with_a_deadline_in_working_days_and_an_audit_entry(city, firm):
    obj = file(firm, evidence=[pdf_file()])
    assert obj.number.startswith("YY2026") and obj.status == "open" and obj.department == city.scjg
    # Filed Friday 2026-11-20; 15 working days, the filing day not counted → Friday 2026-12-11.
    assert (obj.filed_on, obj.deadline, obj.deadline_rule) == (date(2026, 11, 20), date(2026, 12, 11), "objection-15wd")
    assert obj.evidence[0]["name"] == "缴款凭证.pdf" and len(obj.evidence[0]["sha256"]) == 64
    audit = AuditEntry.objects.get(action="credit.objection.file", object_id=str(obj.pk))
    assert json.loads(audit.summary)["after"]["target"] == f"penalty:{firm['penalty'].pk}"


def test_an_open_objection_marks_the_record_disputed_on_public_pages(city, firm, client):
    assert publicity.search("penalty").items[0].disputed is False
    file(firm)
    assert publicity.search("penalty").items[0].disputed is True
    assert publicity.public_record("penalty", firm["penalty"].pk).disputed is True
    assert "异议中" in client.get("/credit/public/?kind=penalty").content.decode()
    assert "异议中" in client.get(f"/credit/public/penalty/{firm['penalty'].pk}/").content.decode()


def test_only_the_records_own_subject_may_object_and_only_once_at_a_time(city, firm):
    other = enterprise_user(uscc(8), username="other")
    subject_for(uscc(8), "榆林市另一家有限公司")
    with pytest.raises(Forbidden) as exc:
        objections.do_file(other, target_kind="penalty", target_id=firm["penalty"].pk, reason="不是我的")
    assert exc.value.code == "credit.not_your_record"
    with pytest.raises(Forbidden):
        objections.do_file(city.citizen, target_kind="penalty", target_id=firm["penalty"].pk, reason="无主体")
    file(firm)
    with pytest.raises(Conflict) as exc:
        file(firm)
    assert exc.value.code == "credit.objection_open"
    with pytest.raises(InvalidInput):
        file(firm, target_kind="nonsense")
    with pytest.raises(InvalidInput):
        file(firm, reason="  ")


def test_a_window_clerk_files_on_behalf_and_a_citizen_cannot(city, firm):
    obj = objections.do_file(city.clerk, target_kind="license", target_id=firm["licence"].pk,
                             reason="许可编号有误", on_behalf_of=firm["subject"])
    assert obj.on_behalf and obj.filed_by == city.clerk
    with pytest.raises(Forbidden):
        objections.do_file(city.citizen, target_kind="penalty", target_id=firm["penalty"].pk, reason="x",
                           on_behalf_of=firm["subject"])


def test_upheld_and_withdrawn_the_record_leaves_public_view(city, firm):
    obj = file(firm)
    decided = objections.do_decide(city.reviewer, obj.pk, outcome="upheld", resolution="withdrawn", note="核实处罚已撤销")
    assert (decided.status, decided.resolution, decided.decided_by) == ("upheld", "withdrawn", city.reviewer)
    assert publicity.search("penalty").items == []
    assert "异议成立" in PenaltyRecord.objects.get(pk=firm["penalty"].pk).publication_end_reason
    assert AuditEntry.objects.filter(action="credit.record.withdraw").count() == 1


def test_upheld_and_corrected_changes_only_allowed_fields_with_an_audit_entry(city, firm):
    obj = file(firm)
    with pytest.raises(InvalidInput) as exc:
        objections.do_decide(city.reviewer, obj.pk, outcome="upheld", resolution="corrected", note="更正",
                             corrections={"decision_date": "2020-01-01"})
    assert exc.value.code == "credit.correction_field"
    objections.do_decide(city.reviewer, obj.pk, outcome="upheld", resolution="corrected", note="罚款金额更正",
                         corrections={"content": "罚款2000元", "fine_amount": "0.2"})
    record = PenaltyRecord.objects.get(pk=firm["penalty"].pk)
    assert record.content == "罚款2000元" and str(record.fine_amount) == "0.200000"
    audit = json.loads(AuditEntry.objects.get(action="credit.record.correct").summary)
    assert audit["before"]["content"] == "罚款5000元"
    assert publicity.search("penalty").items[0].disputed is False  # closed: no longer 异议中


def test_rejected_needs_a_reason_and_a_second_decision_is_a_conflict(city, firm):
    obj = file(firm)
    with pytest.raises(InvalidInput):
        objections.do_decide(city.reviewer, obj.pk, outcome="rejected", note="")
    with pytest.raises(InvalidInput):
        objections.do_decide(city.reviewer, obj.pk, outcome="maybe", note="x")
    objections.do_decide(city.reviewer, obj.pk, outcome="rejected", note="经核实信息无误")
    with pytest.raises(Conflict) as exc:
        objections.do_decide(city.officer, obj.pk, outcome="upheld", resolution="withdrawn", note="再次")
    assert exc.value.code == "credit.objection_closed" and exc.value.status == 409
    assert publicity.search("penalty").items[0].disputed is False


def test_only_the_source_department_or_the_credit_office_decides(city, firm):
    obj = file(firm)
    assert list(objections.queue(city.reviewer_yj)) == [] and list(objections.queue(city.reviewer)) == [obj]
    with pytest.raises(Forbidden):
        objections.do_decide(city.reviewer_yj, obj.pk, outcome="rejected", note="不是本部门")
    with pytest.raises(Forbidden):
        objections.do_decide(firm["user"], obj.pk, outcome="upheld", resolution="withdrawn", note="自己决定")
    objections.do_decide(city.officer, obj.pk, outcome="rejected", note="信用办核实")


def test_a_stale_row_version_is_a_conflict(city, firm):
    obj = file(firm)
    with pytest.raises(Conflict) as exc:
        objections.do_decide(city.reviewer, obj.pk, outcome="rejected", note="x", row_version=obj.row_version + 5)
    assert exc.value.code == "credit.objection_changed"


def test_an_upheld_objection_against_a_list_entry_removes_it(city):
    c = catalog(city)
    entry = designate(city.officer, c["debtor"], uscc(9), name="榆林市被列入有限公司")
    user = enterprise_user(uscc(9), username="listed")
    obj = objections.do_file(user, target_kind="list_entry", target_id=entry.pk, reason="已履行全部义务，不应列入")
    assert obj.department == city.xyb and publicity.public_entries().items[0].disputed
    objections.do_decide(city.officer, obj.pk, outcome="upheld", note="核实已履行")
    entry.refresh_from_db()
    assert (entry.status, entry.removal_reason) == ("removed", "objection") and "异议" in entry.removal_note


def test_overdue_objections_are_flagged_and_queued_first(city, firm, today):
    late = file(firm)
    today(date(2026, 12, 1))
    fresh = objections.do_file(firm["user"], target_kind="license", target_id=firm["licence"].pk, reason="有误")
    today(date(2026, 12, 14))
    assert handling.is_overdue(late) and not handling.is_overdue(fresh)
    assert list(Objection.objects.filter(objections.overdue_filter(date(2026, 12, 14)))) == [late]


def test_the_handling_rule_in_force_on_the_filing_date_applies():
    assert rules.handling_rule_for("repair", date(2023, 4, 30)).code == "repair-ndrc-2019"
    assert rules.handling_rule_for("repair", date(2023, 5, 1)).code == "repair-order-58"
    table = (rules.HandlingRule("a", "objection", None, 15, "s"), rules.HandlingRule("b", "objection", date(2027, 1, 1), 5, "s"))
    assert rules.handling_rule_for("objection", date(2026, 12, 31), table).working_days == 15
    assert rules.handling_rule_for("objection", date(2027, 1, 1), table).working_days == 5


def test_evidence_is_checked_and_can_be_added_while_open(city, firm):
    renamed = SimpleUploadedFile("扫描件.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(InvalidInput) as exc:
        file(firm, evidence=[pdf_file(), renamed])
    assert exc.value.code == "upload.bad_type" and not StoredFile.objects.exists()  # all checked before any is kept
    obj = file(firm)
    obj = objections.do_add_evidence(firm["user"], obj.pk, [pdf_file("补充.pdf")])
    assert [e["name"] for e in obj.evidence] == ["补充.pdf"] and obj.evidence[0]["upload_id"]
    data, name, content_type = handling.open_evidence(obj, 0)
    assert data.startswith(b"%PDF") and name == "补充.pdf" and content_type == "application/pdf"
    with pytest.raises((Forbidden, PermissionDenied)):
        objections.do_add_evidence(city.reviewer_yj, obj.pk, [pdf_file()])
    objections.do_decide(city.reviewer, obj.pk, outcome="rejected", note="无误")
    with pytest.raises(Conflict):
        objections.do_add_evidence(firm["user"], obj.pk, [pdf_file()])
