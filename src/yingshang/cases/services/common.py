"""What every case action shares: permissions, the field checks, the timeline, and the case's hooks
around the kernel's workflow steps.

Every action runs inside the caller's transaction (`kernel.services.workflow`): `lock` the case row
and check the caller saw its current `row_version`, `rules.WORKFLOW.require` the transition, change,
`finish` (bump row_version, save, audit entry; then copy a changed deadline to the active steps, and
have the notices the action queued issued right after it commits). A second actor working from the
same state therefore gets `Conflict("case.conflict")` instead of silently overwriting the first.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import Q

from yingshang.cases import rules
from yingshang.cases.models import Case, CaseEvent, CaseStep
from yingshang.kernel import access, clock
from yingshang.kernel.context import current_actor
from yingshang.kernel.errors import Forbidden, NotFound
from yingshang.kernel.hooks import COMMITMENT_EVENTS, CommitmentEvent
from yingshang.kernel.services import workflow
from yingshang.kernel.services.audit import record
from yingshang.kernel.services.validation import Validator

# Permissions (registered in apps.py; roles per kernel.access).
VIEW = "cases.view"
APPLY = "cases.apply"  # applicants: their own online applications
ACCEPT = "cases.accept"  # window clerks in any hall (同城通办)
REVIEW = "cases.review"  # department steps, suspensions, extension requests
DECIDE = "cases.decide"
APPROVE_EXTENSION = "cases.approve_extension"
STOP = "cases.stop"
VERIFY = "cases.verify"  # post-verification of notify-and-commit approvals

PERMISSIONS = {
    VIEW: {access.WINDOW_CLERK, access.DEPT_REVIEWER, access.DEPT_HEAD, access.SUPERVISOR, access.LEADER,
           access.ADMIN},
    APPLY: {access.CITIZEN, access.ENTERPRISE},
    ACCEPT: {access.WINDOW_CLERK},
    REVIEW: {access.DEPT_REVIEWER, access.DEPT_HEAD},
    DECIDE: {access.DEPT_REVIEWER, access.DEPT_HEAD},
    APPROVE_EXTENSION: {access.DEPT_HEAD},
    STOP: {access.DEPT_HEAD},
    VERIFY: {access.DEPT_REVIEWER, access.DEPT_HEAD},
}
PERMISSION_LABELS = {
    VIEW: "查看办件", APPLY: "网上申报", ACCEPT: "窗口受理", REVIEW: "部门审查", DECIDE: "作出决定",
    APPROVE_EXTENSION: "批准延期", STOP: "终止办理", VERIFY: "事后核查",
}
# The codes cases' API has always returned for text: case.invalid_text, case.<field>_required, case.text_too_long.
fields = Validator("case", codes={"not_text": "invalid_text", "too_long": "text_too_long"})


def check_perm(user, permission: str) -> None:
    if not access.has_perm(user, permission):
        raise Forbidden("case.forbidden", f"您没有“{PERMISSION_LABELS[permission]}”的权限")


def in_scope(user, department_id: int | None) -> bool:
    """Whether the department is within the user's data scope (own, subtree or city)."""
    if department_id is None:
        return False
    return access.visible_departments(user).filter(pk=department_id).exists()


def check_department(user, department_id: int, message: str) -> None:
    if not in_scope(user, department_id):
        raise Forbidden("case.not_your_department", message)


def visible_q(user) -> Q:
    """The cases a user may see: by scope over the owning or a step's department; applicants their own."""
    if access.has_perm(user, VIEW):
        if access.data_scope(user) == "city":
            return Q()
        return access.department_filter(user, "department") | Q(
            pk__in=CaseStep.objects.filter(access.department_filter(user, "department")).values("case_id"))
    if access.has_perm(user, APPLY):
        return Q(applicant_id=user.pk)
    return Q(pk__in=[])


def can_view(user, case: Case) -> bool:
    return Case.objects.filter(visible_q(user), pk=case.pk).exists()


def get_case(case_no: str) -> Case:
    """A case by its number (drafts have none: they are found by id through `get_case_by_id`)."""
    number = (case_no or "").strip().upper()[:24]
    case = Case.objects.filter(case_no=number).first() if number else None
    if case is None:
        raise NotFound("case.not_found", f"没有编号为“{number or case_no}”的办件")
    return case


def lock(case_id: int, row_version: int | None) -> Case:
    """The case, locked for this transaction, with what actions read; Conflict when `row_version` is stale."""
    case = workflow.lock(Case.objects.select_related("item", "item_version", "department"), case_id, row_version,
                         rules.WORKFLOW)
    case._deadline_at_lock = case.deadline  # finish() copies a changed deadline to the active steps
    return case


def snapshot(case: Case) -> dict:
    """What the audit entry records before and after an action (no personal identifiers)."""
    return {"case_no": case.case_no, "status": case.status, "row_version": case.row_version, "stage": case.current_stage,
            "clock": case.clock_state, "deadline": case.deadline, "warning": case.warning}


def event(case: Case, kind: str, text: str, *, internal: bool = False, notice=None,
          department_name: str = "") -> CaseEvent:
    """A timeline entry; `notice` (a queued NoticeRequest) is linked to it once issued."""
    from yingshang.cases.services import notices

    actor = current_actor()
    row = CaseEvent.objects.create(case=case, kind=kind, text=text, actor_name=actor.name[:100], at=clock.now(),
                                   department_name=department_name[:100], internal=internal)
    notices.link(notice, row, "document")
    return row


def finish(case: Case, action: str, before: dict, *, fields: list[str] | None = None, note: str = "",
           extra: dict | None = None) -> None:
    """The kernel's finish (row_version, save, audit entry), then the case's own follow-ups.

    The timeline event is the caller's.
    """
    workflow.finish(case, action, before, snapshot=snapshot, fields=fields, note=note, extra=extra)
    if case.deadline != getattr(case, "_deadline_at_lock", None) or getattr(case, "_steps_activated", False):
        sync_step_deadlines(case)
    from yingshang.cases.services import notices

    if notices.save_queued(case):
        transaction.on_commit(partial(notices.issue_for_case, case.pk), robust=True)


def commitment_event(commitment, event_name: str) -> None:
    """Tell other domains (the credit work) that a commitment was made, kept or broken, in this transaction."""
    case = commitment.case
    occurred = commitment.fulfilled_at if event_name == "fulfilled" else commitment.breached_at
    COMMITMENT_EVENTS.run(event=CommitmentEvent(
        event=event_name, source="cases", reference=f"cases.commitment:{commitment.pk}", kind=commitment.kind,
        kind_label=str(commitment.get_kind_display()), text=commitment.text, subject_kind=case.applicant_kind,
        subject_name=case.applicant_name, uscc=case.uscc, identifier_digest=case.identifier_digest,
        identifier_masked=case.identifier_masked, department_code=case.department.code, case_no=case.case_no,
        signed_at=commitment.signed_at, due_on=commitment.supplement_deadline,
        occurred_at=occurred if event_name != "made" else None,
        reason=commitment.breach_reason if event_name == "breached" else ""))


def sync_step_deadlines(case: Case) -> None:
    """Copy the case's deadline to its active steps (the inbox orders by it)."""
    CaseStep.objects.filter(case=case, status="active").exclude(case_deadline=case.deadline).update(
        case_deadline=case.deadline)


def record_created(case: Case) -> None:
    """The audit entry of a new application (identifiers only in masked form)."""
    record("cases.case.create", case, after={
        "item": case.item.code, "version": case.item_version.number, "channel": case.channel,
        "applicant": case.applicant_name if not case.is_person else case.applicant_name[:1] + "*",
        "identifier": case.identifier_masked, "status": case.status})
