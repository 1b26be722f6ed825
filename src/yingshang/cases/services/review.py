"""Review and decision (审查与决定): parallel department steps by stage, return, the decision.

Which steps a case has is data: at acceptance they are copied from the item version's ProcessSteps.
Acceptance steps (kind `accept`) are done by the window; issuance steps (kind `issue`) wait for the
issuance work. Every other step is a review step: the steps of a stage run in parallel, each in its
own department; when all of a stage approve, the next stage with review steps starts; when all are
approved the owning department decides. Any step denial denies the case with its reasons.
"""

from __future__ import annotations

from django.db.models import Q

from yingshang.cases import rules
from yingshang.cases.choices import CommitmentKind, StepStatus
from yingshang.cases.models import Case, CaseStep
from yingshang.cases.services import clock as case_clock
from yingshang.cases.services import common, notices
from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, InvalidInput, NotFound
from yingshang.kernel.services.pdf import chinese_date

NOT_REVIEW_KINDS = ("accept", "issue")
REVIEW_KINDS = ("review", "decide", "other")
OPEN_STEP = (StepStatus.WAITING, StepStatus.ACTIVE, StepStatus.RETURNED)


def instantiate_steps(case: Case, clerk, *, review_steps: bool = True) -> None:
    """Copy the version's process steps to the case and start its first review stage."""
    now = clock.now()
    rows = []
    for step in case.item_version.steps.order_by("stage", "sort_order", "id"):
        if step.step_kind not in NOT_REVIEW_KINDS and not review_steps:
            continue
        row = CaseStep(case=case, process_step=step, stage=step.stage, sort_order=step.sort_order, name=step.name,
                       step_kind=step.step_kind, department_id=step.department_id, limit_days=step.limit_days,
                       case_deadline=case.deadline)
        if step.step_kind == "accept":  # the window's acceptance is this step
            row.status, row.activated_at, row.decided_at = StepStatus.APPROVED, now, now
            row.decided_by, row.decided_by_name, row.reason = clerk, clerk.display_name, "综合窗口受理"
        rows.append(row)
    review_stages = sorted({r.stage for r in rows if r.step_kind not in NOT_REVIEW_KINDS})
    case.current_stage = review_stages[0] if review_stages else 0
    for row in rows:
        if row.stage == case.current_stage and row.step_kind not in NOT_REVIEW_KINDS:
            row.status, row.activated_at = StepStatus.ACTIVE, now
    CaseStep.objects.bulk_create(rows)


def _review_steps(case: Case) -> list[CaseStep]:
    return list(case.steps.exclude(step_kind__in=NOT_REVIEW_KINDS).select_related("department"))


def _activate(case: Case, steps: list[CaseStep], stage: int) -> None:
    now = clock.now()
    case._steps_activated = True  # finish() copies the deadline to them
    for step in steps:
        if step.stage == stage:
            step.status, step.activated_at = StepStatus.ACTIVE, now
            step.decided_at, step.decided_by, step.decided_by_name = None, None, ""
            step.reason = step.legal_basis = ""


def _save(steps: list[CaseStep]) -> None:
    CaseStep.objects.bulk_update(steps, ["status", "activated_at", "decided_at", "decided_by", "decided_by_name",
                                         "reason", "legal_basis"])


def _cancel_open(case: Case) -> None:
    case.steps.filter(status__in=OPEN_STEP).exclude(step_kind="issue").update(status=StepStatus.CANCELLED)


def _load_step(step_id: int, row_version: int | None, user) -> tuple[Case, CaseStep]:
    case_id = CaseStep.objects.filter(pk=step_id).values_list("case_id", flat=True).first()
    if case_id is None:
        raise NotFound("case.step_not_found", "办理环节不存在")
    common.check_perm(user, common.REVIEW)
    case = common.lock(case_id, row_version)
    step = CaseStep.objects.select_related("department").get(pk=step_id)  # read under the case lock
    common.check_department(user, step.department_id, f"“{step.name}”由{step.department.name}办理，您不能办理")
    return case, step


def _require_active(step: CaseStep) -> None:
    if step.status != StepStatus.ACTIVE:
        raise Conflict("case.step_not_active", f"环节“{step.name}”当前为“{step.get_status_display()}”，不能办理",
                       details={"step_status": step.status})


def _decide_step(step: CaseStep, user, status: str, reason: str, legal_basis: str) -> None:
    step.status, step.decided_at, step.decided_by = status, clock.now(), user
    step.decided_by_name, step.reason, step.legal_basis = user.display_name, reason, legal_basis


def do_step_approve(user, step_id: int, row_version: int | None, *, reason: str = "", legal_basis: str = "") -> CaseStep:
    case, step = _load_step(step_id, row_version, user)
    after = rules.WORKFLOW.require(case, rules.STEP_APPROVE)
    _require_active(step)
    reason = common.fields.text(reason, "reason", "审查意见", required=False) or "审查通过"
    legal_basis = common.fields.text(legal_basis, "legal_basis", "依据", required=False)
    before = common.snapshot(case)
    steps = _review_steps(case)
    mine = next(s for s in steps if s.pk == step.pk)
    _decide_step(mine, user, StepStatus.APPROVED, reason, legal_basis)
    stage_done = all(s.status == StepStatus.APPROVED for s in steps if s.stage == mine.stage)
    text = f"{mine.department.name}“{mine.name}”审查通过"
    if stage_done:
        later = sorted({s.stage for s in steps if s.stage > mine.stage})
        if later:
            case.current_stage = later[0]
            _activate(case, steps, later[0])
            names = "、".join(f"{s.department.name}{s.name}" for s in steps if s.stage == later[0])
            text += f"，转入第 {later[0]} 阶段：{names}"
        else:
            text += "，各环节审查完毕，待作出决定"
    _save(steps)
    case.status = after
    common.event(case, "step_approve", text, department_name=mine.department.name)
    common.finish(case, rules.STEP_APPROVE, before, extra={"step": mine.pk, "stage": mine.stage})
    return mine


def _deny(case: Case, user, reason: str, legal_basis: str, action: str, before: dict, text: str) -> None:
    case.status = rules.DENIED
    case.decided_at = clock.now()
    case.decision_reason, case.decision_basis = reason, legal_basis
    _cancel_open(case)
    case_clock.stop(case, clock.today())
    common.event(case, action, text, notice=notices.denial(case, reason, legal_basis))
    common.finish(case, action, before)


def do_step_deny(user, step_id: int, row_version: int | None, *, reason: str, legal_basis: str) -> CaseStep:
    """Any department's denial denies the case, with its reasons (并联审批: all must approve)."""
    case, step = _load_step(step_id, row_version, user)
    rules.WORKFLOW.require(case, rules.STEP_DENY)
    _require_active(step)
    reason = common.fields.text(reason, "reason", "不通过的理由")
    legal_basis = common.fields.text(legal_basis, "legal_basis", "法律依据")
    before = common.snapshot(case)
    _decide_step(step, user, StepStatus.DENIED, reason, legal_basis)
    _save([step])
    _deny(case, user, f"{step.department.name}审查认为{reason}", legal_basis, rules.STEP_DENY,
          before, f"{step.department.name}“{step.name}”审查不通过：{reason}（依据：{legal_basis}），不予许可")
    return step


def do_step_return(user, step_id: int, row_version: int | None, *, reason: str, to_stage: int | None = None) -> CaseStep:
    """Send the case back to an earlier review stage (default: the previous one) to be handled again."""
    case, step = _load_step(step_id, row_version, user)
    rules.WORKFLOW.require(case, rules.STEP_RETURN)
    _require_active(step)
    reason = common.fields.text(reason, "reason", "退回理由")
    steps = _review_steps(case)
    earlier = sorted({s.stage for s in steps if s.stage < step.stage})
    if not earlier:
        raise Conflict("case.no_earlier_stage", "该环节之前没有可退回的审查阶段")
    target = earlier[-1] if to_stage is None else to_stage
    if target not in earlier:
        raise InvalidInput("case.return_stage", "只能退回到之前的审查阶段：" + "、".join(f"第 {n} 阶段" for n in earlier),
                           details={"field": "to_stage", "allowed": earlier})
    before = common.snapshot(case)
    for s in steps:
        if s.stage > target:
            s.status, s.activated_at, s.decided_at, s.decided_by, s.decided_by_name = StepStatus.WAITING, None, None, None, ""
            s.reason = s.legal_basis = ""
    mine = next(s for s in steps if s.pk == step.pk)
    _decide_step(mine, user, StepStatus.RETURNED, reason, "")
    _activate(case, steps, target)
    case.current_stage = target
    _save(steps)
    names = "、".join(f"{s.department.name}{s.name}" for s in steps if s.stage == target)
    common.event(case, "step_return", f"{mine.department.name}“{mine.name}”退回至第 {target} 阶段（{names}）重新办理：{reason}",
                 department_name=mine.department.name)
    common.finish(case, rules.STEP_RETURN, before, extra={"step": mine.pk, "to_stage": target})
    return mine


def _check_owner(user, case: Case) -> None:
    common.check_perm(user, common.DECIDE)
    common.check_department(user, case.department_id, f"该办件由{case.department.name}作出决定，您不能办理")


def do_decide(user, case_id: int, row_version: int | None, *, approve: bool, reason: str = "", legal_basis: str) -> Case:
    """The owning department's decision: approve when every review step approved and no promised material
    is still missing; deny at any time during review, with reasons (行政许可法 Art. 38)."""
    common.check_perm(user, common.DECIDE)
    case = common.lock(case_id, row_version)
    action = rules.DECIDE_APPROVE if approve else rules.DECIDE_DENY
    after = rules.WORKFLOW.require(case, action)
    _check_owner(user, case)
    legal_basis = common.fields.text(legal_basis, "legal_basis", "决定依据", max_len=1000)
    reason = common.fields.text(reason, "reason", "决定理由", required=not approve, max_len=1000)
    before = common.snapshot(case)
    if not approve:
        text = f"{case.department.name}作出不予许可决定：{reason}（依据：{legal_basis}）"
        _deny(case, user, reason, legal_basis, action, before, text)
        return case
    pending = [s.name for s in _review_steps(case) if s.status != StepStatus.APPROVED]
    if pending:
        raise Conflict("case.steps_pending", "以下环节尚未审查通过，不能作出准予决定：" + "、".join(pending))
    if case.commitments.filter(Q(fulfilled_at__isnull=True, breached_at__isnull=True),
                               kind=CommitmentKind.PENDING_MATERIALS).exists():
        raise Conflict("case.materials_pending", "容缺材料尚未补齐，不能作出准予许可决定")
    reason = reason or "申请符合法定条件、标准"
    case.status, case.decided_at = after, clock.now()
    case.decision_reason, case.decision_basis = reason, legal_basis
    case_clock.stop(case, clock.today())
    late = "" if case.on_time else "（已超过办结期限）"
    common.event(case, action, f"{case.department.name}作出准予许可决定{late}，于{chinese_date(case.decided_on)}办结审批，"
                 "待统一出件")
    common.finish(case, action, before)
    return case
