"""Ending a case early and checking commitments afterwards: withdraw, stop, post-verification."""

from __future__ import annotations

from yingshang.cases import rules
from yingshang.cases.choices import ClockState, VerificationStatus
from yingshang.cases.models import Case, PostVerification
from yingshang.cases.services import clock as case_clock
from yingshang.cases.services import common, notices, review
from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict


def _close(case: Case, status: str) -> None:
    case.status = status
    case.closed_at = clock.now()
    review._cancel_open(case)
    if case.clock_state in (ClockState.RUNNING, ClockState.SUSPENDED):
        case_clock.stop(case, clock.today())
        case.on_time = case.decided_on = None  # no decision was made: timeliness does not apply


def do_withdraw(user, case_id: int, row_version: int | None, *, reason: str = "") -> Case:
    """The applicant withdraws before a decision (online themselves, or at the window through a clerk)."""
    case = common.lock(case_id, row_version)
    rules.WORKFLOW.require(case, rules.WITHDRAW)
    if case.applicant_id != user.pk:
        common.check_perm(user, common.ACCEPT)
    reason = common.fields.text(reason, "reason", "撤回原因", required=False, max_len=500)
    before = common.snapshot(case)
    _close(case, rules.WITHDRAWN)
    common.event(case, "withdraw", "申请人撤回申请" + (f"：{reason}" if reason else ""))
    common.finish(case, rules.WITHDRAW, before)
    return case


def stop_case(case: Case, reason: str, before: dict) -> None:
    """Stop a locked case under review: steps cancelled, clock stopped, the applicant told in writing."""
    _close(case, rules.WORKFLOW.require(case, rules.STOP))
    case.decision_reason = reason
    common.event(case, "stop", f"终止办理：{reason}", notice=notices.stop(case, reason))
    common.finish(case, rules.STOP, before)


def do_stop(user, case_id: int, row_version: int | None, *, reason: str) -> Case:
    """A head of the owning department stops a case (e.g. the applicant was dissolved)."""
    common.check_perm(user, common.STOP)
    case = common.lock(case_id, row_version)
    rules.WORKFLOW.require(case, rules.STOP)
    common.check_department(user, case.department_id, "只有主办部门的负责人可以终止办理")
    reason = common.fields.text(reason, "reason", "终止理由", max_len=500)
    stop_case(case, reason, common.snapshot(case))
    return case


def do_verify_commitment(user, case_id: int, row_version: int | None, *, passed: bool, result: str) -> PostVerification:
    """Record the post-verification of a notify-and-commit approval; a false commitment is a breach
    (the credit work reads it), and revoking the approval follows its own procedure (Art. 69)."""
    common.check_perm(user, common.VERIFY)
    case = common.lock(case_id, row_version)
    common.check_department(user, case.department_id, "只有主办部门可以进行事后核查")
    task = PostVerification.objects.select_related("commitment").filter(case=case).first()
    if task is None or task.status != VerificationStatus.OPEN:
        raise Conflict("case.no_open_verification", "该办件没有待核查的告知承诺")
    result = common.fields.text(result, "result", "核查结果", max_len=2000)
    before = common.snapshot(case)
    now = clock.now()
    task.status = VerificationStatus.PASSED if passed else VerificationStatus.FAILED
    task.result, task.verified_by, task.verified_at = result, user, now
    task.save(update_fields=["status", "result", "verified_by", "verified_at"])
    commitment = task.commitment
    if passed:
        commitment.fulfilled_at = now
    else:
        commitment.breached_at, commitment.breach_reason = now, result[:300]
    commitment.save(update_fields=["fulfilled_at", "breached_at", "breach_reason"])
    common.commitment_event(commitment, "fulfilled" if passed else "breached")
    common.event(case, "verify_commitment", "告知承诺事后核查：" + ("承诺属实" if passed else f"承诺不实（{result}）"))
    common.finish(case, "verify_commitment", before, fields=[], extra={"verification": task.status})
    return task
