"""The online-application API (网上申报) under /api/v1/cases: the applicant's drafts (form, uploads,
library files and e-licences as materials, resubmission), "My cases", the material library, and the
window's pre-review (网上预审). Mounted by `cases/api.py`.

Another applicant's draft is 404 `case.not_found`; staff without `cases.apply` get 403. Uploads are
multipart; a broken body is 400 `upload.bad_request`, an oversized one 413 `upload.request_too_large`
or 400 `upload.too_large`, a wrong type 400 `case.upload_rejected` (details per file) — never a 500.
"""

from __future__ import annotations

from typing import Annotated

from django.db import transaction
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.decorators import decorate_view

from yingshang.cases import queries_applicant
from yingshang.cases.api_schemas import MAX_ID, CaseOut, CorrectionItemIn, Error, VersionIn
from yingshang.cases.queries import MAX_CURSOR_CHARS
from yingshang.cases.services import applications, common, library, online, prereview
from yingshang.kernel.api.auth import signed_in
from yingshang.kernel.api.uploads import guarded
from yingshang.kernel.errors import InvalidInput

router = Router(tags=["网上申报"], auth=signed_in)
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error, 413: Error, 422: Error}


# --- Schemas ---------------------------------------------------------------------------------------
class FormIn(Schema):
    contact_name: str = Field(default="", max_length=50, description="联系人")
    contact_phone: str = Field(default="", max_length=20, description="联系电话（手机号）")
    address: str = Field(default="", max_length=200, description="通讯地址")
    description: str = Field(default="", max_length=2000, description="申请事项说明")


class FormUpdateIn(VersionIn):
    form: FormIn


class LibraryPickIn(VersionIn):
    entry_id: int = Field(ge=1, le=MAX_ID, description="材料库文件编号（见 GET /my/library）")


class LicencePickIn(VersionIn):
    licence_id: str = Field(min_length=1, max_length=64, description="电子证照标识（见 GET /my/licences）")


class ResubmitIn(VersionIn):
    note: str = Field(default="", max_length=500, description="补正说明")


class PassIn(VersionIn):
    note: str = Field(default="", max_length=500, description="预审意见")


class ReturnIn(VersionIn):
    items: list[CorrectionItemIn] = Field(min_length=1, max_length=100,
                                          description="需要补正的全部内容（一次性告知）：按材料逐项写明，"
                                                      "material_id 为空表示总体意见")


class FileOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    sha256: str
    download_url: str


class MaterialOut(Schema):
    material_id: int
    name: str
    required: bool
    pending_allowed: bool
    from_library: bool
    elicense_type: str
    status: str
    source: str
    note: str
    file: FileOut | None = None
    elicense_id: str
    elicense_number: str


class ApplicationOut(Schema):
    id: int
    case_no: str | None
    row_version: int
    status: str
    status_label: str
    item_code: str
    item_name: str
    channel: str
    form: dict
    materials: list[MaterialOut]
    missing: list[str] = Field(description="提交前仍须提供的必需材料")
    prereviews: list[dict]


class MyCaseOut(Schema):
    id: int
    case_no: str | None
    row_version: int
    status: str
    status_label: str
    item_code: str
    item_name: str
    department: str
    deadline: str | None
    deadline_provisional: bool
    warning: str
    last_event: str | None
    last_event_at: str | None


class MyCasePageOut(Schema):
    items: list[MyCaseOut]
    next_cursor: str | None


class LibraryEntryOut(Schema):
    id: int
    material_name: str
    created_at: str
    last_used_at: str | None
    file: FileOut


class LicenceOut(Schema):
    id: str
    name: str
    number: str
    holder_name: str
    issuer_name: str
    issued_on: str
    valid_until: str | None


# --- Presentation ----------------------------------------------------------------------------------
def _file(stored) -> dict | None:
    if stored is None:
        return None
    return {"id": stored.pk, "name": stored.original_name, "size": stored.size, "content_type": stored.content_type,
            "sha256": stored.sha256, "download_url": reverse("cases:file", kwargs={"file_id": stored.pk})}


def application(user, case_id: int) -> dict:
    case = queries_applicant.own_case(user, case_id=case_id)
    rows = list(case.materials.all())
    return {
        "id": case.pk, "case_no": case.case_no, "row_version": case.row_version, "status": case.status,
        "status_label": case.status_label, "item_code": case.item.code, "item_name": case.item_name,
        "channel": case.channel, "form": online.form_data(case),
        "materials": [{"material_id": m.material_id, "name": m.name, "required": m.required,
                       "pending_allowed": m.pending_allowed, "from_library": m.material.from_library,
                       "elicense_type": m.material.elicense_type, "status": m.status, "source": m.source, "note": m.note,
                       "file": _file(m.file), "elicense_id": m.elicense_id, "elicense_number": m.elicense_number}
                      for m in rows],
        "missing": [m.name for m in applications.missing_required(rows)],
        "prereviews": [{"outcome": r.outcome, "note": r.note, "items": r.items, "at": r.at.isoformat()}
                       for r in case.prereviews.all()],
    }




def _update(request, draft_id: int, row_version: int, changes: online.Changes) -> dict:
    with transaction.atomic():
        online.do_update(request.user, draft_id, row_version, changes)
    return application(request.user, draft_id)


# --- The applicant's drafts ---------------------------------------------------------------------------
@router.get("/drafts/{draft_id}", response={200: ApplicationOut, **ERRORS}, summary="查看本人的申请（草稿或待补正）",
            description="表单、每项材料的提供情况（文件、材料库、电子证照）、提交前仍缺的必需材料和预审意见。")
def get_draft(request, draft_id: int):
    online.own_case(request.user, draft_id)
    return application(request.user, draft_id)


@router.put("/drafts/{draft_id}/form", response={200: ApplicationOut, **ERRORS}, summary="保存申请表单")
def save_form(request, draft_id: int, body: FormUpdateIn):
    return _update(request, draft_id, body.row_version, online.Changes(form=body.form.dict()))


@router.post("/drafts/{draft_id}/files", response={200: ApplicationOut, **ERRORS}, summary="上传材料文件",
             description="multipart/form-data：material_id 与 file 一一对应，可一次上传多项材料；"
                         "全部通过检查才保存（全有或全无）。接受 PDF、JPG、PNG、OFD（按文件内容识别），"
                         "单个文件不超过 UPLOAD_MAX_BYTES（默认 20 MB）。")
@decorate_view(guarded)
def upload_files(request, draft_id: int, row_version: Form[int], material_id: Form[list[int]],
                 file: File[list[UploadedFile]], keep_in_library: Form[bool] = True):
    online.own_case(request.user, draft_id)
    if len(material_id) != len(file):
        raise InvalidInput("case.upload_mismatch", "material_id 与 file 的数量须一致（每个文件对应一项材料）",
                           details={"material_ids": len(material_id), "files": len(file)})
    changes = online.Changes(uploads=dict(zip(material_id, file, strict=True)), keep=keep_in_library)
    if len(changes.uploads) != len(file):
        raise InvalidInput("case.material_twice", "同一材料一次只能上传一个文件", details={"field": "material_id"})
    return _update(request, draft_id, row_version, changes)


@router.post("/drafts/{draft_id}/materials/{material_id}/library", response={200: ApplicationOut, **ERRORS},
             summary="从材料库选取材料", description="事项材料须标明可从材料库复用。")
def pick_library(request, draft_id: int, material_id: int, body: LibraryPickIn):
    return _update(request, draft_id, body.row_version, online.Changes(library={material_id: body.entry_id}))


@router.post("/drafts/{draft_id}/materials/{material_id}/licence", response={200: ApplicationOut, **ERRORS},
             summary="以电子证照作为材料", description="事项材料须标明可用的电子证照类型；记录证照标识和编号。")
def pick_licence(request, draft_id: int, material_id: int, body: LicencePickIn):
    return _update(request, draft_id, body.row_version, online.Changes(licences={material_id: body.licence_id}))


@router.post("/drafts/{draft_id}/materials/{material_id}/clear", response={200: ApplicationOut, **ERRORS},
             summary="撤下已提供的材料")
def clear_material(request, draft_id: int, material_id: int, body: VersionIn):
    return _update(request, draft_id, body.row_version, online.Changes(clear=[material_id]))


@router.post("/drafts/{draft_id}/resubmit", response={200: ApplicationOut, **ERRORS}, summary="提交补正",
             description="按一次性告知补正后重新提交：需补正的材料均须已重新提供。")
def resubmit(request, draft_id: int, body: ResubmitIn):
    online.own_case(request.user, draft_id)
    with transaction.atomic():
        online.do_resubmit(request.user, draft_id, body.row_version, note=body.note)
    return application(request.user, draft_id)


# --- My cases, library, e-licences ----------------------------------------------------------------------
@router.get("/my/cases", response={200: MyCasePageOut, **ERRORS}, summary="我的办件",
            description="本人的申请（含草稿），新申请在前；含状态、办结期限（deadline_provisional 表示临时推算）、"
                        "预警和最新动态。游标分页：把 next_cursor 作为 cursor 传回。")
def my_cases(request, cursor: Annotated[str | None, Query(max_length=MAX_CURSOR_CHARS)] = None,
             limit: Annotated[int, Query(ge=1, le=100)] = 20):
    common.check_perm(request.user, common.APPLY)
    rows, next_cursor = queries_applicant.my_cases_page(request.user, cursor, limit)
    return {"next_cursor": next_cursor, "items": [{
        "id": c.pk, "case_no": c.case_no, "row_version": c.row_version, "status": c.status, "status_label": c.status_label,
        "item_code": c.item.code, "item_name": c.item_name, "department": c.department.name,
        "deadline": c.deadline.isoformat() if c.deadline else None, "deadline_provisional": c.deadline_provisional,
        "warning": c.warning, "last_event": c.last_event_text,
        "last_event_at": c.last_event_at.isoformat() if c.last_event_at else None} for c in rows]}


@router.get("/my/library", response={200: list[LibraryEntryOut], **ERRORS}, summary="我的材料库")
def my_library(request):
    common.check_perm(request.user, common.APPLY)
    return [{"id": e.pk, "material_name": e.material_name, "created_at": e.created_at.isoformat(),
             "last_used_at": e.last_used_at.isoformat() if e.last_used_at else None, "file": _file(e.file)}
            for e in library.entries(request.user)[: library.MAX_ENTRIES]]


@router.delete("/my/library/{entry_id}", response={204: None, **ERRORS}, summary="从材料库删除",
               description="已提交的申请仍保留该文件；没有申请使用的文件随之删除。")
def delete_library_entry(request, entry_id: int):
    common.check_perm(request.user, common.APPLY)
    with transaction.atomic():
        library.do_delete_entry(request.user, entry_id)
    return Status(204, None)


@router.get("/my/licences", response={200: list[LicenceOut], **ERRORS}, summary="我的有效电子证照",
            description="可作为申请材料使用的电子证照（未注销、未过期）。")
def my_licences(request):
    common.check_perm(request.user, common.APPLY)
    return [{"id": str(lic.id), "name": lic.name, "number": lic.number, "holder_name": lic.holder_name,
             "issuer_name": lic.issuer_name, "issued_on": lic.issued_on.isoformat(),
             "valid_until": lic.valid_until.isoformat() if lic.valid_until else None}
            for lic in library.holder_licences(request.user)]


# --- Pre-review by the window --------------------------------------------------------------------------
def _prereview(request, case_no: str, func, row_version: int, **kwargs) -> dict:
    from yingshang.cases.api import _detail

    case = common.get_case(case_no)
    with transaction.atomic():
        func(request.user, case.pk, row_version, **kwargs)
    return _detail(request.user, case.case_no)


@router.post("/{case_no}/prereview/pass", response={200: CaseOut, **ERRORS}, summary="网上预审通过",
             description="窗口人员预审待受理的网上申请：通过（不改变状态，告知申请人等待受理）。每轮补正后只能通过一次。")
def prereview_pass(request, case_no: str, body: PassIn):
    return _prereview(request, case_no, prereview.do_pass, body.row_version, note=body.note)


@router.post("/{case_no}/prereview/return", response={200: CaseOut, **ERRORS}, summary="网上预审退回补正",
             description="一次性告知需要补正的全部内容（按材料逐项并可附总体意见），出具补正材料通知书；"
                         "须在收件后 5 个工作日内（行政许可法第三十二条）。")
def prereview_return(request, case_no: str, body: ReturnIn):
    return _prereview(request, case_no, prereview.do_return, body.row_version,
                      items=[(i.material_id, i.problem) for i in body.items])

