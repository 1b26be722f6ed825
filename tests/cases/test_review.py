"""Review and decision: parallel department steps by stage, denial by any, return, department scoping,
the owning department's decision, and the head's approval of extensions."""

import pytest
from django.db import transaction

from tests.cases.conftest import accepted_case
from yingshang.cases.models import Case
from yingshang.cases.services import review
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput
from yingshang.kernel.models import IssuedDocument

pytestmark = pytest.mark.usefixtures("official_calendar")


def stage_two(city):
    return ((city.reviewer_scjg, "食品经营许可审查"), (city.reviewer_wj, "卫生许可审查"), (city.reviewer_sw, "税务登记"))


def _fresh(case) -> Case:
    return Case.objects.get(pk=case.pk)


def _approve(user, case, name):
    step = case.steps.get(name=name)
    with transaction.atomic():
        review.do_step_approve(user, step.pk, _fresh(case).row_version, reason="符合要求")
    return _fresh(case)


def test_steps_come_from_the_version_and_stage_two_starts_in_parallel(city, joint):
    case = accepted_case(city, joint)
    rows = {s.name: (s.stage, s.status, s.department_id) for s in case.steps.all()}
    assert rows["综合受理"] == (1, "approved", city.scjg.pk)  # done by the window
    assert {rows[n][1] for n in ("食品经营许可审查", "卫生许可审查", "税务登记")} == {"active"}
    assert rows["综合审查"][1] == "waiting" and rows["统一出件"][1] == "waiting"
    assert case.current_stage == 2


def test_the_next_stage_starts_only_when_every_parallel_step_approves(city, joint):
    case = accepted_case(city, joint)
    case = _approve(city.reviewer_scjg, case, "食品经营许可审查")
    case = _approve(city.reviewer_wj, case, "卫生许可审查")
    assert case.status == "in_review" and case.steps.get(name="综合审查").status == "waiting"
    case = _approve(city.reviewer_sw, case, "税务登记")
    assert case.current_stage == 3 and case.steps.get(name="综合审查").status == "active"
    case = _approve(city.reviewer_scjg, case, "综合审查")
    with transaction.atomic():
        review.do_decide(city.reviewer_scjg, case.pk, case.row_version, approve=True, legal_basis="一件事一次办指导意见")
    case = _fresh(case)
    assert case.status == "approved" and case.steps.get(name="统一出件").status == "waiting"


def test_one_department_denying_denies_the_case_with_its_reasons(city, joint, files):
    case = accepted_case(city, joint)
    case = _approve(city.reviewer_scjg, case, "食品经营许可审查")
    step = case.steps.get(name="卫生许可审查")
    with transaction.atomic():
        review.do_step_deny(city.reviewer_wj, step.pk, case.row_version, reason="经营场所无独立清洗消毒区",
                            legal_basis="《公共场所卫生管理条例实施细则》第二十二条")
    case = _fresh(case)
    assert case.status == "denied" and "清洗消毒" in case.decision_reason and case.clock_state == "stopped"
    assert case.steps.get(name="税务登记").status == "cancelled"
    assert case.steps.get(name="食品经营许可审查").status == "approved"
    from tests.cases.conftest import pdf_text

    doc = IssuedDocument.objects.get(object_id=str(case.pk), kind="case.denial")
    text = pdf_text(doc)
    assert case.case_no in text and "不予许可" in text and "清洗消毒" in text and "行政诉讼" in text


def test_return_sends_the_case_back_to_the_previous_stage(city, joint):
    case = accepted_case(city, joint)
    for user, name in stage_two(city):
        case = _approve(user, case, name)
    step = case.steps.get(name="综合审查")
    with transaction.atomic():
        review.do_step_return(city.reviewer_scjg, step.pk, case.row_version, reason="卫生许可意见与现场不符，请复核")
    case = _fresh(case)
    assert case.current_stage == 2
    assert case.steps.get(name="综合审查").status == "returned"
    assert {s.status for s in case.steps.filter(stage=2)} == {"active"}
    assert case.events.filter(kind="step_return").exists()


def test_return_needs_an_earlier_review_stage(city, joint):
    case = accepted_case(city, joint)
    step = case.steps.get(name="卫生许可审查")
    with pytest.raises(Conflict) as caught, transaction.atomic():
        review.do_step_return(city.reviewer_wj, step.pk, case.row_version, reason="退回")
    assert caught.value.code in ("case.no_earlier_stage", "case.transition_not_allowed")


def test_a_department_acts_only_on_its_own_steps(city, joint):
    case = accepted_case(city, joint)
    step = case.steps.get(name="食品经营许可审查")
    with pytest.raises(Forbidden) as caught, transaction.atomic():
        review.do_step_approve(city.reviewer_wj, step.pk, case.row_version)
    assert caught.value.code == "case.not_your_department"
    with pytest.raises(Forbidden), transaction.atomic():
        review.do_step_approve(city.clerk, step.pk, case.row_version)


def test_a_step_that_is_not_active_cannot_be_decided(city, joint):
    case = accepted_case(city, joint)
    step = case.steps.get(name="综合审查")
    with pytest.raises(Conflict) as caught, transaction.atomic():
        review.do_step_approve(city.reviewer_scjg, step.pk, case.row_version)
    assert caught.value.code == "case.step_not_active"


def test_approval_needs_every_review_step(city, food):
    case = accepted_case(city, food)
    with pytest.raises(Conflict) as caught, transaction.atomic():
        review.do_decide(city.reviewer_scjg, case.pk, case.row_version, approve=True, legal_basis="食品安全法")
    assert caught.value.code == "case.steps_pending" and "审查" in caught.value.message


def test_only_the_owning_department_decides(city, joint):
    case = accepted_case(city, joint)
    with pytest.raises(Forbidden), transaction.atomic():
        review.do_decide(city.reviewer_wj, case.pk, case.row_version, approve=False, reason="x", legal_basis="y")


def test_denial_by_decision_needs_reasons_and_basis(city, food):
    case = accepted_case(city, food)
    with pytest.raises(InvalidInput) as caught, transaction.atomic():
        review.do_decide(city.reviewer_scjg, case.pk, case.row_version, approve=False, reason="", legal_basis="食品安全法")
    assert caught.value.code == "case.reason_required"


def test_only_a_head_approves_an_extension(city, food):
    from yingshang.cases.services import clock

    case = accepted_case(city, food)
    with transaction.atomic():
        clock.do_request_extension(city.reviewer_scjg, case.pk, case.row_version, days=2, reason="需要补充现场核查")
    case = _fresh(case)
    with pytest.raises(Forbidden), transaction.atomic():
        clock.do_decide_extension(city.reviewer_scjg, case.pk, case.row_version, approve=True)
    with pytest.raises(Conflict) as caught, transaction.atomic():
        clock.do_request_extension(city.reviewer_scjg, case.pk, case.row_version, days=1, reason="再次申请")
    assert caught.value.code == "case.extension_pending"
    with transaction.atomic():
        clock.do_decide_extension(city.head_scjg, case.pk, case.row_version, approve=False, note="理由不充分")
    assert _fresh(case).extension_days == 0


def test_withdrawal_cancels_open_steps_and_stops_the_clock(city, joint):
    from yingshang.cases.services import lifecycle

    case = accepted_case(city, joint)
    with transaction.atomic():
        lifecycle.do_withdraw(city.clerk, case.pk, case.row_version, reason="申请人不再经营")
    case = _fresh(case)
    assert (case.status, case.clock_state, case.on_time) == ("withdrawn", "stopped", None)
    assert not case.steps.filter(status="active").exists()
