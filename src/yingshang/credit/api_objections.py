"""API of objections, repairs, commitments and the credit report (mounted under /api/v1/credit).

Subjects act as themselves (a citizen or enterprise session); a window clerk may file for a subject by
giving its code in the body (`subject_code`, never in the URL). Decisions are taken once: a second one
gets 409 (`credit.objection_closed`, `credit.repair_closed`, `credit.commitment_closed`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from django.db import transaction
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from yingshang.credit import api_schemas as s
from yingshang.credit.services import commitments, handling, objections, repair, report, subjects
from yingshang.kernel import access
from yingshang.kernel.api.auth import signed_in
from yingshang.kernel.api.uploads import guarded
from yingshang.kernel.errors import Forbidden, NotFound
from yingshang.kernel.models import Department

router = Router(tags=["社会信用：异议、修复、承诺、信用报告"])
ERRORS = {400: s.ErrorOut, 401: s.ErrorOut, 403: s.ErrorOut, 404: s.ErrorOut, 409: s.ErrorOut, 422: s.ErrorOut}
Text = Annotated[str, Field(max_length=4000)]
PAGE = 50
Files = Annotated[list[UploadedFile], File(description="证明材料，可多个")]


class FileIn(Schema):
    target_kind: Literal["license", "penalty", "other", "list_entry"] = Field(description="信息类型")
    target_id: int = Field(ge=1)
    contact_phone: str = Field("", max_length=20)
    subject_code: str = Field("", max_length=64, description="窗口代为提交时：主体的统一社会信用代码或身份证号码")


class ObjectionIn(FileIn):
    reason: Text


class RepairIn(FileIn):
    target_kind: Literal["penalty", "list_entry"]
    rectification: Text
    commitment_text: Text


class DecideIn(Schema):
    outcome: Literal["upheld", "rejected"]
    note: Text
    resolution: str = Field("", max_length=16, description="异议成立时：corrected（更正）或 withdrawn（撤回公示）")
    corrections: dict[str, str | None] = Field(default_factory=dict, description="更正的字段及新值")
    row_version: int | None = None


class HandlingOut(Schema):
    id: int
    number: str
    kind: str
    subject_name: str
    identifier: str
    target_kind: str
    target_id: int
    target_label: str
    department: str
    status: str
    resolution: str = ""
    on_behalf: bool
    filed_at: datetime
    deadline: date
    deadline_rule: str
    overdue: bool
    decision_note: str
    decided_at: datetime | None
    row_version: int
    evidence: list[dict]


class CommitmentIn(Schema):
    code: str = Field(max_length=64)
    subject_name: str = Field("", max_length=200)
    kind: str = Field(max_length=40, description="notify_and_commit、pending_materials、industry、repair 或 other")
    text: Text
    department: str = Field(max_length=40, description="承诺对象部门编码")
    signed_on: date | None = None
    due_on: date | None = None
    reference: str = Field("", max_length=80)


class MarkIn(Schema):
    outcome: Literal["fulfilled", "breached"]
    reason: Text = ""


class CommitmentOut(Schema):
    id: int
    number: str
    subject_name: str
    identifier: str
    source: str
    kind: str
    kind_label: str
    text: str
    department: str | None
    case_no: str
    signed_at: datetime
    due_on: date | None
    status: str
    breach_reason: str
    breach_record_id: int | None


class ReportIn(Schema):
    code: str = Field("", max_length=64, description="留空：本人（本企业）的信用报告")


def _out(item, kind: str) -> dict:
    return {"id": item.pk, "number": item.number, "kind": kind, "subject_name": item.subject.display_name,
            "identifier": item.subject.id_display, "target_kind": item.target_kind, "target_id": item.target_id,
            "target_label": item.target_label, "department": item.department.code, "status": item.status,
            "resolution": getattr(item, "resolution", ""), "on_behalf": item.on_behalf, "filed_at": item.filed_at,
            "deadline": item.deadline, "deadline_rule": item.deadline_rule, "overdue": handling.is_overdue(item),
            "decision_note": item.decision_note, "decided_at": item.decided_at, "row_version": item.row_version,
            "evidence": [{k: v for k, v in e.items() if k != "path"} for e in item.evidence]}




def _behalf(code: str):
    return subjects.find(code) if code else None


def _list(request, service, kind: str, status: str, page: int) -> list[dict]:
    if access.has_perm(request.user, handling.HANDLE_OBJECTION if kind == "objection" else handling.HANDLE_REPAIR) \
            or (kind == "repair" and service.queue(request.user).exists()):
        qs = service.queue(request.user).order_by("deadline", "id")
    else:
        own = handling.subject_of_user(request.user)
        if own is None:
            raise Forbidden("credit.no_subject", "您的账号没有对应的信用主体")
        qs = service.for_subject(own).select_related("subject")
    if status:
        qs = qs.filter(status=status)
    return [_out(i, kind) for i in qs[(page - 1) * PAGE:page * PAGE]]


# --- objections ------------------------------------------------------------------------------------

@router.post("/objections", response={201: HandlingOut, **ERRORS}, auth=signed_in, summary="提出信用异议",
             description="信用主体对本主体的信用信息提出异议；窗口工作人员可代为提交（subject_code）。证明材料另行上传。")
def file_objection(request, payload: ObjectionIn):
    with transaction.atomic():
        item = objections.do_file(request.user, target_kind=payload.target_kind, target_id=payload.target_id,
                                  reason=payload.reason, contact_phone=payload.contact_phone,
                                  on_behalf_of=_behalf(payload.subject_code))
    return Status(201, _out(item, "objection"))


@router.post("/objections/{objection_id}/evidence", response={200: HandlingOut, **ERRORS}, auth=signed_in,
             summary="上传异议证明材料",
             description="multipart/form-data，字段 files，可多个；PDF、JPG、PNG、OFD（按内容识别），单个≤20 MB。")
@decorate_view(guarded)
def objection_evidence(request, objection_id: int, files: Files):
    with transaction.atomic():
        item = objections.do_add_evidence(request.user, objection_id, files)
    return _out(item, "objection")


@router.get("/objections", response={200: list[HandlingOut], **ERRORS}, auth=signed_in, summary="异议列表",
            description="办理人员：本部门待办（按办理期限排序）；信用主体：本主体的异议。")
def list_objections(request, status: Annotated[str, Query(max_length=12)] = "",
                    page: Annotated[int, Query(ge=1, le=1000)] = 1):
    return _list(request, objections, "objection", status, page)


@router.get("/objections/{objection_id}", response={200: HandlingOut, **ERRORS}, auth=signed_in, summary="异议详情")
def get_objection(request, objection_id: int):
    return _out(objections.get_for(request.user, objection_id), "objection")


@router.post("/objections/{objection_id}/decide", response={200: HandlingOut, **ERRORS}, auth=signed_in, summary="办理异议",
             description="信息提供部门核实后作出：upheld（成立：更正 corrected 或撤回公示 withdrawn；名单记录移出）或 "
                         "rejected（不成立，说明理由）。只能办理一次，重复办理返回409。")
def decide_objection(request, objection_id: int, payload: DecideIn):
    with transaction.atomic():
        item = objections.do_decide(request.user, objection_id, outcome=payload.outcome, note=payload.note,
                                    resolution=payload.resolution, corrections=payload.corrections,
                                    row_version=payload.row_version)
    return _out(item, "objection")


# --- repairs ---------------------------------------------------------------------------------------

@router.post("/repairs", response={201: HandlingOut, **ERRORS}, auth=signed_in, summary="申请信用修复",
             description="multipart/form-data：表单字段同 RepairIn，证明材料字段 files（可多个，必填）。可申请的信息："
                         "行政处罚信息（按决定日期适用的规则，最短公示期届满后、公示期结束前）或失信黑名单、重点关注名单记录。")
@decorate_view(guarded)
def file_repair(request, payload: Form[RepairIn], files: Files):
    with transaction.atomic():
        item = repair.do_file(request.user, target_kind=payload.target_kind, target_id=payload.target_id,
                              rectification=payload.rectification, commitment_text=payload.commitment_text,
                              contact_phone=payload.contact_phone, evidence=files, on_behalf_of=_behalf(payload.subject_code))
    return Status(201, _out(item, "repair"))


@router.get("/repairs", response={200: list[HandlingOut], **ERRORS}, auth=signed_in, summary="信用修复列表")
def list_repairs(request, status: Annotated[str, Query(max_length=12)] = "", page: Annotated[int, Query(ge=1, le=1000)] = 1):
    return _list(request, repair, "repair", status, page)


@router.get("/repairs/{repair_id}", response={200: HandlingOut, **ERRORS}, auth=signed_in, summary="信用修复详情")
def get_repair(request, repair_id: int):
    return _out(repair.get_for(request.user, repair_id), "repair")


@router.post("/repairs/{repair_id}/decide", response={200: HandlingOut, **ERRORS}, auth=signed_in, summary="办理信用修复",
             description="upheld：处罚信息停止公示或移出名单；rejected：说明理由。只能办理一次，重复办理返回409。")
def decide_repair(request, repair_id: int, payload: DecideIn):
    with transaction.atomic():
        item = repair.do_decide(request.user, repair_id, outcome=payload.outcome, note=payload.note,
                                row_version=payload.row_version)
    return _out(item, "repair")


# --- commitments -----------------------------------------------------------------------------------

def _commitment_out(c) -> dict:
    return {"id": c.pk, "number": c.number, "subject_name": c.subject.display_name, "identifier": c.subject.id_display,
            "source": c.source, "kind": c.kind, "kind_label": c.kind_label, "text": c.text,
            "department": c.department.code if c.department_id else None, "case_no": c.case_no, "signed_at": c.signed_at,
            "due_on": c.due_on, "status": c.status, "breach_reason": c.breach_reason, "breach_record_id": c.breach_record_id}


@router.get("/commitments", response={200: list[CommitmentOut], **ERRORS}, auth=signed_in, summary="信用承诺列表",
            description="信用工作人员：全部（可按状态筛选）；信用主体：本主体的承诺。")
def list_commitments(request, status: Annotated[str, Query(max_length=12)] = "",
                     page: Annotated[int, Query(ge=1, le=1000)] = 1):
    if access.has_perm(request.user, handling.MANAGE_COMMITMENTS):
        from yingshang.credit.models import Commitment

        qs = Commitment.objects.select_related("subject", "department").order_by("-signed_at", "-id")
    else:
        own = handling.subject_of_user(request.user)
        if own is None:
            raise Forbidden("credit.no_subject", "您的账号没有对应的信用主体")
        qs = commitments.for_subject(own).select_related("subject")
    if status:
        qs = qs.filter(status=status)
    return [_commitment_out(c) for c in qs[(page - 1) * PAGE:page * PAGE]]


@router.post("/commitments", response={201: CommitmentOut, **ERRORS}, auth=signed_in, summary="登记信用承诺",
             description="登记在其他场景作出的信用承诺。需权限 credit.manage_commitments。")
def register_commitment(request, payload: CommitmentIn):
    department = Department.objects.filter(code=payload.department).first()
    if department is None:
        raise NotFound("credit.department_not_found", "部门不存在", details={"field": "department"})
    with transaction.atomic():
        c = commitments.do_register(request.user, code=payload.code, subject_name=payload.subject_name, kind=payload.kind,
                                    text=payload.text, department=department, signed_on=payload.signed_on,
                                    due_on=payload.due_on, reference=payload.reference)
    return Status(201, _commitment_out(c))


@router.post("/commitments/{commitment_id}/mark", response={200: CommitmentOut, **ERRORS}, auth=signed_in,
             summary="标记履约或违诺", description="违诺（breached）须说明情况，并形成一条“违背信用承诺”的失信记录。")
def mark_commitment(request, commitment_id: int, payload: MarkIn):
    with transaction.atomic():
        c = commitments.do_mark(request.user, commitment_id, outcome=payload.outcome, reason=payload.reason)
    return _commitment_out(c)


# --- credit report ---------------------------------------------------------------------------------

@router.post("/reports", response={200: None, **ERRORS}, auth=signed_in, summary="出具信用报告（PDF）",
             description="返回 application/pdf，带核验码与二维码（/verify/<核验码>/）。本人、本企业及信用工作人员为完整版；"
                         "其他用户可获取企业的公示信息版；自然人的报告仅本人和信用工作人员可以出具。")
def issue_report(request, payload: ReportIn):
    from yingshang.credit.views_self import pdf_response

    subject = subjects.find(payload.code) if payload.code else handling.subject_of_user(request.user)
    if subject is None:
        raise NotFound("credit.subject_not_found", "平台暂无您的信用主体信息")
    with transaction.atomic():
        doc = report.do_issue(request.user, subject)
    return pdf_response(doc)
