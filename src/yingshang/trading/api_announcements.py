"""API of announcements, tender documents, downloads, clarifications and objections (issue 12 §2),
mounted under /api/v1/trading. The announcement list and detail are public (no sign-in); the rest
answers errors as `{"code", "message", "details"}` like the other trading endpoints.
"""

from __future__ import annotations

from typing import Annotated

from django.db import transaction
from django.http import HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from yingshang.kernel import clock
from yingshang.kernel.api.auth import signed_in
from yingshang.kernel.api.uploads import guarded
from yingshang.trading import queries
from yingshang.trading import rules_announcements as ra
from yingshang.trading.api_schemas import (
    AnnouncementDetailOut,
    AnnouncementPageOut,
    ClarificationOut,
    DocumentOut,
    DownloadOut,
    Error,
    LotOut,
    ObjectionIn,
    ObjectionOut,
)
from yingshang.trading.models import DocumentObjection
from yingshang.trading.services import announcements, clarifications, downloads, termination

router = Router(tags=["公共资源交易：公告、招标文件、澄清、异议"])
ERRORS = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 422: Error}
Files = Annotated[list[UploadedFile], File(description="PDF 或 OFD（按内容识别），单个不超过上传限制")]
OptionalFile = Annotated[UploadedFile | None, File(description="修改后的招标文件（选填）")]




def announcement_out(a) -> dict:
    return {"id": a.pk, "lot_id": a.lot_id, "kind": a.kind, "kind_label": a.kind_label, "title": a.title,
            "published_at": a.published_at, "ends_at": a.ends_at, "lot_type": a.lot_type,
            "procedure": a.procedure_code, "procedure_name": a.procedure_name, "district": a.division_code,
            "tenderer_name": a.tenderer_name}


def document_out(d) -> dict:
    return {"id": d.pk, "title": d.title, "version": d.version, "sha256": d.sha256, "size": d.size,
            "current": d.current, "created_at": d.created_at}


def objection_out(o) -> dict:
    return {"id": o.pk, "lot_id": o.lot_id, "organization_name": o.organization_name, "text": o.text,
            "raised_at": o.raised_at, "answer_due": o.answer_due,
            "overdue": o.status == DocumentObjection.PENDING and ra.is_overdue(o.answer_due, clock.today()),
            "status": o.status, "status_label": o.status_label, "answer": o.answer, "answered_at": o.answered_at,
            "clarification_id": o.clarification_id, "row_version": o.row_version}


def clarification_out(c) -> dict:
    return {"id": c.pk, "text": c.text, "affects_preparation": c.affects_preparation,
            "document": document_out(c.document) if c.document else None, "deadline_before": c.deadline_before,
            "deadline_after": c.deadline_after, "moved": c.moved, "announcement_id": c.announcement_id,
            "issued_at": c.issued_at}


# --- Public -------------------------------------------------------------------------------------------
@router.get("/announcements", auth=None, response={200: AnnouncementPageOut, 400: Error, 422: Error},
            summary="交易公告列表（公开）",
            description="无需登录。按发布时间倒序，游标翻页（next_cursor）；可按公告类型、标段类型、交易方式、地区（行政区划代码）、"
                        "标题关键词筛选。公告中不含投标人名单和个人身份信息。")
def list_announcements(request, kind: Annotated[str, Query(max_length=20)] = "",
                       lot_type: Annotated[str, Query(max_length=10)] = "",
                       procedure: Annotated[str, Query(max_length=32)] = "",
                       district: Annotated[str, Query(max_length=6)] = "",
                       keyword: Annotated[str, Query(max_length=50)] = "",
                       cursor: Annotated[str, Query(max_length=64)] = "",
                       limit: Annotated[int, Query(ge=1, le=100)] = 20):
    page = announcements.public_list(cursor=cursor, limit=limit, kind=kind, lot_type=lot_type, procedure=procedure,
                                     district=district, keyword=keyword)
    return {"items": [announcement_out(a) for a in page.items], "next_cursor": page.next_cursor}


@router.get("/announcements/{announcement_id}", auth=None, response={200: AnnouncementDetailOut, 404: Error},
            summary="交易公告详情（公开）", description="含标段的发售期、投标截止时间和现行招标文件（名称、版本、SHA-256）。")
def get_announcement(request, announcement_id: int):
    a = announcements.public_detail(announcement_id)
    lot = a.lot
    return {**announcement_out(a), "body": a.body, "lot_status": lot.status, "sale_start": lot.sale_start,
            "sale_end": lot.sale_end, "bid_deadline": lot.bid_deadline,
            "documents": [document_out(d) for d in announcements.public_documents(lot)]}


# --- Tenderer / agency ----------------------------------------------------------------------------------
class AnnounceIn(Schema):
    row_version: int = Field(..., ge=1, le=2**31 - 1)
    title: str = Field(max_length=300)
    body: str = Field(max_length=20_000)
    sale_end: str = Field("", max_length=10, description="重新确定的文件发售截止日（选填）")
    bid_deadline: str = Field("", max_length=32, description="重新确定的投标截止时间（选填）")


@router.post("/lots/{lot_id}/announce", auth=signed_in, response={200: LotOut, **ERRORS},
             summary="发布招标公告并上传招标文件（招标人或代理机构）",
             description="multipart/form-data：files 为招标文件（可多个）。发布时按交易方式的时限重新校验期间"
                         "（自实际发出之日起算），违反时返回代码和依据（如 trading.deadline_too_soon）。")
@decorate_view(guarded)
def announce_lot(request, lot_id: int, payload: Form[AnnounceIn], files: Files):
    from yingshang.trading.api import lot_out

    queries.lot(request.user, lot_id)  # outside the scope: 404
    with transaction.atomic():
        announcements.do_announce(request.user, lot_id, payload.row_version, title=payload.title, body=payload.body,
                                  files=files, sale_end=payload.sale_end or None,
                                  bid_deadline=payload.bid_deadline or None)
    return lot_out(request.user, queries.lot(request.user, lot_id), with_timeline=True)


class TerminateIn(Schema):
    row_version: int = Field(..., ge=1, le=2**31 - 1)
    reason: str = Field(max_length=2000, description="终止理由（公开于终止公告）")


@router.post("/lots/{lot_id}/terminate", auth=signed_in, response={200: LotOut, **ERRORS},
             summary="终止招标（招标人或代理机构）",
             description="发布终止公告并通知已获取招标文件的潜在投标人（《招标投标法实施条例》第三十一条）。")
def terminate_lot(request, lot_id: int, body: TerminateIn):
    from yingshang.trading.api import lot_out

    queries.lot(request.user, lot_id)
    with transaction.atomic():
        termination.do_terminate(request.user, lot_id, body.row_version, reason=body.reason)
    return lot_out(request.user, queries.lot(request.user, lot_id), with_timeline=True)


@router.get("/lots/{lot_id}/downloads", auth=signed_in, response={200: list[DownloadOut], **ERRORS},
            summary="招标文件下载记录（招标人、代理机构、交易中心）")
def lot_downloads(request, lot_id: int):
    lot = queries.lot(request.user, lot_id)
    return [{"id": d.pk, "document_id": d.document_id, "document_title": d.document.title,
             "version": d.document.version, "uscc": d.uscc, "organization_name": d.organization_name,
             "sha256": d.sha256, "downloaded_at": d.downloaded_at} for d in downloads.downloaders(request.user, lot)]


class ClarifyIn(Schema):
    row_version: int = Field(..., ge=1, le=2**31 - 1)
    text: str = Field(max_length=10_000)
    affects_preparation: bool = Field(True, description="可能影响投标文件编制：截止前不足15日（资格预审3日）时截止时间顺延")
    document_title: str = Field("", max_length=150)


@router.post("/lots/{lot_id}/clarifications", auth=signed_in, response={201: ClarificationOut, **ERRORS},
             summary="澄清或修改招标文件",
             description="multipart/form-data；file 为修改后的招标文件（选填）。发布澄清公告并通知全部下载人。")
@decorate_view(guarded)
def clarify(request, lot_id: int, payload: Form[ClarifyIn], file: OptionalFile = None):
    queries.lot(request.user, lot_id)
    with transaction.atomic():
        item = clarifications.do_clarify(request.user, lot_id, payload.row_version, text=payload.text,
                                         affects_preparation=payload.affects_preparation, upload=file,
                                         document_title=payload.document_title)
    return Status(201, clarification_out(item))


@router.get("/lots/{lot_id}/clarifications", auth=signed_in, response={200: list[ClarificationOut], **ERRORS},
            summary="标段的澄清和修改")
def list_clarifications(request, lot_id: int):
    lot = _visible_lot(request.user, lot_id)
    return [clarification_out(c) for c in lot.clarifications.select_related("document").order_by("issued_at", "pk")]


class AnswerIn(Schema):
    row_version: int = Field(..., ge=1, le=2**31 - 1)
    answer: str = Field(max_length=10_000)
    publish: bool = Field(False, description="同时发布异议答复公告（不含异议人名称）")
    changes_documents: bool = Field(False, description="答复修改招标文件：同时发出澄清或修改")
    clarification_text: str = Field("", max_length=10_000)
    affects_preparation: bool = True


@router.post("/objections/{objection_id}/answer", auth=signed_in, response={200: ObjectionOut, **ERRORS},
             summary="答复招标文件异议（招标人或代理机构）", description="multipart/form-data；答复修改招标文件时可附 file。")
@decorate_view(guarded)
def answer_objection(request, objection_id: int, payload: Form[AnswerIn], file: OptionalFile = None):
    with transaction.atomic():
        item = clarifications.do_answer_objection(
            request.user, objection_id, payload.row_version, answer=payload.answer, publish=payload.publish,
            changes_documents=payload.changes_documents, clarification_text=payload.clarification_text,
            affects_preparation=payload.affects_preparation, upload=file)
    return objection_out(item)


@router.get("/objections", auth=signed_in, response={200: list[ObjectionOut], **ERRORS},
            summary="待答复的招标文件异议（交易中心）", description="overdue=true 只列超过答复期限（3日）仍未答复的。")
def list_pending_objections(request, overdue: bool = False):
    return [objection_out(o) for o in clarifications.pending_objections(request.user, overdue_only=overdue)[:200]]


# --- Bidders --------------------------------------------------------------------------------------------
def _visible_lot(user, lot_id):
    from yingshang.kernel import access
    from yingshang.trading.services import common

    if access.has_perm(user, common.DOWNLOAD):
        return downloads.open_lot(lot_id)
    return queries.lot(user, lot_id)


@router.get("/lots/{lot_id}/documents", auth=signed_in, response={200: list[DocumentOut], **ERRORS},
            summary="标段的现行招标文件")
def lot_documents(request, lot_id: int):
    return [document_out(d) for d in announcements.public_documents(_visible_lot(request.user, lot_id))]


@router.get("/documents/{document_id}/download", auth=signed_in, response={200: None, **ERRORS},
            summary="下载招标文件（投标人，免费）",
            description="发售期内（已下载过的单位至投标截止前）；下载前按招标投标场景核查信用，被列入联合惩戒名单的返回 "
                        "403 trading.credit_barred。每次下载记录单位、时间和文件 SHA-256。")
def download_document(request, document_id: int):
    document = downloads.check_download(request.user, document_id)
    with transaction.atomic():
        refusal = downloads.screen(request.user, document.lot)
    if refusal:
        raise refusal  # after the commit: the hit and the 反馈 stay recorded
    with transaction.atomic():
        document, data = downloads.do_download(request.user, document_id, screened=True)
    return file_response(document, data)


def file_response(document, data: bytes) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(data, content_type=document.file.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(document.file.original_name)}"
    response["X-Content-SHA256"] = document.sha256
    response["X-Content-Type-Options"] = "nosniff"
    return response


@router.post("/lots/{lot_id}/objections", auth=signed_in, response={201: ObjectionOut, **ERRORS},
             summary="对招标文件提出异议（已下载的投标人）",
             description="截止时间10日前（资格预审文件2日前）提出；提出后标段暂停，招标人3日内答复。")
def file_objection(request, lot_id: int, body: ObjectionIn):
    downloads.open_lot(lot_id)
    with transaction.atomic():
        item = clarifications.do_file_objection(request.user, lot_id, text=body.text)
    return Status(201, objection_out(item))


@router.get("/lots/{lot_id}/objections", auth=signed_in, response={200: list[ObjectionOut], **ERRORS},
            summary="标段的招标文件异议（招标人和中心：全部；投标人：本单位的）")
def lot_objections(request, lot_id: int):
    lot = _visible_lot(request.user, lot_id)
    return [objection_out(o) for o in clarifications.objections_for(request.user, lot)]
