"""The trading API under /api/v1/trading: procedures, must-tender check, projects with lots, the lots'
timeline, and entry registration (submit, withdraw; the centre accepts or returns).

Errors are `{"code", "message", "details"}` with 400 (bad input), 403, 404, 409 or 422.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db import transaction
from ninja import Query, Router

from yingshang.kernel import clock
from yingshang.kernel.api.auth import signed_in
from yingshang.trading import queries, rules
from yingshang.trading.api_schemas import (
    ERRORS,
    AcceptIn,
    Limit,
    LotOut,
    LotPageOut,
    LotStatus,
    LotUpdateIn,
    MustTenderOut,
    Offset,
    ProcedureOut,
    ProjectIn,
    ProjectOut,
    ProjectPageOut,
    ReturnIn,
    VersionIn,
)
from yingshang.trading.models import Lot
from yingshang.trading.services import common, lots, projects, rulebook

router = Router(tags=["公共资源交易"], auth=signed_in)


def _money(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def lot_out(user, lot: Lot, *, with_timeline: bool = False) -> dict:
    return {"id": lot.pk, "row_version": lot.row_version, "project_id": lot.project_id, "project_name": lot.project.name,
            "seq": lot.seq, "name": lot.name, "procedure": lot.procedure.code, "procedure_name": lot.procedure.name,
            "lot_type": lot.lot_type, "estimated_price": _money(lot.estimated_price),
            "ceiling_price": _money(lot.ceiling_price), "qualification": lot.qualification,
            "sale_start": lot.sale_start, "sale_end": lot.sale_end, "bid_deadline": lot.bid_deadline,
            "must_tender": lot.must_tender, "must_tender_note": lot.must_tender_note, "status": lot.status,
            "status_label": lot.status_label, "next_check": lot.next_check, "submitted_at": lot.submitted_at,
            "decided_at": lot.decided_at, "decision_note": lot.decision_note,
            "regulator": lot.project.regulator.code, "regulator_name": lot.project.regulator.name,
            "allowed_actions": queries.allowed_actions(user, lot),
            "timeline": [vars(p) for p in queries.timeline(lot)] if with_timeline else []}


def project_out(user, project) -> dict:
    return {"id": project.pk, "name": project.name, "approval_no": project.approval_no,
            "tenderer_name": project.tenderer_name, "tenderer_uscc": project.tenderer_uscc,
            "agency_name": project.agency_name, "agency_uscc": project.agency_uscc,
            "regulator": project.regulator.code, "regulator_name": project.regulator.name,
            "division_code": project.division_code, "funding_source": project.funding_source,
            "created_at": project.created_at,
            "lots": [lot_out(user, _with_project(lot, project)) for lot in project.lots.all()]}


def _with_project(lot: Lot, project) -> Lot:
    lot.project = project  # already loaded: no query per lot
    return lot


@router.get("/procedures", response={200: list[ProcedureOut], **ERRORS}, summary="交易方式及其时限（施行中）",
            description="每种交易方式在指定日期（默认今天）施行的版本：文件发出至截止的最少天数、发售期、是否可资格预审、最少投标人数及依据。")
def list_procedures(request, on: Annotated[dt.date | None, Query(description="施行日期")] = None):
    common.check_perm(request.user, common.VIEW)
    return [{f: getattr(p, f) for f in ProcedureOut.model_fields} for p in rulebook.procedures_in_force(on or clock.today())]


@router.get("/must-tender", response={200: MustTenderOut, **ERRORS}, summary="是否依法必须招标",
            description="按《必须招标的工程项目规定》（发改委令第16号）在指定日期施行的规模标准判断；低于标准的不强制招标。")
def check_must_tender(request, lot_type: Annotated[str, Query(max_length=10)],
                      estimated_price: Annotated[str, Query(max_length=20)],
                      on: Annotated[dt.date | None, Query()] = None):
    common.check_perm(request.user, common.VIEW)
    kind = common.fields.choice(lot_type, "lot_type", "标段类型", rules.LOT_TYPES)
    amount = common.fields.amount(estimated_price, "estimated_price", "估算价", maximum=10**13)
    verdict = rulebook.must_tender(kind, amount, on or clock.today())
    return {"required": verdict.required, "threshold": _money(verdict.threshold), "source": verdict.source,
            "note": verdict.note}


@router.get("/projects", response={200: ProjectPageOut, **ERRORS}, summary="招标项目列表",
            description="按权限范围：交易中心全部，行业监督部门本行业，招标人及代理机构本单位的项目。")
def list_projects(request, limit: Limit = 20, offset: Offset = 0):
    queryset = queries.projects_for(request.user)
    return {"items": [project_out(request.user, p) for p in queryset[offset:offset + limit]],
            "total": queryset.count()}


@router.post("/projects", response={201: ProjectOut, **ERRORS}, summary="登记招标项目及标段",
             description="招标人或其代理机构登记项目和标段；期间按交易方式的时限校验（违反时返回代码和依据），"
                         "低于必须招标规模标准的标段照常登记并注明不强制招标。submit=true 时同时提交进场登记。")
def create_project(request, body: ProjectIn):
    data = body.model_dump()
    with transaction.atomic():
        project = projects.do_create_project(request.user, data, submit=data.pop("submit"))
    return 201, project_out(request.user, queries.project(request.user, project.pk))


@router.get("/projects/{project_id}", response={200: ProjectOut, **ERRORS}, summary="招标项目详情")
def get_project(request, project_id: int):
    return project_out(request.user, queries.project(request.user, project_id))


@router.get("/lots", response={200: LotPageOut, **ERRORS}, summary="标段列表",
            description="按权限范围；status=registered 即交易中心的进场登记待审队列。")
def list_lots(request, status: Annotated[LotStatus | None, Query()] = None, limit: Limit = 20, offset: Offset = 0):
    queryset = queries.lots_for(request.user, status or "")
    return {"items": [lot_out(request.user, lot) for lot in queryset[offset:offset + limit]], "total": queryset.count()}


@router.get("/lots/{lot_id}", response={200: LotOut, **ERRORS}, summary="标段详情及时间轴",
            description="含各期间（发售、澄清、异议、递交、开标、评标、公示、投诉、合同）的起止和依据，以及 next_check。")
def get_lot(request, lot_id: int):
    return lot_out(request.user, queries.lot(request.user, lot_id), with_timeline=True)


def _act(request, lot_id: int, call) -> dict:
    queries.lot(request.user, lot_id)  # outside the scope: 404, as for reading
    with transaction.atomic():
        call()
    return lot_out(request.user, queries.lot(request.user, lot_id), with_timeline=True)


@router.put("/lots/{lot_id}", response={200: LotOut, **ERRORS}, summary="修改标段（草稿或已退回，招标人或代理机构）",
            description="与登记时相同的校验；已提交、已进场的标段返回 409 trading.lot_not_editable。")
def update_lot(request, lot_id: int, body: LotUpdateIn):
    data = body.model_dump()
    version = data.pop("row_version")
    return _act(request, lot_id, lambda: projects.do_update_lot(request.user, lot_id, version, data))


@router.post("/lots/{lot_id}/submit", response={200: LotOut, **ERRORS}, summary="提交进场登记（招标人或代理机构）")
def submit_lot(request, lot_id: int, body: VersionIn):
    return _act(request, lot_id, lambda: lots.do_submit(request.user, lot_id, body.row_version))


@router.post("/lots/{lot_id}/withdraw", response={200: LotOut, **ERRORS}, summary="撤回标段（草稿或已退回）")
def withdraw_lot(request, lot_id: int, body: VersionIn):
    return _act(request, lot_id, lambda: lots.do_withdraw(request.user, lot_id, body.row_version))


@router.post("/lots/{lot_id}/accept", response={200: LotOut, **ERRORS}, summary="受理进场登记（交易中心）")
def accept_lot(request, lot_id: int, body: AcceptIn):
    return _act(request, lot_id, lambda: lots.do_accept(request.user, lot_id, body.row_version, body.note))


@router.post("/lots/{lot_id}/return", response={200: LotOut, **ERRORS}, summary="退回进场登记（交易中心，须说明理由）")
def return_lot(request, lot_id: int, body: ReturnIn):
    return _act(request, lot_id, lambda: lots.do_return(request.user, lot_id, body.row_version, body.reason))


# The endpoints of each part, on this router (imported last: they import `router` from here).
from yingshang.trading import api_award, api_bids, api_bonds, api_evaluation  # noqa: E402, F401


# Announcements, documents, downloads, clarifications, objections (issue 12 §2): trading/api_announcements.py.
def _mount_announcements() -> None:
    from yingshang.trading.api_announcements import router as announcements_router

    router.add_router("", announcements_router)


_mount_announcements()

# The opening hall (appended by the opening work): /lots/{lot_id}/opening…
from yingshang.trading import api_opening  # noqa: E402

router.add_router("", api_opening.router)

# --- Expert database and draw (issue 12 §6): trading/api_experts.py -------------------------------------
def _mount_experts() -> None:
    from yingshang.trading.api_experts import router as experts_router

    router.add_router("", experts_router)


_mount_experts()
