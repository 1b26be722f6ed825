"""Issuance and delivery API (under /api/v1/cases): issue the licence, record pickup or express, read the state.

Every action takes the `row_version` the caller saw (409 `case.conflict` when someone acted first).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from ninja import Field, Router, Schema

from yingshang.cases.api_schemas import Error, RowVersion
from yingshang.cases.models import Case
from yingshang.cases.services import common, issuance
from yingshang.kernel import access
from yingshang.kernel.api.auth import signed_in
from yingshang.kernel.errors import NotFound

router = Router(tags=["统一出件"], auth=signed_in)
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error, 422: Error}


class IssueIn(Schema):
    row_version: int = RowVersion
    valid_until: dt.date | None = Field(None, description="有效期截止日；留空按证照的法定有效期（无法定有效期的为长期）")
    result_name: str = Field("", max_length=200, description="证照名称；留空取事项的“办理结果”")


class PickupIn(Schema):
    row_version: int = RowVersion
    picked_up_by: str = Field(max_length=100, description="领取人姓名")
    id_number: str = Field(max_length=40, description="领取人证件号码（窗口核验证件后录入，仅保存脱敏形式）")


class ExpressIn(Schema):
    row_version: int = RowVersion
    carrier: str = Field(max_length=16, description="快递公司：ems chinapost sf jd zto yto sto yunda")
    tracking_no: str = Field(max_length=40, description="运单号（按快递公司的格式校验）")
    recipient: str = Field(max_length=100)
    phone: str = Field(max_length=20, description="收件人手机号码")
    address: str = Field(max_length=300)
    sent_at: dt.datetime | None = Field(None, description="寄出时间；留空为当前时间")


class IssuanceOut(Schema):
    result_name: str
    number: str = Field(description="证照编号：事项简码 + 年份 + 流水号")
    valid_from: dt.date
    valid_until: dt.date | None
    issuer: str
    issued_at: dt.datetime
    elicense_id: int | None
    verification_code: str
    decision_verification_code: str | None


class DeliveryOut(Schema):
    method: str = Field(description="pickup 窗口领取 · express 快递送达")
    method_label: str
    recorded_at: dt.datetime
    hall: str
    picked_up_by: str
    picked_up_id_masked: str
    by_agent: bool
    picked_up_at: dt.datetime | None
    carrier: str
    carrier_label: str
    tracking_no: str
    recipient: str
    address: str
    sent_at: dt.datetime | None


class IssuanceStateOut(Schema):
    case_no: str
    status: str
    status_label: str
    row_version: int
    issuance: IssuanceOut | None
    delivery: DeliveryOut | None


def _visible(user, case_no: str) -> Case:
    number = (case_no or "").strip().upper()[:24]
    case = Case.objects.filter(common.visible_q(user), case_no=number).first() if number else None
    if case is None:
        raise NotFound("case.not_found", f"没有编号为“{number or case_no}”的办件，或您无权查看")
    return case


def _state(user, case_no: str) -> dict:
    case = _visible(user, case_no)
    return issuance.state(case, staff=access.has_perm(user, common.VIEW))


@router.get("/{case_no}/issuance", response={200: IssuanceStateOut, 404: Error}, summary="出件与送达情况")
def issuance_state(request, case_no: str):
    """Staff who may see the case, and the applicant (their own case: delivery state and tracking number)."""
    return _state(request.user, case_no)


@router.post("/{case_no}/issue", response={200: IssuanceStateOut, **ERRORS}, summary="制发证照（出件）")
def issue(request, case_no: str, body: IssueIn):
    """Owning department (or the department of the item's 统一出件 step): licence number, PDF, e-licence."""
    case_id = common.get_case(case_no).pk
    with transaction.atomic():
        issuance.do_issue(request.user, case_id, body.row_version, valid_until=body.valid_until,
                          result_name=body.result_name)
    return _state(request.user, case_no)


@router.post("/{case_no}/deliver/pickup", response={200: IssuanceStateOut, **ERRORS}, summary="窗口领取（送达并办结）")
def deliver_pickup(request, case_no: str, body: PickupIn):
    case_id = common.get_case(case_no).pk
    with transaction.atomic():
        issuance.do_deliver_pickup(request.user, case_id, body.row_version, picked_up_by=body.picked_up_by,
                                   id_number=body.id_number)
    return _state(request.user, case_no)


@router.post("/{case_no}/deliver/express", response={200: IssuanceStateOut, **ERRORS}, summary="快递送达（寄出并办结）")
def deliver_express(request, case_no: str, body: ExpressIn):
    case_id = common.get_case(case_no).pk
    with transaction.atomic():
        issuance.do_deliver_express(request.user, case_id, body.row_version, carrier=body.carrier,
                                    tracking_no=body.tracking_no, recipient=body.recipient, phone=body.phone,
                                    address=body.address, sent_at=body.sent_at)
    return _state(request.user, case_no)
