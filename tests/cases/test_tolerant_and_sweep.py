"""容缺受理 (tolerant acceptance) and the periodic sweep: warnings, one message per department, missed
supplement deadlines stopping the case, provisional deadlines corrected once the year is official."""

from datetime import date

import pytest
from django.db import transaction

from tests.cases.conftest import accepted_case, all_provided, pdf_text, window_case
from yingshang.cases.models import Case
from yingshang.cases.services import acceptance, review
from yingshang.cases.services.sweep import run_sweep
from yingshang.kernel.errors import Conflict, InvalidInput
from yingshang.kernel.models import AuditEntry, IssuedDocument, Message

pytestmark = pytest.mark.usefixtures("official_calendar", "files")


def _pending_materials(version):
    statuses = all_provided(version)
    pending = [m for m in version.materials.all() if m.pending_allowed]
    for m in pending:
        statuses[m.pk] = "pending"
    return statuses, pending


def _tolerant(city, version, days=3):
    statuses, pending = _pending_materials(version)
    case = window_case(city, version)
    with transaction.atomic():
        acceptance.do_accept_with_pending(city.clerk, case.pk, case.row_version, materials=statuses, supplement_days=days)
    return Case.objects.get(pk=case.pk), pending


def test_tolerant_acceptance_proceeds_against_a_signed_commitment(city, food, set_today):
    set_today(date(2025, 9, 26))
    case, pending = _tolerant(city, food)
    assert case.status == "accepted_pending" and case.deadline == date(2025, 10, 10)
    commitment = case.commitments.get()
    assert commitment.kind == "pending_materials" and commitment.supplement_deadline == date(2025, 9, 30)
    assert set(case.materials.filter(status="pending").values_list("material_id", flat=True)) == {m.pk for m in pending}
    text = pdf_text(commitment.document)
    assert "容缺受理承诺书" in text and case.case_no in text and pending[0].name in text
    assert case.steps.filter(status="active").exists()  # the review starts while materials are pending


def test_only_pending_allowed_materials_may_be_pending(city, food):
    statuses = all_provided(food)
    strict = next(m for m in food.materials.all() if m.required and not m.pending_allowed)
    statuses[strict.pk] = "pending"
    case = window_case(city, food)
    with pytest.raises(InvalidInput) as caught, transaction.atomic():
        acceptance.do_accept_with_pending(city.clerk, case.pk, case.row_version, materials=statuses, supplement_days=3)
    assert caught.value.code == "case.pending_not_allowed" and strict.name in caught.value.message


def test_the_supplement_deadline_cannot_pass_the_case_deadline(city, food, set_today):
    set_today(date(2025, 9, 26))
    statuses, _pending = _pending_materials(food)
    case = window_case(city, food)
    with pytest.raises(InvalidInput) as caught, transaction.atomic():
        acceptance.do_accept_with_pending(city.clerk, case.pk, case.row_version, materials=statuses, supplement_days=6)
    assert caught.value.code == "case.supplement_after_deadline"


def test_supplying_the_pending_materials_fulfils_the_commitment(city, food):
    case, pending = _tolerant(city, food)
    with transaction.atomic():
        acceptance.do_supplement(city.clerk, case.pk, case.row_version, material_ids=[pending[0].pk])
    case = Case.objects.get(pk=case.pk)
    assert case.status == "accepted_pending" and case.commitments.get().is_open
    with transaction.atomic():
        acceptance.do_supplement(city.clerk, case.pk, case.row_version, material_ids=[pending[1].pk])
    case = Case.objects.get(pk=case.pk)
    assert case.status == "accepted" and case.commitments.get().fulfilled_at


def test_approval_waits_for_the_pending_materials(city, food):
    case, pending = _tolerant(city, food)
    for _ in range(2):
        step = case.steps.get(status="active")
        with transaction.atomic():
            review.do_step_approve(city.reviewer_scjg, step.pk, Case.objects.get(pk=case.pk).row_version)
    case = Case.objects.get(pk=case.pk)
    with pytest.raises(Conflict) as caught, transaction.atomic():
        review.do_decide(city.reviewer_scjg, case.pk, case.row_version, approve=True, legal_basis="食品安全法")
    assert caught.value.code == "case.materials_pending"
    with transaction.atomic():
        acceptance.do_supplement(city.clerk, case.pk, case.row_version, material_ids=[m.pk for m in pending])
    case = Case.objects.get(pk=case.pk)
    assert case.status == "in_review"
    with transaction.atomic():
        review.do_decide(city.reviewer_scjg, case.pk, case.row_version, approve=True, legal_basis="食品安全法")
    assert Case.objects.get(pk=case.pk).status == "approved"


def test_a_missed_supplement_deadline_stops_the_case_and_escalates(city, food, set_today):
    set_today(date(2025, 9, 26))
    case, _pending = _tolerant(city, food, days=2)  # due Sep 29
    assert run_sweep(date(2025, 9, 29)).stopped == 0  # the deadline day itself is still in time
    report = run_sweep(date(2025, 9, 30))
    assert report.stopped == 1
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.clock_state) == ("stopped", "stopped")
    commitment = case.commitments.get()
    assert commitment.breached_at and "逾期未补齐" in commitment.breach_reason
    head_message = Message.objects.get(recipient=city.head_scjg, channel="site")
    assert case.case_no in head_message.subject
    assert Message.objects.filter(recipient=city.clerk, channel="site").exists()
    stop_doc = IssuedDocument.objects.get(object_id=str(case.pk), kind="case.stop")
    assert "终止办理" in pdf_text(stop_doc)
    assert AuditEntry.objects.filter(action="cases.case.stop", object_id=str(case.pk)).exists()
    assert run_sweep(date(2025, 10, 1)).stopped == 0  # once only


def test_sweep_raises_yellow_then_red_and_tells_each_department_once(city, food, joint, set_today):
    set_today(date(2025, 9, 26))
    food_cases = [accepted_case(city, food) for _ in range(3)]
    # 10 days: yellow on the 8th working day — Sep 28, 29, 30, Oct 9, 10, 11 (Saturday, 调休), 13, 14.
    joint_case = accepted_case(city, joint)
    assert run_sweep(date(2025, 10, 8)).yellow == 0
    report = run_sweep(date(2025, 10, 9))
    assert (report.yellow, report.red) == (3, 0)
    assert {c.warning for c in Case.objects.filter(pk__in=[c.pk for c in food_cases])} == {"yellow"}
    # One message per department per sweep: the market regulator's two staff get one each, not three.
    assert Message.objects.filter(recipient=city.reviewer_scjg, channel="site").count() == 1
    assert Message.objects.filter(recipient=city.head_scjg, channel="site").count() == 1
    assert run_sweep(date(2025, 10, 10)).yellow == 0  # nothing changes on the deadline day
    report = run_sweep(date(2025, 10, 11))
    assert report.red == 3
    assert Case.objects.get(pk=food_cases[0].pk).warning == "red"
    assert run_sweep(date(2025, 10, 13)).yellow == 0
    report = run_sweep(date(2025, 10, 14))
    assert report.yellow == 1 and Case.objects.get(pk=joint_case.pk).warning == "yellow"
    # The joint case's active steps are also in health and tax: those departments are told too.
    assert Message.objects.filter(recipient=city.reviewer_wj, channel="site").count() == 1
    assert Message.objects.filter(recipient=city.reviewer_sw, channel="site").count() == 1


def test_sweep_leaves_suspended_cases_alone(city, food, set_today):
    from yingshang.cases.services import clock

    set_today(date(2025, 9, 26))
    case = accepted_case(city, food)
    with transaction.atomic():
        clock.do_suspend(city.reviewer_scjg, case.pk, case.row_version, kind="hearing", reason="听证")
    assert run_sweep(date(2025, 10, 20)).red == 0
    assert Case.objects.get(pk=case.pk).warning == "none"


def test_provisional_deadlines_are_corrected_when_the_year_is_imported(city, joint, set_today):
    from yingshang.kernel.services.calendar import CalendarRow, do_import_year

    set_today(date(2026, 12, 21))
    case = accepted_case(city, joint)
    assert (case.deadline, case.deadline_provisional) == (date(2027, 1, 5), True)
    # A (hypothetical) 2027 schedule: Jan 1–3 off and Monday Jan 4 off as well.
    rows = [CalendarRow(i, date(2027, 1, d), "holiday", "元旦") for i, d in enumerate((1, 2, 3, 4), 2)]
    with transaction.atomic():
        do_import_year(2027, rows, "测试用安排")
    report = run_sweep(date(2026, 12, 22))
    assert report.recomputed == 1
    case = Case.objects.get(pk=case.pk)
    assert (case.deadline, case.deadline_provisional) == (date(2027, 1, 6), False)
    assert case.events.filter(kind="deadline_recomputed").exists()


def test_the_hourly_job_runs_the_sweep(city, food):
    from yingshang.cases.tasks import sweep_cases

    report = sweep_cases.call_local()
    assert set(report) == {"yellow", "red", "departments_notified", "stopped", "recomputed", "notices_issued"}
