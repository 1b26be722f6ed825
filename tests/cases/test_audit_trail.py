"""Every transition leaves an audit entry (and the applicant-facing timeline an event); the chain stays intact."""

from datetime import date

import pytest
from django.db import transaction

from tests.cases.conftest import all_provided, window_case
from yingshang.cases.models import Case
from yingshang.cases.services import acceptance, clock, lifecycle, review
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.services.audit import verify

pytestmark = pytest.mark.usefixtures("official_calendar")


def stage_two(city):
    return ((city.reviewer_scjg, "食品经营许可审查"), (city.reviewer_wj, "卫生许可审查"), (city.reviewer_sw, "税务登记"))


def _actions(case) -> list[str]:
    return list(AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("seq")
                .values_list("action", flat=True))


def _rv(case) -> int:
    return Case.objects.get(pk=case.pk).row_version


def test_every_transition_of_a_full_case_is_audited(city, joint, set_today):
    set_today(date(2025, 9, 26))
    statuses = all_provided(joint)
    pending = next(m for m in joint.materials.all() if m.pending_allowed)
    statuses[pending.pk] = "pending"
    case = window_case(city, joint)
    c = case
    with transaction.atomic():
        acceptance.do_accept_with_pending(city.clerk, c.pk, _rv(c), materials=statuses, supplement_days=3)
    with transaction.atomic():
        acceptance.do_supplement(city.clerk, c.pk, _rv(c), material_ids=[pending.pk])
    with transaction.atomic():
        clock.do_suspend(city.reviewer_wj, c.pk, _rv(c), kind="testing", reason="水质检测")
    with transaction.atomic():
        clock.do_resume(city.reviewer_wj, c.pk, _rv(c))
    with transaction.atomic():
        clock.do_request_extension(city.reviewer_scjg, c.pk, _rv(c), days=2, reason="联合踏勘")
    with transaction.atomic():
        clock.do_decide_extension(city.head_scjg, c.pk, _rv(c), approve=True)
    for user, name in stage_two(city):
        with transaction.atomic():
            review.do_step_approve(user, c.steps.get(name=name).pk, _rv(c))
    with transaction.atomic():
        review.do_step_return(city.reviewer_scjg, c.steps.get(name="综合审查").pk, _rv(c), reason="复核卫生意见")
    for user, name in (*stage_two(city), (city.reviewer_scjg, "综合审查")):
        with transaction.atomic():
            review.do_step_approve(user, c.steps.get(name=name).pk, _rv(c))
    with transaction.atomic():
        review.do_decide(city.reviewer_scjg, c.pk, _rv(c), approve=True, legal_basis="一件事一次办指导意见")
    assert _actions(case) == [
        "cases.case.create", "cases.case.submit", "cases.case.accept_with_pending", "cases.case.supplement",
        "cases.case.suspend", "cases.case.resume", "cases.case.request_extension", "cases.case.approve_extension",
        *["cases.case.step_approve"] * 3, "cases.case.step_return", *["cases.case.step_approve"] * 4,
        "cases.case.decide_approve",
    ]
    assert Case.objects.get(pk=case.pk).row_version == 1 + len(_actions(case)) - 1
    assert verify().ok


def test_refusal_withdrawal_and_stop_are_audited_with_before_and_after(city, food):
    refused, withdrawn, stopped = (window_case(city, food) for _ in range(3))
    with transaction.atomic():
        acceptance.do_refuse(city.clerk, refused.pk, _rv(refused), reason="不属于本机关职权范围", legal_basis="第三十二条")
        lifecycle.do_withdraw(city.clerk, withdrawn.pk, _rv(withdrawn))
        acceptance.do_accept(city.clerk, stopped.pk, _rv(stopped))
    with transaction.atomic():
        lifecycle.do_stop(city.head_scjg, stopped.pk, _rv(stopped), reason="申请人已注销")
    entry = AuditEntry.objects.get(action="cases.case.stop", object_id=str(stopped.pk))
    assert '"before":{' in entry.summary and '"status":"accepted"' in entry.summary and '"status":"stopped"' in entry.summary
    assert _actions(refused)[-1] == "cases.case.refuse"
    assert _actions(withdrawn)[-1] == "cases.case.withdraw"


def test_audit_entries_carry_no_resident_id(city, food):
    from tests.cases.conftest import PERSON_ID, person

    case = window_case(city, food, applicant=person())
    with transaction.atomic():
        acceptance.do_accept(city.clerk, case.pk, _rv(case), id_number=PERSON_ID)
    summaries = " ".join(AuditEntry.objects.values_list("summary", flat=True))
    assert PERSON_ID not in summaries
