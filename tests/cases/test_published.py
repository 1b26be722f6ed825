"""Licensing decisions as the credit work reads them (cases.services.published): granted 行政许可 cases
only, by department and decision date, with the applicant's USCC or masked number and digest."""

from datetime import timedelta

import pytest
from django.db import transaction

from tests.cases.conftest import accepted_case, company, person, publish, restaurant_joint
from yingshang.cases.models import Case
from yingshang.cases.services import review
from yingshang.cases.services.published import licensing_decisions
from yingshang.kernel import clock
from yingshang.kernel.protect import id_digest

pytestmark = pytest.mark.usefixtures("official_calendar")


def _decide(city, case, approve=True):
    for name in (("审查", "决定") if approve else ()):
        case = Case.objects.get(pk=case.pk)
        with transaction.atomic():
            review.do_step_approve(city.reviewer_scjg, case.steps.get(name=name).pk, case.row_version, reason="符合要求")
    case = Case.objects.get(pk=case.pk)
    with transaction.atomic():
        review.do_decide(city.reviewer_scjg, case.pk, case.row_version, approve=approve,
                         reason="" if approve else "不符合条件", legal_basis="食品安全法")
    return Case.objects.get(pk=case.pk)


def test_granted_licensing_cases_are_listed_with_the_applicant_identity(city, food):
    granted = _decide(city, accepted_case(city, food, applicant=company()))
    personal = _decide(city, accepted_case(city, food, applicant=person()))
    today = clock.today()
    found = {d.case_no: d for d in licensing_decisions([city.scjg.pk], today - timedelta(days=1), today)}
    assert set(found) == {granted.case_no, personal.case_no}
    org = found[granted.case_no]
    assert org.uscc == granted.uscc and org.department_code == "610800-SCJG" and org.decided_on == today
    assert org.item_code == "SCJG-FOOD-001" and not org.applicant_is_person
    p = found[personal.case_no]
    assert p.applicant_is_person and p.uscc == "" and p.identifier_digest == id_digest("61080219900101123X")
    assert "*" in p.identifier_masked and "19900101" not in p.identifier_masked


def test_denials_other_departments_other_dates_and_other_item_types_are_left_out(city, food):
    _decide(city, accepted_case(city, food), approve=False)
    granted = _decide(city, accepted_case(city, food))
    today = clock.today()
    assert [d.case_no for d in licensing_decisions(None, today, today)] == [granted.case_no]
    assert list(licensing_decisions([city.wj.pk], today, today)) == []
    assert list(licensing_decisions(None, today - timedelta(days=30), today - timedelta(days=1))) == []
    service = publish("YJS-SERVICE-002", restaurant_joint(), city.scjg)  # a public service, not a licence
    accepted_case(city, service)
    assert [d.case_no for d in licensing_decisions(None, today, today)] == [granted.case_no]
