"""The credit API under /api/v1/credit: collection, the joint reward/punishment check, lists, publicity.

Public endpoints (no sign-in) show only what is in its publication period, with natural persons'
names and numbers masked. Staff endpoints take a system token or a signed-in session. Personal ID
numbers travel in request bodies (POST), never in URLs, except where the public searches by them.
"""

from __future__ import annotations

from typing import Annotated

from django.db import transaction
from ninja import Query, Router, Status

from yingshang.credit import api_schemas as s
from yingshang.credit.choices import BatchStatus
from yingshang.credit.models import ListType
from yingshang.credit.services import common, imports, lists, publicity, subjects
from yingshang.credit.services import joint as checks
from yingshang.kernel import access
from yingshang.kernel.api.auth import signed_in
from yingshang.kernel.errors import NotFound
from yingshang.kernel.models import Department

router = Router(tags=["社会信用"])
ERRORS = {400: s.ErrorOut, 401: s.ErrorOut, 403: s.ErrorOut, 404: s.ErrorOut, 409: s.ErrorOut, 422: s.ErrorOut}


def _department(code: str | None) -> Department:
    dept = Department.objects.filter(code=code or "").first()
    if dept is None:
        raise NotFound("credit.department_not_found", "部门不存在", details={"field": "department"})
    return dept


# --- collection -----------------------------------------------------------------------------------

def _import(request, kind: str, payload) -> dict:
    department = _department(payload.department)
    rows = [row.model_dump(exclude_unset=True) for row in payload.rows]  # a key no row sends is a missing column
    with transaction.atomic():
        report = imports.import_rows(request.user, kind=kind, department=department, rows=rows)
    return report.as_dict()


@router.post("/imports/license", response={200: s.ImportReportOut, **ERRORS}, auth=signed_in, summary="报送行政许可信息",
             description="按国家双公示数据标准报送（字段键见请求体）；逐行校验，有效行入库、无效行返回行号、列名与原因。"
                         "同一部门同一决定文书号重复报送时更新而不重复。需权限 credit.collect，且只能为本部门（及下级）报送。")
def import_license(request, payload: s.LicenseBatchIn):
    return _import(request, "license", payload)


@router.post("/imports/penalty", response={200: s.ImportReportOut, **ERRORS}, auth=signed_in, summary="报送行政处罚信息",
             description="同行政许可报送。2026年4月1日起作出的处罚须填写失信严重程度（severity）。")
def import_penalty(request, payload: s.PenaltyBatchIn):
    return _import(request, "penalty", payload)


@router.post("/imports/other", response={200: s.ImportReportOut, **ERRORS}, auth=signed_in, summary="报送其他信用信息",
             description="失信被执行人、纳税信用等级、表彰奖励等，按认定文书号去重。")
def import_other(request, payload: s.OtherBatchIn):
    return _import(request, "other", payload)


@router.get("/imports/{batch_id}", response={200: s.BatchOut, **ERRORS}, auth=signed_in, summary="查询导入批次",
            description="批次状态与计数；导入中时返回已读行数与进度。")
def batch_status(request, batch_id: int):
    batch = imports.get_batch(request.user, batch_id)
    progress = imports.read_progress(batch) if batch.status == BatchStatus.RUNNING else {}
    return {"batch": batch.pk, "kind": batch.kind, "department": batch.department.code, "status": batch.status,
            "rows_read": progress.get("rows"), "fraction": progress.get("fraction"), "rows": batch.rows_total,
            "accepted": batch.accepted, "rejected": batch.rejected, "late": batch.late,
            "error": imports.error_of(batch)}


# --- check and feedback ----------------------------------------------------------------------------

def _check(request, code: str, scenario: str | None) -> s.CheckOut:
    access.check_perm(request.user, common.CHECK)
    return s.CheckOut.model_validate(checks.check(code, scenario or None).as_dict())


@router.get("/check", response={200: s.CheckOut, **ERRORS}, auth=signed_in, summary="联合奖惩核查",
            description="返回主体的名单身份（红名单、黑名单、重点关注名单）及在该业务场景下适用的奖惩措施；"
                        "blocking 为 true 时有限制性措施。公民身份号码请使用 POST，以免号码进入访问日志。需权限 credit.check。")
def check_get(request, code: Annotated[str, Query(max_length=64, description="统一社会信用代码、组织机构代码或公民身份号码")],
              scenario: Annotated[str, Query(max_length=40, description="业务场景，如 administrative_licensing")] = ""):
    return _check(request, code, scenario)


@router.post("/check", response={200: s.CheckOut, **ERRORS}, auth=signed_in, summary="联合奖惩核查（POST）",
             description="同 GET /check，号码放在请求体中。")
def check_post(request, payload: s.CheckIn):
    return _check(request, payload.code, payload.scenario)


@router.post("/feedback", response={201: s.FeedbackOut, **ERRORS}, auth=signed_in, summary="记录奖惩措施实施反馈",
             description="记录某项措施在一项业务中已实施（或未实施及原因）。主体须仍在触发该措施的名单中。"
                         "需权限 credit.record_feedback。")
def feedback(request, payload: s.FeedbackIn):
    department = _department(payload.department) if payload.department else None
    with transaction.atomic():
        fb = checks.do_record_feedback(
            request.user, identifier=payload.code, measure_id=payload.measure_id, entry_id=payload.entry_id,
            scenario=payload.scenario, department=department, outcome=payload.outcome, reference=payload.reference,
            note=payload.note)
    return Status(201, {"id": fb.pk, "measure_id": fb.measure_id, "entry_id": fb.list_entry_id, "scenario": fb.scenario,
                        "outcome": fb.outcome, "department": fb.department.code,
                        "recorded_at": fb.recorded_at.isoformat()})


# --- subjects and lists ----------------------------------------------------------------------------

@router.post("/subjects/lookup", response={200: s.SubjectOut, **ERRORS}, auth=signed_in, summary="查询信用主体",
             description="按号码查主体。自然人证件号码默认遮蔽。需权限 credit.view。")
def subject_lookup(request, payload: s.LookupIn):
    access.check_perm(request.user, common.VIEW)
    subject = subjects.find(payload.code)
    with transaction.atomic():
        shown = subjects.view(request.user, subject, reveal=payload.reveal)
    return shown.__dict__


def _entry_out(entry) -> dict:
    return {"id": entry.pk, "list_type": entry.list_type.code, "list_kind": entry.list_kind,
            "subject_name": entry.subject.display_name, "identifier": entry.subject.id_display, "status": entry.status,
            "document_no": entry.document_no, "decided_on": entry.decided_on, "valid_from": entry.valid_from,
            "valid_until": entry.valid_until, "removal_reason": entry.removal_reason}


@router.post("/lists/designate", response={201: s.EntryOut, **ERRORS}, auth=signed_in, summary="认定列入名单",
             description="信用办可认定各类名单；部门负责人只能认定本部门负责认定的名单类型。同一主体同一名单只能有一条在列记录。")
def designate(request, payload: s.DesignateIn):
    list_type = ListType.objects.filter(code=payload.list_type).first()
    if list_type is None:
        raise NotFound("credit.list_type_not_found", "名单类型不存在", details={"field": "list_type"})
    with transaction.atomic():
        entry = lists.do_designate(
            request.user, subject=lists.SubjectInput(payload.code, payload.subject_name), list_type=list_type,
            department=_department(payload.department), basis=payload.basis, reason=payload.reason,
            document_name=payload.document_name, document_no=payload.document_no, decided_on=payload.decided_on,
            valid_from=payload.valid_from, valid_until=payload.valid_until, published=payload.published)
    return Status(201, _entry_out(entry))


@router.post("/lists/{entry_id}/remove", response={200: s.EntryOut, **ERRORS}, auth=signed_in, summary="移出名单",
             description="信用修复（repair）、异议成立（objection）或其他原因移出；已移出的不能再次移出（409）。")
def remove(request, entry_id: int, payload: s.RemoveIn):
    with transaction.atomic():
        entry = lists.do_remove(request.user, entry_id, reason=payload.reason, note=payload.note)
    return _entry_out(entry)


# --- publicity (no sign-in) -----------------------------------------------------------------------

def public_record_out(record, kind: str) -> dict:
    subject = record.subject
    return {"id": record.pk, "kind": kind, "subject_name": subject.display_name, "identifier": subject.id_display,
            "document_no": record.document_no,
            "title": record.document_name if kind == "license" else record.violation_type,
            "content": record.content, "decision_date": record.decision_date, "authority": record.authority,
            "publication_end": record.publication_end, "disputed": getattr(record, "disputed", False)}


@router.get("/public/records", response={200: s.PublicPageOut, **ERRORS}, auth=None, summary="双公示信息查询",
            description="公示期内的行政许可（kind=license）或行政处罚（kind=penalty）信息，按名称（至少2个字）或"
                        "统一社会信用代码查询。自然人姓名与证件号码已遮蔽。无需登录。")
def public_records(request, kind: Annotated[str, Query(max_length=10)] = "penalty",
                   q: Annotated[str, Query(max_length=100)] = "", page: Annotated[int, Query(ge=1, le=50)] = 1):
    found = publicity.search(kind, q, page)
    return {"page": found.page, "has_next": found.has_next, "items": [public_record_out(r, kind) for r in found.items]}


@router.get("/public/records/{kind}/{record_id}", response={200: s.PublicRecordOut, **ERRORS}, auth=None,
            summary="双公示信息详情", description="不在公示期内的信息返回404。")
def public_record(request, kind: str, record_id: int):
    return public_record_out(publicity.public_record(kind, record_id), kind)


@router.get("/public/lists", response={200: s.PublicEntryPageOut, **ERRORS}, auth=None, summary="信用名单公示",
            description="向社会公示的在列名单记录；list_kind 为 red、black 或 watch。无需登录。")
def public_lists(request, list_kind: Annotated[str, Query(max_length=8)] = "", q: Annotated[str, Query(max_length=100)] = "",
                 page: Annotated[int, Query(ge=1, le=50)] = 1):
    found = publicity.public_entries(list_kind, q, page)
    return {"page": found.page, "has_next": found.has_next, "items": [
        {"id": e.pk, "list_kind": e.list_kind, "list_type": e.list_type.name, "subject_name": e.subject.display_name,
         "identifier": e.subject.id_display, "department": e.department.name, "document_no": e.document_no,
         "valid_from": e.valid_from, "valid_until": e.valid_until, "disputed": getattr(e, "disputed", False)}
        for e in found.items]}


# --- quality monitoring, scores, dashboard (issue 4 §3, §9, §11): credit/api_dashboard.py ---------
from yingshang.credit.api_dashboard import router as _dashboard_router  # noqa: E402

router.add_router("", _dashboard_router)


# Objection, repair, commitments and the credit report (issue 4 §7, §8, §10).
def _mount_objections() -> None:
    from yingshang.credit.api_objections import router as objections_router

    router.add_router("", objections_router)


_mount_objections()
