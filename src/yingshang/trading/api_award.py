"""The award (§8) and complaint (§9) endpoints on the trading router (/api/v1/trading/...): publicity,
objections, the award decision and draw, contract upload, certificate, archive (ZIP), the bidder's
results, complaints and their handling, and the public results and decisions (no sign-in)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.db import transaction
from django.http import HttpResponse
from ninja import File, Form, Query, Status, UploadedFile
from ninja.decorators import decorate_view

from yingshang.kernel import clock
from yingshang.kernel.api.uploads import guarded
from yingshang.trading import queries_award
from yingshang.trading.api import ERRORS, Limit, Offset, router
from yingshang.trading.api_schemas_award import (
    AcceptComplaintIn,
    AnswerIn,
    ArchiveIn,
    AwardFileOut,
    AwardIn,
    ClockStopIn,
    ComplaintActIn,
    ComplaintOut,
    ContractDueOut,
    DecideIn,
    MyResultOut,
    ObjectionIn,
    PublicComplaintOut,
    PublicityIn,
    PublicResultOut,
    PublicResultPageOut,
    RejectComplaintIn,
)
from yingshang.trading.services import archive, award, complaints, contracts, publicity


def _file(request, lot_id: int, call) -> dict:
    queries_award.lot_for(request.user, lot_id)  # outside the scope: 404, as for reading
    with transaction.atomic():
        call()
    return queries_award.award_file(request.user, queries_award.lot_for(request.user, lot_id))


@router.get("/lots/{lot_id}/award", response={200: AwardFileOut, **ERRORS}, summary="标段的定标档案",
            description="中标候选人（名称、报价、优势与风险）、公示、异议、抽签承诺、定标结果、合同、交易凭证和归档清单。")
def get_award_file(request, lot_id: int):
    return queries_award.award_file(request.user, queries_award.lot_for(request.user, lot_id))


@router.post("/lots/{lot_id}/publicity", response={200: AwardFileOut, **ERRORS}, summary="公示中标候选人（招标人或代理机构）",
             description="收到评标报告3日内公示，公示期不少于3日（trading.publicity_late / _too_short）；评标中 → 公示中。")
def publish_candidates(request, lot_id: int, body: PublicityIn):
    return _file(request, lot_id, lambda: publicity.do_publish(request.user, lot_id, body.row_version, ends_on=body.ends_on,
                                                               award_method=body.award_method))


@router.post("/lots/{lot_id}/result-objections", response={200: AwardFileOut, **ERRORS}, summary="对评标结果提出异议（投标人）",
             description="公示期内提出；答复前暂停定标（实施条例第五十四条）。")
def raise_objection(request, lot_id: int, body: ObjectionIn):
    return _file(request, lot_id, lambda: publicity.do_object(request.user, lot_id, content=body.content))


@router.post("/result-objections/{objection_id}/answer", response={200: AwardFileOut, **ERRORS}, summary="答复异议（3日内）")
def answer_objection(request, objection_id: int, body: AnswerIn):
    with transaction.atomic():
        objection = publicity.do_answer(request.user, objection_id, body.row_version, answer=body.answer)
    return queries_award.award_file(request.user, queries_award.lot_for(request.user, objection.lot_id))


@router.post("/lots/{lot_id}/award/draw", response={200: AwardFileOut, **ERRORS}, summary="抽签定标：生成并公布随机种子承诺",
             description="定标前公布种子的 SHA-256 与候选人池；定标时公开种子，任何人可复算。")
def commit_draw(request, lot_id: int):
    return _file(request, lot_id, lambda: award.do_commit_draw(request.user, lot_id))


@router.post("/lots/{lot_id}/award", response={200: AwardFileOut, **ERRORS}, summary="定标（招标人定标委员会）",
             description="按招标文件载明的方法在候选人中确定中标人：公示期满、无待答复异议、收到评标报告20日内；"
                         "中标人须通过信用核查（trading.credit_barred）。发出中标通知书（PDF）和结果通知，公告结果。")
def decide_award(request, lot_id: int, body: AwardIn):
    return _file(request, lot_id, lambda: award.do_award(
        request.user, lot_id, body.row_version, members=[m.model_dump() for m in body.members], reasons=body.reasons,
        winner_id=body.winner_id))


@router.post("/lots/{lot_id}/contract", response={200: AwardFileOut, **ERRORS}, summary="上传已签订的合同",
             description="multipart/form-data：row_version、signed_on、price（可选）、file（PDF/JPG/PNG/OFD）。"
                         "中标通知书发出30日内（《招标投标法》第四十六条）；已定标 → 已签订合同，并触发保证金退还。")
@decorate_view(guarded)
def upload_contract(request, lot_id: int, row_version: Form[int], signed_on: Form[dt.date], file: File[UploadedFile],
                    price: Form[str] = ""):
    return _file(request, lot_id, lambda: contracts.do_sign(request.user, lot_id, row_version, signed_on=signed_on,
                                                            upload=file, price=price or None))


@router.get("/contracts/due", response={200: list[ContractDueOut], **ERRORS}, summary="待签合同及期限（交易中心）")
def contracts_due(request, overdue: bool = False, limit: Limit = 100, offset: Offset = 0):
    rows = contracts.overdue(request.user, only_overdue=overdue)[offset:offset + limit]
    return [{"lot_id": d.lot_id, "project_name": d.lot.project.name, "lot_name": d.lot.name, "winner_name": d.winner_name,
             "notice_on": d.notice_on, "contract_due": d.contract_due, "overdue": clock.today() > d.contract_due}
            for d in rows]


@router.post("/lots/{lot_id}/certificate", response={200: AwardFileOut, **ERRORS}, summary="出具交易凭证（交易中心）",
             description="PDF，二维码指向公开核验页 /verify/<核验码>/（显示文件 SHA-256 与状态）。")
def issue_certificate(request, lot_id: int):
    return _file(request, lot_id, lambda: contracts.do_issue_certificate(request.user, lot_id))


@router.post("/lots/{lot_id}/archive", response={200: AwardFileOut, **ERRORS}, summary="归档（交易中心）",
             description="已签合同、流标或终止的标段：清单含每份文件的 SHA-256，清单摘要写入审计链；归档后不可修改。")
def archive_lot(request, lot_id: int, body: ArchiveIn):
    return _file(request, lot_id, lambda: archive.do_archive(request.user, lot_id, body.row_version))


@router.get("/lots/{lot_id}/archive.zip", response={200: bytes, **ERRORS}, summary="下载交易档案（ZIP，含清单）")
def download_archive(request, lot_id: int):
    found = archive.archive_of(request.user, lot_id)
    response = HttpResponse(archive.zip_bytes(found), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="lot-{lot_id}-archive.zip"'
    return response


@router.get("/my/results", response={200: list[MyResultOut], **ERRORS}, summary="我的投标结果（投标人）")
def my_results(request):
    return queries_award.my_results(request.user)


# --- Complaints ------------------------------------------------------------------------------------------
def complaint_out(c) -> dict:
    overdue = complaints.overdue_of(c)
    return {"id": c.pk, "row_version": c.row_version, "lot_id": c.lot_id, "project_name": c.lot.project.name,
            "lot_name": c.lot.name, "regulator_name": c.regulator.name, "complainant_name": c.complainant_name,
            "matter": c.matter, "matter_label": c.matter_label, "facts": c.facts, "grounds": c.grounds,
            "request": c.request, "known_on": c.known_on, "received_on": c.received_on, "accept_by": c.accept_by,
            "accepted_on": c.accepted_on, "decide_by": c.decide_by, "status": c.status, "status_label": c.status_label,
            "suspends_procedure": c.suspends_procedure, "outcome": c.outcome, "decision": c.decision,
            "decided_on": c.decided_on, "malicious": c.malicious, "malicious_reason": c.malicious_reason,
            "overdue": f"{overdue.label}（期限 {overdue.due:%Y-%m-%d}）" if overdue else None,
            "evidence": [{"title": e.title, "file_name": e.file.original_name, "sha256": e.file.sha256}
                         for e in c.evidence.all()],
            "clock_stops": [{"kind": s.kind, "from_date": s.from_date, "to_date": s.to_date, "reason": s.reason}
                            for s in c.clock_stops.all()]}


@router.post("/lots/{lot_id}/complaints", response={201: ComplaintOut, **ERRORS}, summary="提出投诉（投标人，在线）",
             description="multipart/form-data：matter、known_on、facts、grounds、request、prior_objection_on（第二十二、"
                         "四十四条事项），evidence（文件，可多份）与 evidence_title（名称，与文件一一对应）。"
                         "知道或应当知道之日起10日内（trading.complaint_too_late）；须先异议的事项未异议：trading.objection_first。")
@decorate_view(guarded)
def file_complaint(request, lot_id: int, matter: Form[str], known_on: Form[str], facts: Form[str], grounds: Form[str],
                   prior_objection_on: Form[str] = "",
                   evidence: File[list[UploadedFile]] = None, evidence_title: Form[list[str]] = None):
    files, titles = list(evidence or []), list(evidence_title or [])
    # The template's field "request" (投诉请求) is named like the handler's argument: read from the form.
    data = {"matter": matter, "known_on": known_on, "facts": facts, "grounds": grounds,
            "request": request.POST.get("request", ""),
            "prior_objection_on": prior_objection_on or None}
    with transaction.atomic():
        c = complaints.do_file(request.user, lot_id, data,
                               [(titles[i] if i < len(titles) else "", f) for i, f in enumerate(files)])
    return Status(201, complaint_out(complaints.complaint(request.user, c.pk)))


@router.get("/complaints", response={200: list[ComplaintOut], **ERRORS}, summary="投诉列表（按权限范围，含期限与超期）",
            description="行业监督部门本行业的投诉，投标人本单位的投诉，交易中心全部；status=filed 为待受理队列，"
                        "overdue=true 为受理或处理决定已超期的投诉。")
def list_complaints(request, status: Annotated[str, Query(max_length=16)] = "", overdue: bool = False,
                    limit: Limit = 50, offset: Offset = 0):
    queryset = complaints.complaints_for(request.user).prefetch_related("evidence__file", "clock_stops")
    if status:
        queryset = queryset.filter(status=status)
    if overdue:
        queryset = queryset.filter(complaints.overdue_filter(clock.today()))
    return [complaint_out(c) for c in queryset.order_by("accept_by", "pk")[offset:offset + limit]]


@router.get("/complaints/malicious", response={200: list[ComplaintOut], **ERRORS}, summary="恶意投诉记录（信用工作人员）")
def list_malicious(request, limit: Limit = 50, offset: Offset = 0):
    return [complaint_out(c) for c in complaints.malicious(request.user).prefetch_related("evidence__file", "clock_stops")
            [offset:offset + limit]]


@router.get("/complaints/{complaint_id}", response={200: ComplaintOut, **ERRORS}, summary="投诉详情")
def get_complaint(request, complaint_id: int):
    return complaint_out(complaints.complaint(request.user, complaint_id))


def _handle(request, complaint_id: int, call) -> dict:
    complaints.complaint(request.user, complaint_id)
    with transaction.atomic():
        call()
    return complaint_out(complaints.complaint(request.user, complaint_id))


@router.post("/complaints/{complaint_id}/accept", response={200: ComplaintOut, **ERRORS}, summary="受理投诉（3个工作日内）")
def accept_complaint(request, complaint_id: int, body: AcceptComplaintIn):
    return _handle(request, complaint_id, lambda: complaints.do_accept(
        request.user, complaint_id, body.row_version, note=body.note, suspend=body.suspend))


@router.post("/complaints/{complaint_id}/reject", response={200: ComplaintOut, **ERRORS}, summary="不予受理（说明理由）")
def reject_complaint(request, complaint_id: int, body: RejectComplaintIn):
    return _handle(request, complaint_id, lambda: complaints.do_reject(request.user, complaint_id, body.row_version,
                                                                       reason=body.reason))


@router.post("/complaints/{complaint_id}/suspend", response={200: ComplaintOut, **ERRORS}, summary="责令暂停招标投标活动")
def suspend_procedure(request, complaint_id: int, body: ComplaintActIn):
    return _handle(request, complaint_id, lambda: complaints.do_suspend_procedure(request.user, complaint_id,
                                                                                  body.row_version))


@router.post("/complaints/{complaint_id}/clock-stops", response={200: ComplaintOut, **ERRORS},
             summary="暂停计时（检验检测、鉴定、专家评审）", description="所需时间不计入30个工作日（实施条例第六十一条）。")
def stop_clock(request, complaint_id: int, body: ClockStopIn):
    return _handle(request, complaint_id, lambda: complaints.do_stop_clock(
        request.user, complaint_id, body.row_version, kind=body.kind, reason=body.reason))


@router.post("/complaints/{complaint_id}/resume", response={200: ComplaintOut, **ERRORS}, summary="恢复计时")
def resume_clock(request, complaint_id: int, body: ComplaintActIn):
    return _handle(request, complaint_id, lambda: complaints.do_resume_clock(request.user, complaint_id, body.row_version))


@router.post("/complaints/{complaint_id}/withdraw", response={200: ComplaintOut, **ERRORS}, summary="撤回投诉（投诉人）")
def withdraw_complaint(request, complaint_id: int, body: ComplaintActIn):
    return _handle(request, complaint_id, lambda: complaints.do_withdraw(request.user, complaint_id, body.row_version))


@router.post("/complaints/{complaint_id}/decide", response={200: ComplaintOut, **ERRORS}, summary="作出处理决定（并公开）",
             description="30个工作日内；决定后解除暂停；malicious=true 记为恶意投诉（处理结果须为不成立）。")
def decide_complaint(request, complaint_id: int, body: DecideIn):
    return _handle(request, complaint_id, lambda: complaints.do_decide(
        request.user, complaint_id, body.row_version, outcome=body.outcome, decision=body.decision,
        malicious=body.malicious, malicious_reason=body.malicious_reason))


# --- Public (no sign-in) ---------------------------------------------------------------------------------
@router.get("/public/results", response={200: PublicResultPageOut, **ERRORS}, auth=None, summary="中标候选人公示与中标结果公告",
            description="公示中与已定标标段：候选人名称与报价、中标人与中标价。不含证件号码。无需登录。")
def public_results(request, limit: Limit = 20, offset: Offset = 0):
    queryset = queries_award.public_lots()
    return {"items": [queries_award.public_result(lot) for lot in queryset[offset:offset + limit]],
            "total": queryset.count()}


@router.get("/public/results/{lot_id}", response={200: PublicResultOut, **ERRORS}, auth=None, summary="公示与结果详情")
def public_result(request, lot_id: int):
    return queries_award.public_result(queries_award.public_lot(lot_id))


@router.get("/public/complaints", response={200: list[PublicComplaintOut], **ERRORS}, auth=None,
            summary="投诉处理决定公开")
def public_complaints(request, limit: Limit = 20, offset: Offset = 0):
    return [{"id": c.pk, "complainant_name": c.complainant_name, "project_name": c.lot.project.name,
             "lot_name": c.lot.name, "regulator_name": c.regulator.name, "matter_label": c.matter_label,
             "outcome_label": c.outcome_label, "decision": c.decision, "decided_on": c.decided_on,
             "malicious": c.malicious} for c in complaints.published()[offset:offset + limit]]
