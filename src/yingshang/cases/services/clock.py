"""The time-limit clock: deadlines from the kernel calendar, suspensions (暂停计时) and extensions (延期).

The deadline is `add_working_days(accepted_on, limit + approved extension days, suspensions)`,
flagged provisional when the calendar says a year involved has no official schedule yet. Alongside
it the case stores `yellow_on`, `red_on`, the current `warning` and `next_check` (the next day the
warning can change), so that the periodic sweep (services/sweep.py) is two set-based UPDATEs.

While the clock is suspended the open suspension is counted up to today, so the stored deadline is
a projection ("if resumed tomorrow"); the warning does not move and `next_check` is empty. Resuming
closes the suspension and recomputes.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings

from yingshang.cases import rules
from yingshang.cases.choices import ClockState, ExtensionStatus, SuspensionKind
from yingshang.cases.models import Case, CaseStep, ClockSuspension, Extension
from yingshang.cases.services import common, notices
from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput
from yingshang.kernel.services.calendar import add_working_days, working_days_between

CLOCK_FIELDS = ["clock_state", "limit_days", "limit_source", "extension_days", "accepted_on", "deadline",
                "deadline_provisional", "yellow_on", "red_on", "warning", "warning_changed_at", "next_check",
                "decided_on", "on_time"]


def yellow_share() -> float:
    """The share of the limit used at which the yellow warning starts (setting CASES_YELLOW_SHARE)."""
    share = float(getattr(settings, "CASES_YELLOW_SHARE", rules.DEFAULT_YELLOW_SHARE))
    return share if 0 < share <= 1 else rules.DEFAULT_YELLOW_SHARE


def suspension_pairs(case: Case, today: date, rows=None) -> list[tuple[date, date]]:
    """The case's suspensions as (from, to) pairs, an open one counted up to today."""
    if rows is None:
        rows = case.suspensions.values_list("from_date", "to_date")
    return [(start, end or max(start, today)) for start, end in rows]


def recompute(case: Case, today: date | None = None, suspensions=None) -> None:
    """Set deadline, provisional flag, yellow/red dates, warning and next_check (does not save)."""
    if case.accepted_on is None or case.limit_days is None:
        return
    today = today or clock.today()
    pairs = suspension_pairs(case, today, suspensions)
    total = case.limit_days + case.extension_days
    deadline = add_working_days(case.accepted_on, total, pairs)
    yellow = add_working_days(case.accepted_on, rules.yellow_threshold(total, yellow_share()), pairs)
    case.deadline, case.deadline_provisional = deadline.date, deadline.provisional
    case.yellow_on, case.red_on = yellow.date, rules.red_from(deadline.date)
    if case.clock_state == ClockState.RUNNING:
        level = rules.warning_level(today, case.yellow_on, case.red_on)
        if level != case.warning:
            case.warning, case.warning_changed_at = level, clock.now()
        case.next_check = rules.next_check(level, case.yellow_on, case.red_on)
    else:
        case.next_check = None  # suspended or stopped: the warning does not move


def start(case: Case, decided_on: date) -> None:
    """Start the clock at acceptance: the limit from the version; counted from the acceptance, or from
    receipt when the window took longer than Art. 32 allows (deemed accepted on receipt)."""
    version = case.item_version
    limit = rules.time_limit(version.committed_limit_days, version.statutory_limit_days, version.kind)
    received = case.received_on or decided_on
    waited = working_days_between(received, decided_on).days if received < decided_on else 0
    case.accepted_on = rules.clock_start(received, decided_on, waited)
    case.limit_days, case.limit_source = limit.days, limit.source
    case.extension_days = 0
    case.clock_state = ClockState.RUNNING
    case.warning = rules.NONE
    recompute(case, decided_on, suspensions=[])


def stop(case: Case, decided_on: date) -> None:
    """Stop the clock at a decision or when the case ends; close an open suspension first."""
    if case.clock_state == ClockState.SUSPENDED:
        _close_open_suspension(case, decided_on)
    if case.clock_state in (ClockState.RUNNING, ClockState.SUSPENDED):
        case.clock_state = ClockState.RUNNING  # compute the final deadline with closed suspensions
        recompute(case, decided_on)
        case.on_time = case.deadline is None or decided_on <= case.deadline
    case.clock_state = ClockState.STOPPED
    case.decided_on = case.decided_on or decided_on
    case.next_check = None


def _close_open_suspension(case: Case, resumed_on: date, by=None) -> ClockSuspension | None:
    open_row = case.suspensions.filter(to_date__isnull=True).first()
    if open_row is not None:
        open_row.to_date = rules.suspension_end_on_resume(open_row.from_date, resumed_on)
        open_row.resumed_by = by
        open_row.save(update_fields=["to_date", "resumed_by"])
    return open_row


# --- Suspension and resumption (行政许可法 Art. 45) --------------------------------------------------
def _check_handler(user, case: Case) -> None:
    """Suspensions are for the owning department or a department whose step is active."""
    common.check_perm(user, common.REVIEW)
    departments = {case.department_id, *CaseStep.objects.filter(case=case, status="active").values_list(
        "department_id", flat=True)}
    if not any(common.in_scope(user, d) for d in departments):
        raise Forbidden("case.not_your_department", "只有主办部门或正在办理环节的部门可以暂停或恢复计时")


def do_suspend(user, case_id: int, row_version: int | None, *, kind: str, reason: str) -> ClockSuspension:
    """Stop counting (听证、检验检测、专家评审… or correction during review) and tell the applicant in writing."""
    case = common.lock(case_id, row_version)
    rules.WORKFLOW.require(case, rules.SUSPEND)
    _check_handler(user, case)
    if kind not in SuspensionKind.values:
        raise InvalidInput("case.suspension_kind", "暂停计时的情形无效，可选：" + "、".join(
            str(label) for _value, label in SuspensionKind.choices), details={"field": "kind"})
    reason = common.fields.text(reason, "reason", "暂停计时的理由")
    if case.clock_state == ClockState.SUSPENDED:
        raise Conflict("case.already_suspended", "该办件已在暂停计时中，请先恢复计时")
    before = common.snapshot(case)
    today = clock.today()
    row = ClockSuspension.objects.create(case=case, kind=kind, from_date=today, reason=reason, created_by=user)
    notice = notices.suspension(case, row)
    notices.link(notice, row, "notice")
    case.clock_state = ClockState.SUSPENDED
    recompute(case, today)
    label = SuspensionKind(kind).label
    common.event(case, "suspend", f"因{label}暂停计时（自{today:%Y年%m月%d日}起，所需时间不计入办理时限）：{reason}",
                 notice=notice)
    common.finish(case, rules.SUSPEND, before, extra={"suspension": {"kind": kind, "from": today}})
    return row


def do_resume(user, case_id: int, row_version: int | None, *, note: str = "") -> ClockSuspension:
    case = common.lock(case_id, row_version)
    rules.WORKFLOW.require(case, rules.RESUME)
    _check_handler(user, case)
    note = common.fields.text(note, "note", "说明", required=False, max_len=500)
    if case.clock_state != ClockState.SUSPENDED:
        raise Conflict("case.not_suspended", "该办件未处于暂停计时状态")
    before = common.snapshot(case)
    today = clock.today()
    row = _close_open_suspension(case, today, by=user)
    case.clock_state = ClockState.RUNNING
    recompute(case, today)
    common.event(case, "resume", f"恢复计时，办结期限顺延至{case.deadline:%Y年%m月%d日}" + (f"（{note}）" if note else ""))
    common.finish(case, rules.RESUME, before, extra={"suspension": {"from": row.from_date, "to": row.to_date}})
    return row


# --- Extensions (行政许可法 Art. 42) ------------------------------------------------------------------
def do_request_extension(user, case_id: int, row_version: int | None, *, days: int, reason: str) -> Extension:
    case = common.lock(case_id, row_version)
    rules.WORKFLOW.require(case, rules.REQUEST_EXTENSION)
    common.check_perm(user, common.REVIEW)
    common.check_department(user, case.department_id, "只有主办部门可以申请延长办理期限")
    reason = common.fields.text(reason, "reason", "延期理由")
    cap = rules.extension_cap(case.kind)
    if type(days) is not int or days < 1:
        raise InvalidInput("case.extension_days", "延长的工作日数须为正整数", details={"field": "days"})
    if case.extension_days + days > cap:
        raise InvalidInput("case.extension_over_cap",
                           f"延长期限合计不能超过 {cap} 个工作日（已批准 {case.extension_days} 个）。"
                           + rules.extension_approver_note(case.kind),
                           details={"cap": cap, "approved": case.extension_days})
    if case.extensions.filter(status=ExtensionStatus.REQUESTED).exists():
        raise Conflict("case.extension_pending", "该办件已有待批准的延期申请")
    before = common.snapshot(case)
    row = Extension.objects.create(case=case, days=days, reason=reason, requested_by=user)
    common.event(case, "request_extension", f"申请延长办理期限 {days} 个工作日：{reason}", internal=True)
    common.finish(case, rules.REQUEST_EXTENSION, before, fields=[], extra={"extension": {"days": days}})
    return row


def do_decide_extension(user, case_id: int, row_version: int | None, *, approve: bool, note: str = "") -> Extension:
    """A head approves or rejects the open request; approval moves the deadline and tells the applicant."""
    case = common.lock(case_id, row_version)
    action = rules.APPROVE_EXTENSION if approve else rules.REJECT_EXTENSION
    rules.WORKFLOW.require(case, action)
    common.check_perm(user, common.APPROVE_EXTENSION)
    common.check_department(user, case.department_id, "只有主办部门的负责人可以审批延期")
    note = common.fields.text(note, "note", "审批意见", required=not approve)
    row = case.extensions.filter(status=ExtensionStatus.REQUESTED).first()
    if row is None:
        raise Conflict("case.no_extension_request", "该办件没有待批准的延期申请")
    cap = rules.extension_cap(case.kind)
    if approve and case.extension_days + row.days > cap:
        raise Conflict("case.extension_over_cap", f"批准后延长期限将超过 {cap} 个工作日")
    before = common.snapshot(case)
    row.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
    row.approved_by, row.decided_at, row.decision_note = user, clock.now(), note
    if approve:
        case.extension_days += row.days
        recompute(case)
        notice = notices.extension(case, row)
        common.event(case, "approve_extension",
                     f"经批准延长办理期限 {row.days} 个工作日，办结期限延至{case.deadline:%Y年%m月%d日}。理由：{row.reason}",
                     notice=notice)
    else:
        common.event(case, "reject_extension", f"延期申请未获批准：{note}", internal=True)
    row.save()
    common.finish(case, action, before, extra={"extension": {"days": row.days, "status": row.status}})
    return row
