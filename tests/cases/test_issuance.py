"""Issuance (统一出件): licence number, licence PDF, e-licence in the wallet, decision notice; who may issue."""

from datetime import date, timedelta

import pytest
from django.db import transaction

from tests.cases.conftest import PERSON_ID, accepted_case, food_licence, pdf_text, person, publish
from tests.cases.factories_issuance import approved_case, denied_case
from tests.factories import UserFactory
from yingshang.cases import rules_issuance
from yingshang.cases.models import Issuance
from yingshang.cases.services import issuance
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput
from yingshang.kernel.models import AuditEntry, IssuedDocument
from yingshang.kernel.protect import id_digest, mask_resident_id
from yingshang.licences import services as licence_services


@pytest.fixture
def food_cert(city):
    return publish("610800-XK-0001", food_licence(result_name="食品经营许可证"), city.scjg)


def _issue(user, case, **kw):
    with transaction.atomic():
        return issuance.do_issue(user, case.pk, case.row_version, **kw)


@pytest.mark.django_db
def test_issuing_numbers_the_licence_renders_it_and_puts_it_in_the_applicants_wallet(city, food_cert, official_calendar,
                                                                                      files):
    case = approved_case(city, food_cert, applicant=person())
    result = _issue(city.reviewer_scjg, case)
    year = date.today().year
    assert result.number == f"XK0001{year}000001" and result.result_name == "食品经营许可证"
    # 食品经营许可证: five years, the last day the day before the anniversary
    assert result.valid_until == rules_issuance.valid_until(result.valid_from, 5)
    case.refresh_from_db()
    assert case.status == "issued"
    doc = result.licence_document
    assert doc.kind == "case.licence" and doc.number == result.number and doc.holder_is_person
    text = pdf_text(doc)
    assert result.number in text and mask_resident_id(PERSON_ID) in text and PERSON_ID not in text
    citizen = UserFactory(citizen=True, id_number_digest=id_digest(PERSON_ID), id_number_masked=mask_resident_id(PERSON_ID))
    wallet = licence_services.holder_licences(citizen)
    assert [(v.number, v.name, v.valid_until) for v in wallet] == [(result.number, "食品经营许可证", result.valid_until)]
    assert wallet[0].verification_code == doc.verification_code and result.elicense_id == wallet[0].id
    event = case.events.get(kind="issue")
    assert result.number in event.text and event.document_id == doc.pk
    assert AuditEntry.objects.filter(action="cases.case.issue", object_id=str(case.pk)).count() == 1
    assert AuditEntry.objects.filter(action="licences.elicense.place").count() == 1


@pytest.mark.django_db
def test_licence_numbers_are_contiguous_per_item_and_year(city, food_cert, official_calendar):
    numbers = [_issue(city.reviewer_scjg, approved_case(city, food_cert)).number for _ in range(3)]
    year = date.today().year
    assert numbers == [f"XK0001{year}00000{i}" for i in (1, 2, 3)]


@pytest.mark.django_db
def test_the_approval_decision_notice_is_issued_after_commit(city, food_cert, official_calendar, files):
    case = approved_case(city, food_cert)
    result = _issue(city.reviewer_scjg, case)
    result.refresh_from_db()
    decision = result.decision_document
    assert decision is not None and decision.kind == "case.approval" and decision.title == "准予行政许可决定书"
    assert result.number in pdf_text(decision)
    assert IssuedDocument.objects.filter(object_type="cases.case", object_id=str(case.pk), kind="case.licence").count() == 1


@pytest.mark.django_db
def test_a_licence_without_a_statutory_validity_is_long_term_unless_the_department_sets_one(city, food, official_calendar):
    result = _issue(city.reviewer_scjg, approved_case(city, food))
    assert result.valid_until is None and result.result_name == "食品经营许可准予许可证明"
    case = approved_case(city, food)
    with pytest.raises(InvalidInput) as err:
        _issue(city.reviewer_scjg, case, valid_until=date.today() - timedelta(days=1))
    assert err.value.code == "case.valid_until_past"
    until = date.today() + timedelta(days=700)
    assert _issue(city.reviewer_scjg, case, valid_until=until).valid_until == until


@pytest.mark.django_db
def test_only_the_owning_departments_staff_issue(city, food, official_calendar):
    case = approved_case(city, food)
    with pytest.raises(Forbidden) as err:
        _issue(city.clerk, case)
    assert err.value.code == "case.forbidden"
    with pytest.raises(Forbidden) as err:
        _issue(city.reviewer_wj, case)
    assert err.value.code == "case.not_your_department"
    assert not Issuance.objects.exists()


@pytest.mark.django_db
def test_only_approved_cases_are_issued_and_only_once(city, food, official_calendar):
    with pytest.raises(Conflict) as err:
        _issue(city.reviewer_scjg, denied_case(city, food))
    assert err.value.code == "case.transition_not_allowed"
    with pytest.raises(Conflict):
        _issue(city.reviewer_scjg, accepted_case(city, food))
    case = approved_case(city, food)
    stale = case.row_version
    _issue(city.reviewer_scjg, case)
    with pytest.raises(Conflict) as err, transaction.atomic():
        issuance.do_issue(city.reviewer_scjg, case.pk, stale)
    assert err.value.code == "case.conflict"
    case.refresh_from_db()
    with pytest.raises(Conflict) as err:
        _issue(city.reviewer_scjg, case)
    assert err.value.code == "case.transition_not_allowed"


@pytest.mark.django_db
def test_the_issue_step_of_a_joint_item_is_done_by_issuing(city, joint, official_calendar):
    case = approved_case(city, joint)
    assert case.steps.get(step_kind="issue").status == "waiting"
    _issue(city.reviewer_scjg, case)
    step = case.steps.get(step_kind="issue")
    assert step.status == "approved" and step.decided_by == city.reviewer_scjg
