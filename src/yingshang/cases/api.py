"""The cases API: applications, window acceptance, review and decision, the clock.

Every action takes the `row_version` the caller saw; if someone else acted first the answer is 409
`case.conflict`, and an action the case's state does not allow is 409 `case.transition_not_allowed`.
Errors are `{"code", "message", "details"}` with 400 (bad input), 403, 404, 409 or 422.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db import transaction
from ninja import Query, Router, Status

from yingshang.cases import queries, rules
from yingshang.cases.api_schemas import (
    AcceptIn,
    AcceptPendingIn,
    CaseOut,
    CasePageOut,
    ChecksIn,
    ChecksOut,
    CommitmentApprovalIn,
    CorrectionIn,
    CreateIn,
    DecideIn,
    Error,
    ExtensionDecisionIn,
    ExtensionIn,
    InboxPageOut,
    NoteIn,
    ReasonBasisIn,
    StatusValue,
    StepApproveIn,
    StepReturnIn,
    StopIn,
    SupplementIn,
    SuspendIn,
    VerifyIn,
    VersionIn,
    WarningValue,
    WithdrawIn,
)
from yingshang.cases.models import Case, CaseStep
from yingshang.cases.services import acceptance, applications, clock, common, lifecycle, review
from yingshang.kernel import access
from yingshang.kernel.api.auth import signed_in
from yingshang.kernel.errors import NotFound
from yingshang.kernel.services.documents import verification_url

router = Router(tags=["办件"], auth=signed_in)
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error, 422: Error}


# --- Presentation ------------------------------------------------------------------------------
def _ref(dept) -> dict | None:
    return {"code": dept.code, "name": dept.name} if dept is not None else None


def summary(case: Case) -> dict:
    return {
        "case_no": case.case_no, "id": case.pk, "row_version": case.row_version, "status": case.status,
        "status_label": rules.STATUS_LABELS.get(case.status, case.status), "item_code": case.item.code,
        "item_name": case.item_name, "department": _ref(case.department), "applicant_name": case.applicant_name,
        "channel": case.channel, "received_on": case.received_on, "accepted_on": case.accepted_on,
        "deadline": case.deadline, "deadline_provisional": case.deadline_provisional, "warning": case.warning,
        "clock_state": case.clock_state,
    }


def detail(case: Case, *, staff: bool) -> dict:
    steps = list(case.steps.all())
    commitments = list(case.commitments.all())
    return summary(case) | {
        "item_version": case.item_version.number, "kind": case.kind, "applicant_kind": case.applicant_kind,
        "identifier_masked": case.identifier_masked, "hall": _ref(case.hall),
        "clerk_name": case.clerk.display_name if case.clerk_id else "", "limit_days": case.limit_days,
        "limit_source": case.limit_source, "extension_days": case.extension_days, "on_time": case.on_time,
        "decided_on": case.decided_on, "decision_reason": case.decision_reason,
        "decision_basis": case.decision_basis, "current_stage": case.current_stage,
        "pending_materials": any(c.kind == "pending_materials" and c.is_open for c in commitments),
        "allowed_actions": rules.WORKFLOW.allowed_actions(case.status),
        "materials": [{"material_id": m.material_id, "name": m.name, "required": m.required,
                       "pending_allowed": m.pending_allowed, "status": m.status, "note": m.note}
                      for m in case.materials.all()],
        "steps": [{"id": s.pk, "stage": s.stage, "name": s.name, "step_kind": s.step_kind,
                   "department": _ref(s.department), "status": s.status, "status_label": str(s.get_status_display()),
                   "decided_by": s.decided_by_name, "decided_at": s.decided_at, "reason": s.reason,
                   "legal_basis": s.legal_basis} for s in steps],
        "suspensions": [{"kind": s.kind, "from_date": s.from_date, "to_date": s.to_date, "reason": s.reason}
                        for s in case.suspensions.all()],
        "extensions": [{"days": e.days, "reason": e.reason, "status": e.status, "decision_note": e.decision_note}
                       for e in case.extensions.all()] if staff else [],
        "commitments": [{"kind": c.kind, "text": c.text, "signed_by_name": c.signed_by_name, "signed_at": c.signed_at,
                         "supplement_deadline": c.supplement_deadline, "fulfilled_at": c.fulfilled_at,
                         "breached_at": c.breached_at} for c in commitments],
        "events": [{"kind": e.kind, "text": e.text, "at": e.at, "actor_name": e.actor_name if staff else "",
                    "internal": e.internal} for e in case.events.all() if staff or not e.internal],
        "documents": [{"title": d.title, "number": d.number, "kind": d.kind, "verification_code": d.verification_code,
                       "issued_at": d.issued_at, "verify_url": verification_url(d.verification_code)}
                      for d in queries.documents(case)],
    }


def _detail(user, case_no: str) -> dict:
    return detail(queries.case_detail(user, case_no), staff=access.has_perm(user, common.VIEW))


def _case_id(case_no: str) -> int:
    return common.get_case(case_no).pk


def _act(request, case_no: str, func, body: VersionIn, **kwargs) -> dict:
    with transaction.atomic():
        func(request.user, _case_id(case_no), body.row_version, **kwargs)
    return _detail(request.user, case_no)


# --- Applications and lists -----------------------------------------------------------------------
@router.post("", response={201: CaseOut, **ERRORS}, summary="新建申请",
             description="窗口人员为申请人代录申请（立即提交并编号），或申请人本人网上申报（可先存草稿）。材料状态按事项材料编号填写。")
def create_case(request, body: CreateIn):
    applicant = None
    if body.applicant is not None:
        applicant = applications.ApplicantData(**body.applicant.dict())
    statuses = {m.material_id: m.status for m in body.materials}
    with transaction.atomic():
        case = applications.do_create_application(request.user, body.item_code, applicant=applicant,
                                                  materials=statuses, submit=body.submit)
    if case.case_no is None:
        loaded = Case.objects.filter(pk=case.pk).select_related("department", "item", "item_version", "hall", "clerk").first()
        return Status(201, detail(loaded, staff=access.has_perm(request.user, common.VIEW)))
    return Status(201, _detail(request.user, case.case_no))


@router.post("/drafts/{draft_id}/submit", response={200: CaseOut, **ERRORS}, summary="提交草稿",
             description="提交本人保存的网上申请草稿；提交后取得办件编号。")
def submit_draft(request, draft_id: int, body: VersionIn):
    if not 0 < draft_id < 2**62:
        raise NotFound("case.not_found", "办件不存在")
    with transaction.atomic():
        if not Case.objects.filter(pk=draft_id, status=rules.DRAFT).exists():
            raise NotFound("case.not_found", "草稿不存在或已提交")
        case = applications.do_submit(request.user, draft_id, body.row_version)
    return _detail(request.user, case.case_no)


@router.get("", response={200: CasePageOut, **ERRORS}, summary="办件列表与检索",
            description="按权限范围可见的办件，新办件在前；q 为办件编号（或其开头）或申请人名称的开头。"
                        "游标分页：把 next_cursor 作为 cursor 传回。")
def list_cases(
    request,
    status: Annotated[StatusValue | None, Query(description="状态")] = None,
    department: Annotated[str, Query(max_length=40, description="主办部门编码")] = "",
    warning: Annotated[WarningValue | None, Query(description="预警")] = None,
    item: Annotated[str, Query(max_length=64, description="事项编码")] = "",
    received_from: Annotated[dt.date | None, Query(description="收件日期起（含）")] = None,
    received_to: Annotated[dt.date | None, Query(description="收件日期止（含）")] = None,
    q: Annotated[str, Query(max_length=queries.MAX_QUERY_CHARS, description="办件编号或申请人名称（开头）")] = "",
    cursor: Annotated[str | None, Query(max_length=queries.MAX_CURSOR_CHARS)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
):
    if not access.has_perm(request.user, common.APPLY):
        common.check_perm(request.user, common.VIEW)
    filters = queries.CaseFilters(status=status or "", department=department, warning=warning or "", item=item,
                                  received_from=received_from, received_to=received_to, q=q)
    rows, next_cursor = queries.page(queries.case_list(request.user, filters), cursor, limit)
    return {"items": [summary(c) for c in rows], "next_cursor": next_cursor}


@router.get("/inbox", response={200: InboxPageOut, **ERRORS}, summary="部门待办",
            description="本部门正在办理的环节，按办结期限从近到远排列。")
def inbox(request, warning: Annotated[WarningValue | None, Query()] = None,
          cursor: Annotated[str | None, Query(max_length=queries.MAX_CURSOR_CHARS)] = None,
          limit: Annotated[int, Query(ge=1, le=100)] = 20):
    common.check_perm(request.user, common.REVIEW)
    steps, next_cursor = queries.inbox_page(queries.inbox(request.user, warning=warning or ""), cursor, limit)
    return {"items": [{"step_id": s.pk, "step_name": s.name, "stage": s.stage, "department": _ref(s.department),
                       "case": summary(s.case)} for s in steps], "next_cursor": next_cursor}


@router.get("/{case_no}", response={200: CaseOut, **ERRORS}, summary="办件详情",
            description="材料、环节、计时、延期、承诺、动态和文书。申请人只看到对外公开的动态。")
def get_case(request, case_no: str):
    return _detail(request.user, case_no)


@router.post("/{case_no}/checks", response={200: ChecksOut, **ERRORS}, summary="受理前核查",
             description="运行受理前核查（如信用核查）。需要处理的情形（blocking）须在受理时填写处理意见。")
def run_checks(request, case_no: str, body: ChecksIn):
    common.check_perm(request.user, common.ACCEPT)
    case = common.get_case(case_no)
    hits = acceptance.run_checks(case, body.id_number or None)
    return {"hits": acceptance.hit_dicts(hits), "blocking": any(h.blocking for h in hits)}


# --- Window acceptance ------------------------------------------------------------------------------
def _statuses(items) -> dict[int, str]:
    return {m.material_id: m.status for m in items}


@router.post("/{case_no}/accept", response={200: CaseOut, **ERRORS}, summary="受理")
def accept(request, case_no: str, body: AcceptIn):
    return _act(request, case_no, acceptance.do_accept, body, materials=_statuses(body.materials),
                override_reason=body.override_reason, id_number=body.id_number or None)


@router.post("/{case_no}/accept-with-pending", response={200: CaseOut, **ERRORS}, summary="容缺受理",
             description="可容缺材料暂缺时受理，申请人签署承诺并在补齐期限内补交；逾期未补齐的办件终止办理。")
def accept_with_pending(request, case_no: str, body: AcceptPendingIn):
    return _act(request, case_no, acceptance.do_accept_with_pending, body, materials=_statuses(body.materials),
                supplement_days=body.supplement_days, commitment_text=body.commitment_text,
                override_reason=body.override_reason, id_number=body.id_number or None)


@router.post("/{case_no}/request-correction", response={200: CaseOut, **ERRORS}, summary="一次性告知补正")
def request_correction(request, case_no: str, body: CorrectionIn):
    return _act(request, case_no, acceptance.do_request_correction, body,
                items=[(i.material_id, i.problem) for i in body.items])


@router.post("/{case_no}/supplement", response={200: CaseOut, **ERRORS}, summary="补正或补齐材料")
def supplement(request, case_no: str, body: SupplementIn):
    return _act(request, case_no, acceptance.do_supplement, body, material_ids=body.material_ids, note=body.note)


@router.post("/{case_no}/refuse", response={200: CaseOut, **ERRORS}, summary="不予受理")
def refuse(request, case_no: str, body: ReasonBasisIn):
    return _act(request, case_no, acceptance.do_refuse, body, reason=body.reason, legal_basis=body.legal_basis)


@router.post("/{case_no}/commitment-approval", response={200: CaseOut, **ERRORS}, summary="告知承诺审批",
             description="实行告知承诺的事项：依申请人书面承诺当场审批，并生成事后核查任务。")
def commitment_approval(request, case_no: str, body: CommitmentApprovalIn):
    return _act(request, case_no, acceptance.do_commitment_approval, body, commitment_text=body.commitment_text,
                override_reason=body.override_reason, id_number=body.id_number or None)


# --- Review and decision ------------------------------------------------------------------------------
def _step(case_no: str, step_id: int) -> int:
    number = (case_no or "").strip().upper()[:24]
    if not 0 < step_id < 2**62 or not CaseStep.objects.filter(pk=step_id, case__case_no=number).exists():
        raise NotFound("case.step_not_found", "该办件没有这个办理环节")
    return step_id


def _step_act(request, case_no: str, step_id: int, func, body: VersionIn, **kwargs) -> dict:
    with transaction.atomic():
        func(request.user, _step(case_no, step_id), body.row_version, **kwargs)
    return _detail(request.user, case_no)


@router.post("/{case_no}/steps/{step_id}/approve", response={200: CaseOut, **ERRORS}, summary="环节审查通过")
def step_approve(request, case_no: str, step_id: int, body: StepApproveIn):
    return _step_act(request, case_no, step_id, review.do_step_approve, body, reason=body.reason,
                     legal_basis=body.legal_basis)


@router.post("/{case_no}/steps/{step_id}/deny", response={200: CaseOut, **ERRORS}, summary="环节审查不通过",
             description="任一并联环节不通过，办件即不予许可（须写明理由和依据）。")
def step_deny(request, case_no: str, step_id: int, body: ReasonBasisIn):
    return _step_act(request, case_no, step_id, review.do_step_deny, body, reason=body.reason,
                     legal_basis=body.legal_basis)


@router.post("/{case_no}/steps/{step_id}/return", response={200: CaseOut, **ERRORS}, summary="退回上一阶段")
def step_return(request, case_no: str, step_id: int, body: StepReturnIn):
    return _step_act(request, case_no, step_id, review.do_step_return, body, reason=body.reason,
                     to_stage=body.to_stage)


@router.post("/{case_no}/decide", response={200: CaseOut, **ERRORS}, summary="作出决定",
             description="主办部门作出准予或不予许可决定；准予须各审查环节均已通过且容缺材料已补齐。")
def decide(request, case_no: str, body: DecideIn):
    return _act(request, case_no, review.do_decide, body, approve=body.approve, reason=body.reason,
                legal_basis=body.legal_basis)


# --- Clock --------------------------------------------------------------------------------------------
@router.post("/{case_no}/suspend", response={200: CaseOut, **ERRORS}, summary="暂停计时",
             description="听证、检验检测、专家评审等特别程序或审查中补正材料期间不计入办理时限（行政许可法第四十五条），并书面告知申请人。")
def suspend(request, case_no: str, body: SuspendIn):
    return _act(request, case_no, clock.do_suspend, body, kind=body.kind, reason=body.reason)


@router.post("/{case_no}/resume", response={200: CaseOut, **ERRORS}, summary="恢复计时")
def resume(request, case_no: str, body: NoteIn):
    return _act(request, case_no, clock.do_resume, body, note=body.note)


@router.post("/{case_no}/extensions", response={200: CaseOut, **ERRORS}, summary="申请延期",
             description="主办部门申请延长办理期限（行政许可法第四十二条：合计最多 10 个工作日，联办件 15 个工作日）。")
def request_extension(request, case_no: str, body: ExtensionIn):
    return _act(request, case_no, clock.do_request_extension, body, days=body.days, reason=body.reason)


@router.post("/{case_no}/extensions/decide", response={200: CaseOut, **ERRORS}, summary="审批延期",
             description="主办部门负责人批准或不批准待审批的延期申请；批准后办结期限顺延并书面告知申请人。")
def decide_extension(request, case_no: str, body: ExtensionDecisionIn):
    return _act(request, case_no, clock.do_decide_extension, body, approve=body.approve, note=body.note)


# --- Ending early, commitments -----------------------------------------------------------------------
@router.post("/{case_no}/withdraw", response={200: CaseOut, **ERRORS}, summary="撤回申请")
def withdraw(request, case_no: str, body: WithdrawIn):
    return _act(request, case_no, lifecycle.do_withdraw, body, reason=body.reason)


@router.post("/{case_no}/stop", response={200: CaseOut, **ERRORS}, summary="终止办理")
def stop(request, case_no: str, body: StopIn):
    return _act(request, case_no, lifecycle.do_stop, body, reason=body.reason)


@router.post("/{case_no}/verify-commitment", response={200: CaseOut, **ERRORS}, summary="告知承诺事后核查")
def verify_commitment(request, case_no: str, body: VerifyIn):
    return _act(request, case_no, lifecycle.do_verify_commitment, body, passed=body.passed, result=body.result)


# Issuance and delivery (统一出件、送达): their own module, mounted on this router.
from yingshang.cases.api_issuance import router as _issuance_router  # noqa: E402

router.add_router("", _issuance_router)
from yingshang.cases.api_applicant import router as _applicant_router  # noqa: E402

router.add_router("", _applicant_router)
