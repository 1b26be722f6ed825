"""Window acceptance: materials, acceptance checks (the credit hook), corrections, refusal, any-hall service,
notify-and-commit, and the written notices (PDFs carrying the case number)."""

import pytest
from django.db import transaction

from tests.cases.conftest import PERSON_ID, all_provided, pdf_text, person, window_case
from tests.factories import UserFactory
from yingshang.cases.models import Case, PostVerification
from yingshang.cases.services import acceptance, applications
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput
from yingshang.kernel.hooks import ACCEPTANCE_CHECKS, CheckHit
from yingshang.kernel.models import AuditEntry, IssuedDocument

pytestmark = pytest.mark.usefixtures("official_calendar", "files")


@pytest.fixture
def blacklist():
    """A credit check that finds every applicant on a black list (blocking)."""

    def handler(identifier, name, item_code, scenario, **kwargs):
        return [CheckHit("credit", "credit.black_list", f"{name}被列入严重失信主体名单", blocking=True)]

    ACCEPTANCE_CHECKS.register(handler)
    yield handler
    ACCEPTANCE_CHECKS.unregister(handler)


def _docs(case, kind):
    return IssuedDocument.objects.filter(object_type="cases.case", object_id=str(case.pk), kind=kind)


def test_window_application_is_numbered_and_keeps_the_version(city, food):
    case = window_case(city, food)
    assert case.case_no.startswith("SL") and len(case.case_no) == 12
    assert case.status == "submitted" and case.item_version_id == food.pk and case.hall == city.hall
    assert case.identifier_masked.endswith(case.identifier_last4) and case.uscc


def test_a_resident_id_is_stored_only_as_digest_mask_and_last_four(city, food):
    case = window_case(city, food, applicant=person())
    stored = Case.objects.filter(pk=case.pk).values().get()
    assert PERSON_ID not in str(stored)
    assert (case.identifier_masked, case.identifier_last4) == ("610802********123X", "123X")


def test_an_invalid_identifier_is_refused_with_the_part_that_is_wrong(city, food):
    with pytest.raises(InvalidInput) as caught, transaction.atomic():
        window_case(city, food, applicant=person(identifier="610802199001011234"))
    assert caught.value.code == "case.identifier_invalid" and "校验" in caught.value.message


def test_accept_needs_every_required_material(city, food):
    materials = all_provided(food)
    first = food.materials.order_by("sort_order").first()
    materials[first.pk] = "missing"
    case = window_case(city, food, materials=materials)
    with pytest.raises(InvalidInput) as caught, transaction.atomic():
        acceptance.do_accept(city.clerk, case.pk, case.row_version)
    assert caught.value.code == "case.materials_incomplete" and first.name in caught.value.message


def test_accept_issues_an_acceptance_notice_with_the_case_number(city, food):
    case = window_case(city, food)
    with transaction.atomic():
        acceptance.do_accept(city.clerk, case.pk, case.row_version)
    case.refresh_from_db()
    assert case.status == "accepted" and case.clerk == city.clerk
    (doc,) = _docs(case, "case.acceptance")
    text = pdf_text(doc)
    assert "受理通知书" in text and case.case_no in text and "第三十二条" in text
    assert doc.issuer == city.scjg and doc.number == f"{case.case_no}-SL"


def test_any_clerk_in_any_hall_accepts_any_item(city, food):
    case = window_case(city, food)
    with transaction.atomic():
        acceptance.do_accept(city.clerk2, case.pk, case.row_version)
    assert Case.objects.get(pk=case.pk).hall == city.hall2


def test_only_window_clerks_accept(city, food):
    case = window_case(city, food)
    with pytest.raises(Forbidden), transaction.atomic():
        acceptance.do_accept(city.reviewer_scjg, case.pk, case.row_version)


def test_a_clerk_outside_a_hall_cannot_accept(city, food):
    case = window_case(city, food)
    nowhere = UserFactory(role_codes=["window_clerk"], department=city.scjg)
    with pytest.raises(Forbidden) as caught, transaction.atomic():
        acceptance.do_accept(nowhere, case.pk, case.row_version)
    assert caught.value.code == "case.no_hall"


def test_a_blocking_check_needs_a_recorded_override(city, food, blacklist):
    case = window_case(city, food)
    with pytest.raises(InvalidInput) as caught, transaction.atomic():
        acceptance.do_accept(city.clerk, case.pk, case.row_version)
    assert caught.value.code == "case.blocking_check"
    assert caught.value.details["hits"][0]["code"] == "credit.black_list"
    with transaction.atomic():
        acceptance.do_accept(city.clerk, case.pk, case.row_version, override_reason="已核实为同名企业，非失信主体")
    case.refresh_from_db()
    assert case.status == "accepted"
    event = case.events.get(kind="acceptance_checks")
    assert event.internal and "同名企业" in event.text and "严重失信" in event.text
    entry = AuditEntry.objects.get(action="cases.case.accept", object_id=str(case.pk))
    assert "同名企业" in entry.summary and "credit.black_list" in entry.summary


def test_the_checks_receive_the_identifier_name_and_item(city, food):
    seen = {}

    def handler(**kwargs):
        seen.update(kwargs)
        return [CheckHit("credit", "credit.red_list", "守信激励对象：容缺受理优先")]

    ACCEPTANCE_CHECKS.register(handler)
    try:
        case = window_case(city, food)
        hits = acceptance.run_checks(case)
    finally:
        ACCEPTANCE_CHECKS.unregister(handler)
    assert seen == {"identifier": case.uscc, "name": case.applicant_name, "item_code": food.item.code,
                    "scenario": "administrative_licensing"}
    assert [h.code for h in hits] == ["credit.red_list"]


def test_a_person_is_checked_only_with_a_verified_id(city, food):
    case = window_case(city, food, applicant=person())
    assert [h.code for h in acceptance.run_checks(case)] == ["cases.identity_unverified"]
    assert acceptance.run_checks(case, PERSON_ID) == []
    with pytest.raises(InvalidInput) as caught:
        acceptance.run_checks(case, "610802199001011253")
    assert caught.value.code in ("case.identifier_mismatch", "case.identifier_invalid")


def test_a_failing_check_blocks_rather_than_passing_silently(city, food):
    def broken(**kwargs):
        raise RuntimeError("credit service down")

    ACCEPTANCE_CHECKS.register(broken)
    try:
        case = window_case(city, food)
        hits = acceptance.run_checks(case)
    finally:
        ACCEPTANCE_CHECKS.unregister(broken)
    assert [(h.code, h.blocking) for h in hits] == [("cases.check_failed", True)]


def test_request_correction_lists_everything_in_one_notice(city, food):
    case = window_case(city, food)
    first, second = food.materials.order_by("sort_order")[:2]
    with transaction.atomic():
        acceptance.do_request_correction(city.clerk, case.pk, case.row_version, items=[
            (first.pk, "缺少法定代表人签字"), (second.pk, "复印件不清晰"), (None, "经营场所地址与营业执照不一致")])
    case.refresh_from_db()
    assert case.status == "correction_requested" and case.corrections == 1
    (doc,) = _docs(case, "case.correction")
    text = pdf_text(doc)
    for expected in (case.case_no, "一次性告知", "缺少法定代表人签字", "复印件不清晰", "经营场所地址"):
        assert expected in text
    assert case.materials.get(material=first).status == "missing"


def test_supplement_after_correction_resubmits(city, food, set_today):
    from datetime import date

    set_today(date(2025, 9, 22))
    case = window_case(city, food)
    first = food.materials.order_by("sort_order").first()
    with transaction.atomic():
        acceptance.do_request_correction(city.clerk, case.pk, case.row_version, items=[(first.pk, "缺少签字")])
    case.refresh_from_db()
    set_today(date(2025, 9, 25))
    with transaction.atomic():
        acceptance.do_supplement(city.clerk, case.pk, case.row_version, material_ids=[first.pk])
    case.refresh_from_db()
    assert (case.status, case.received_on) == ("submitted", date(2025, 9, 25))


def test_refusal_gives_reasons_basis_and_rights_in_writing(city, food):
    case = window_case(city, food)
    with transaction.atomic():
        acceptance.do_refuse(city.clerk, case.pk, case.row_version, reason="申请事项依法不需要取得行政许可",
                             legal_basis="《中华人民共和国行政许可法》第三十二条第一款第（一）项")
    case.refresh_from_db()
    assert case.status == "refused" and case.closed_at
    text = pdf_text(_docs(case, "case.refusal").get())
    assert case.case_no in text and "不予受理" in text and "行政复议" in text


def test_refusal_needs_reason_and_basis(city, food):
    case = window_case(city, food)
    with pytest.raises(InvalidInput) as caught, transaction.atomic():
        acceptance.do_refuse(city.clerk, case.pk, case.row_version, reason="  ", legal_basis="x")
    assert caught.value.code == "case.reason_required"


def test_notify_and_commit_approves_and_opens_a_post_verification(city, commit_item):
    case = window_case(city, commit_item)
    with transaction.atomic():
        acceptance.do_commitment_approval(city.clerk, case.pk, case.row_version)
    case.refresh_from_db()
    assert case.status == "approved" and case.clock_state == "stopped" and case.on_time
    task = PostVerification.objects.get(case=case)
    assert task.status == "open" and task.department == city.wj and task.due_on > case.decided_on
    commitment = case.commitments.get()
    assert commitment.kind == "notify_and_commit" and commitment.is_open
    assert case.case_no in pdf_text(commitment.document)
    assert not case.steps.filter(step_kind="review").exists()


def test_notify_and_commit_is_only_for_items_that_have_it(city, food):
    case = window_case(city, food)
    with pytest.raises(Conflict) as caught, transaction.atomic():
        acceptance.do_commitment_approval(city.clerk, case.pk, case.row_version)
    assert caught.value.code == "case.not_notify_and_commit"


def test_post_verification_records_a_breach(city, commit_item):
    from yingshang.cases.services import lifecycle

    case = window_case(city, commit_item)
    with transaction.atomic():
        acceptance.do_commitment_approval(city.clerk, case.pk, case.row_version)
    case.refresh_from_db()
    with transaction.atomic():
        lifecycle.do_verify_commitment(city.reviewer_wj, case.pk, case.row_version, passed=False,
                                       result="现场核查发现无消毒设施，与承诺不符")
    commitment = case.commitments.get()
    assert commitment.breached_at and "消毒设施" in commitment.breach_reason
    assert PostVerification.objects.get(case=case).status == "failed"


def test_online_application_comes_from_the_applicants_account(city, food):
    from yingshang.kernel.protect import id_digest

    citizen = UserFactory(role_codes=["citizen"], real_name="李雷", id_number_digest=id_digest(PERSON_ID),
                          id_number_masked="610802********123X")
    with transaction.atomic():
        draft = applications.do_create_application(citizen, food.item.code, materials=all_provided(food), submit=False)
    assert draft.status == "draft" and draft.case_no is None and draft.channel == "online"
    assert (draft.applicant_name, draft.identifier_last4) == ("李雷", "123X")
    with transaction.atomic():
        submitted = applications.do_submit(citizen, draft.pk, draft.row_version)
    assert submitted.case_no and submitted.status == "submitted"
