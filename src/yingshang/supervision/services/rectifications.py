"""Rectification of bad ratings (差评整改): opened by the rating, answered by the department, closed or
returned by a supervisor; a periodic sweep marks the ones past their due day overdue.

Every action takes the kernel's workflow steps (`kernel.services.workflow`): lock the row and check
the caller saw its `row_version` (a stale action gets `Conflict supervision.conflict`), require the
transition of `rules.RECTIFICATION_FLOW`, change, finish (audit entry in the caller's transaction);
it also writes a history entry and tells the people concerned.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date

from django.db import transaction

from yingshang.cases.models import Case
from yingshang.kernel import access, clock
from yingshang.kernel.context import current_actor
from yingshang.kernel.errors import Forbidden
from yingshang.kernel.models import User
from yingshang.kernel.services import workflow
from yingshang.kernel.services.audit import record
from yingshang.kernel.services.calendar import add_working_days
from yingshang.kernel.services.notifications import do_notify
from yingshang.kernel.services.pdf import chinese_date
from yingshang.supervision import rules
from yingshang.supervision.models import Rating, Rectification, RectificationEntry
from yingshang.supervision.services import common
from yingshang.supervision.services.policy import policy_for

logger = logging.getLogger("yingshang.supervision")
CHANNELS = ("site", "email")
SWEEP_BATCH = 500


def _staff(department_id: int) -> list[User]:
    return list(User.objects.filter(department_id=department_id, is_active=True,
                                    roles__code__in=[access.DEPT_HEAD, access.DEPT_REVIEWER]).distinct())


def _supervisors() -> list[User]:
    return list(User.objects.filter(is_active=True, roles__code=access.SUPERVISOR).distinct())


def _entry(rect: Rectification, kind: str, text: str) -> None:
    RectificationEntry.objects.create(rectification=rect, kind=kind, text=text, actor_name=current_actor().name[:100],
                                      at=clock.now())


def _snapshot(rect: Rectification) -> dict:
    return {"status": rect.status, "row_version": rect.row_version, "due_on": rect.due_on, "late": rect.late,
            "returns": rect.returns}


def _due(today: date) -> tuple[date, bool]:
    result = add_working_days(today, policy_for(today).rectification_days)
    return result.date, result.provisional


def open_for(rating: Rating, case: Case) -> Rectification:
    """A bad rating's task for the case's owning department, due in the policy's working days."""
    today = clock.today()
    due_on, provisional = _due(today)
    rect = Rectification.objects.create(rating=rating, department_id=case.department_id, item_id=case.item_id,
                                        opened_at=clock.now(),
                                        opened_on=today, due_on=due_on, due_provisional=provisional)
    _entry(rect, "open", f"申请人评价为“{rating.grade_label}”，派发差评整改，请于{chinese_date(due_on)}前核实并反馈整改情况")
    record("supervision.rectification.open", rect, after={"case_no": case.case_no, **_snapshot(rect)})
    staff = _staff(case.department_id)
    if staff:
        do_notify(staff, f"差评整改：{case.case_no}",
                  f"办件 {case.case_no}（{case.item_name}）收到“{rating.grade_label}”评价。请于{chinese_date(due_on)}前"
                  "回访核实并在“差评整改”中反馈整改情况；逾期将计入电子监察。", obj=rect, channels=CHANNELS)
    else:
        logger.warning("rectification %s: department %s has no active staff to notify", rect.pk, case.department_id)
    return rect


def lock(rect_id: int, row_version: int | None) -> Rectification:
    return workflow.lock(Rectification.objects.select_related("rating", "rating__case", "department"), rect_id,
                         row_version, rules.RECTIFICATION_FLOW)


def _check_scope(user, rect: Rectification, message: str) -> None:
    if not access.visible_departments(user).filter(pk=rect.department_id).exists():
        raise Forbidden("supervision.not_your_department", message)


def do_respond(user, rect_id: int, row_version: int | None, *, response: str, measures: str) -> Rectification:
    """The department reports what it verified with the applicant and what it changed."""
    common.check_perm(user, common.RECTIFY)
    rect = lock(rect_id, row_version)
    _check_scope(user, rect, f"该整改任务由{rect.department.name}办理，您不能反馈")
    after = rules.RECTIFICATION_FLOW.require(rect, rules.RESPOND)
    response = common.fields.text(response, "response", "核实情况")
    measures = common.fields.text(measures, "measures", "整改措施")
    before = _snapshot(rect)
    today = clock.today()
    rect.status, rect.response, rect.measures = after, response, measures
    rect.responded_at, rect.responded_by = clock.now(), user
    rect.late = rect.late or rules.responded_late(rect.due_on, today)
    _entry(rect, "respond", f"反馈整改情况{'（逾期反馈）' if rect.late else ''}。核实情况：{response}；整改措施：{measures}")
    workflow.finish(rect, rules.RESPOND, before, snapshot=_snapshot)
    reviewers = _supervisors()
    if reviewers:
        do_notify(reviewers, f"差评整改待审核：{rect.rating.case.case_no}",
                  f"{rect.department.name}已反馈办件 {rect.rating.case.case_no} 的差评整改情况，请审核。", obj=rect,
                  channels=("site",))
    return rect


def do_close(user, rect_id: int, row_version: int | None, *, note: str = "") -> Rectification:
    """A supervisor accepts the answer: the task is closed and the applicant (with an account) is told."""
    common.check_perm(user, common.REVIEW)
    rect = lock(rect_id, row_version)
    _check_scope(user, rect, "该整改任务不在您的监察范围内")
    after = rules.RECTIFICATION_FLOW.require(rect, rules.CLOSE)
    note = common.fields.text(note, "note", "审核意见", required=False)
    before = _snapshot(rect)
    now = clock.now()
    rect.status, rect.review_note, rect.reviewed_at, rect.reviewed_by, rect.closed_at = after, note, now, user, now
    _entry(rect, "close", "审核通过，整改办结" + (f"：{note}" if note else ""))
    workflow.finish(rect, rules.CLOSE, before, snapshot=_snapshot)
    case = rect.rating.case
    staff = _staff(rect.department_id)
    if staff:
        do_notify(staff, f"差评整改已办结：{case.case_no}", f"办件 {case.case_no} 的差评整改已审核通过。", obj=rect,
                  channels=("site",))
    if case.applicant_id:
        applicant = User.objects.filter(pk=case.applicant_id, is_active=True).first()
        if applicant is not None:
            do_notify([applicant], f"您的评价已处理：{case.case_no}",
                      f"您对办件 {case.case_no}（{case.item_name}）的评价已由{rect.department.name}核实整改：{rect.measures}"
                      "。感谢您的监督。", obj=rect, channels=("site",))
    return rect


def do_return(user, rect_id: int, row_version: int | None, *, note: str) -> Rectification:
    """A supervisor finds the answer insufficient: back to the department with a new due day."""
    common.check_perm(user, common.REVIEW)
    rect = lock(rect_id, row_version)
    _check_scope(user, rect, "该整改任务不在您的监察范围内")
    after = rules.RECTIFICATION_FLOW.require(rect, rules.RETURN)
    note = common.fields.text(note, "note", "退回理由")
    before = _snapshot(rect)
    due_on, provisional = _due(clock.today())
    rect.status, rect.review_note, rect.reviewed_at, rect.reviewed_by = after, note, clock.now(), user
    rect.due_on, rect.due_provisional, rect.returns = due_on, provisional, rect.returns + 1
    _entry(rect, "return", f"退回重新整改：{note}。请于{chinese_date(due_on)}前重新反馈")
    workflow.finish(rect, rules.RETURN, before, snapshot=_snapshot)
    staff = _staff(rect.department_id)
    if staff:
        do_notify(staff, f"差评整改被退回：{rect.rating.case.case_no}",
                  f"办件 {rect.rating.case.case_no} 的整改反馈被退回：{note}。请于{chinese_date(due_on)}前重新反馈。",
                  obj=rect, channels=CHANNELS)
    return rect


def mark_overdue(today: date | None = None) -> int:
    """Mark open rectifications past their due day overdue (late for good); one message per department
    to its staff, and one summary to the supervisors. Each batch commits on its own."""
    today = today or clock.today()
    marked: dict[int, list[str]] = defaultdict(list)
    while True:
        ids = list(Rectification.objects.filter(status=rules.OPEN, due_on__lt=today)
                   .order_by("due_on", "id").values_list("id", flat=True)[:SWEEP_BATCH])
        if not ids:
            break
        with transaction.atomic():
            for rect in (Rectification.objects.select_for_update(of=("self",)).select_related("rating__case")
                         .filter(pk__in=ids, status=rules.OPEN, due_on__lt=today)):
                before = _snapshot(rect)
                rect.status, rect.late = rules.RECTIFICATION_FLOW.require(rect, rules.MARK_OVERDUE), True
                _entry(rect, "overdue", f"超过整改期限（{chinese_date(rect.due_on)}）未反馈，已逾期")
                workflow.finish(rect, rules.MARK_OVERDUE, before, snapshot=_snapshot)
                marked[rect.department_id].append(rect.rating.case.case_no)
    if marked:
        with transaction.atomic():
            _notify_overdue(marked)
    return sum(len(v) for v in marked.values())


def _notify_overdue(marked: dict[int, list[str]]) -> None:
    from yingshang.kernel.models import Department

    names = dict(Department.objects.filter(pk__in=marked).values_list("id", "name"))
    for department_id, numbers in sorted(marked.items()):
        staff = _staff(department_id)
        if staff:
            do_notify(staff, "差评整改逾期", f"{names.get(department_id, '')}有 {len(numbers)} 件差评整改已逾期："
                      f"{'、'.join(numbers[:20])}{' 等' if len(numbers) > 20 else ''}。请尽快反馈。", channels=CHANNELS)
    reviewers = _supervisors()
    if reviewers:
        lines = "；".join(f"{names.get(d, d)} {len(n)} 件" for d, n in sorted(marked.items()))
        do_notify(reviewers, "差评整改逾期汇总", f"以下部门的差评整改已逾期：{lines}。", channels=("site",))
