"""Bond endpoints on the trading router (/api/v1/trading): the tenderer's requirement, the bidder's bond
(sub-account, e-guarantee), the centre's bonds of a lot, same-account groups and refunds, the rules in
force, and the bank's signed notifications (no session or token: the HMAC signature authenticates)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.db import transaction
from ninja import Query, Status

from yingshang.kernel import access, clock
from yingshang.kernel.context import SYSTEM, acting_as
from yingshang.kernel.errors import NotFound
from yingshang.trading import bank as banking
from yingshang.trading import rules_bonds
from yingshang.trading.api import ERRORS, Offset, _money, router
from yingshang.trading.api_schemas import Error, VersionIn
from yingshang.trading.api_schemas_bonds import (
    BondOut,
    GuaranteeIn,
    NotificationOut,
    RefundOut,
    RequirementIn,
    RequirementOut,
    RulesOut,
    SameAccountOut,
)
from yingshang.trading.models import Refund
from yingshang.trading.services import bond_payments, bond_refunds, bond_rules, bonds, common

mask = rules_bonds.mask_account


def requirement_out(req) -> dict:
    return {"lot_id": req.lot_id, "amount": _money(req.amount), "validity_days": req.validity_days,
            "cap": _money(req.cap), "source": req.source, "set_at": req.set_at, "row_version": req.row_version}


def refund_out(refund: Refund) -> dict:
    bond = refund.bond
    return {"id": refund.pk, "lot_id": bond.lot_id, "lot_name": bond.lot.name, "bidder_uscc": bond.bidder_uscc,
            "bidder_name": bond.bidder_name, "reason": refund.reason, "reason_label": refund.reason_label,
            "event_on": refund.event_on, "due_on": refund.due_on, "principal": _money(refund.principal),
            "interest": _money(refund.interest), "interest_days": refund.interest_days,
            "to_account": mask(refund.to_account), "status": refund.status, "status_label": refund.status_label,
            "overdue": refund.overdue, "order_no": refund.order_no, "paid_at": refund.paid_at,
            "row_version": refund.row_version}


def bond_out(lot, bond, status: bonds.BondStatus, uscc: str = "", name: str = "") -> dict:
    refund = getattr(bond, "refund", None) if bond is not None and hasattr(bond, "refund") else None
    if refund is not None:
        refund.bond = bond
        bond.lot = lot
    return {"lot_id": lot.pk, "bidder_uscc": bond.bidder_uscc if bond else uscc,
            "bidder_name": bond.bidder_name if bond else name, **status.as_dict(),
            "payments": [{"amount": _money(p.amount), "payer_account": mask(p.payer_account), "payer_name": p.payer_name,
                          "received_at": p.received_at, "counts": p.counts} for p in (bond.payments.all() if bond else [])],
            "guarantees": [{f: getattr(g, f) for f in ("kind", "issuer_code", "issuer_name", "guarantee_no", "valid_from",
                                                       "valid_to", "accepted", "refusal_code", "refusal", "verified_at")}
                           | {"amount": _money(g.amount)} for g in (bond.guarantees.all() if bond else [])],
            "refund": refund_out(refund) if refund else None}


@router.get("/bonds/rules", response={200: RulesOut, **ERRORS}, summary="投标保证金规则（施行中）",
            description="保证金上限（估算价2%，工程、货物最高80万元）、按信用等级的应缴比例、退还计息的活期存款利率。")
def bond_rules_in_force(request, on: Annotated[dt.date | None, Query()] = None):
    rules_now = bond_rules.in_force(on or clock.today())
    rate = rules_now["deposit_rate"]
    return {"caps": [{"lot_type": c.lot_type, "rate": str(c.rate), "max_amount": _money(c.max_amount),
                      "effective_from": c.effective_from, "source": c.source} for c in rules_now["caps"]],
            "reductions": [{"grade": r.grade, "percent": str(r.percent), "effective_from": r.effective_from,
                            "source": r.source} for r in rules_now["reductions"]],
            "deposit_rate": {"annual_percent": str(rate.annual_percent), "effective_from": rate.effective_from,
                             "source": rate.source} if rate else None}


@router.get("/lots/{lot_id}/bond-requirement", response={200: RequirementOut, **ERRORS},
            summary="标段的投标保证金要求", description="未设置时 404 trading.bond_not_required。")
def get_requirement(request, lot_id: int):
    lot = (bonds.bidder_lot(request.user, lot_id) if access.has_perm(request.user, common.BOND_SECURE)
           else _scoped_lot(request.user, lot_id))
    req = bonds.requirement(lot)
    if req is None:
        raise NotFound("trading.bond_not_required", "本标段不要求投标保证金")
    return requirement_out(req)


def _scoped_lot(user, lot_id):
    from yingshang.trading import queries

    return queries.lot(user, lot_id)


@router.put("/lots/{lot_id}/bond-requirement", response={200: RequirementOut, **ERRORS},
            summary="设置投标保证金（招标人或代理机构）",
            description="超过上限返回 400 trading.bond_above_cap（details.source 为依据，details.cap 为上限）。")
def set_requirement(request, lot_id: int, body: RequirementIn):
    _scoped_lot(request.user, lot_id)  # outside the scope: 404, as for reading
    with transaction.atomic():
        req = bonds.do_set_requirement(request.user, lot_id, body.row_version, amount=body.amount,
                                       validity_days=body.validity_days)
    return requirement_out(req)


def _mine(request, lot_id: int) -> dict:
    lot = bonds.bidder_lot(request.user, lot_id)
    bond, status = bonds.my_bond(request.user, lot)
    return bond_out(lot, bond, status, request.user.uscc, request.user.organization_name)


@router.get("/bonds/mine", response={200: list[BondOut], **ERRORS}, summary="我的投标保证金列表（投标人）",
            description="招标中的标段和本单位办理过保证金的标段，各附本单位的保证金情况（最多50个）。")
def my_bonds(request):
    return [bond_out(lot, bond, status, request.user.uscc, request.user.organization_name)
            for lot, bond, status in bonds.my_bonds(request.user)]


@router.get("/lots/{lot_id}/bonds/mine", response={200: BondOut, **ERRORS}, summary="我的投标保证金（投标人）",
            description="应缴金额（按信用等级减免）、子账户、到账、电子保函和退还情况。")
def my_bond_of_lot(request, lot_id: int):
    return _mine(request, lot_id)


@router.post("/lots/{lot_id}/bonds/mine/sub-account", response={200: BondOut, **ERRORS},
             summary="申请保证金子账户（投标人）", description="同一投标人同一标段只有一个子账户，重复申请返回原账户。")
def open_sub_account(request, lot_id: int):
    with transaction.atomic():
        bonds.do_open_sub_account(request.user, lot_id)
    return _mine(request, lot_id)


@router.post("/lots/{lot_id}/bonds/mine/guarantee", response={200: BondOut, 400: Error, **ERRORS},
             summary="提交电子保函（投标人）",
             description="向出具机构在线核验；符合要求的保函与现金具有同等效力，平台不得拒绝。不符合的返回 400 和原因代码"
                         "（如 trading.guarantee_amount、trading.guarantee_validity），核验记录保留。")
def submit_guarantee(request, lot_id: int, body: GuaranteeIn):
    with transaction.atomic():
        g = bonds.do_submit_guarantee(request.user, lot_id, kind=body.kind, issuer_code=body.issuer_code,
                                      guarantee_no=body.guarantee_no)
    if not g.accepted:  # the refusal is kept (committed above); the caller gets the reason
        return Status(400, {"code": g.refusal_code, "message": g.refusal, "details": {"field": "guarantee_no"}})
    return _mine(request, lot_id)


@router.get("/lots/{lot_id}/bonds", response={200: list[BondOut], **ERRORS}, summary="标段的投标保证金（交易中心）")
def lot_bonds(request, lot_id: int):
    lot, rows = bonds.bonds_of_lot(request.user, lot_id)
    return [bond_out(lot, b, s) for b, s in rows]


@router.get("/lots/{lot_id}/bonds/same-account", response={200: list[SameAccountOut], **ERRORS},
            summary="同一账户缴纳保证金的投标人（交易中心）",
            description="《招标投标法实施条例》第四十条（四）：不同投标人的投标保证金从同一单位或者个人的账户转出，视为串通投标。")
def same_account(request, lot_id: int):
    return bonds.same_account(request.user, lot_id)


RefundView = Literal["due", "overdue", "paid"]


@router.get("/bonds/refunds", response={200: list[RefundOut], **ERRORS}, summary="保证金退付（交易中心）",
            description="view=due 待退付、overdue 已逾期、paid 已退付。")
def list_refunds(request, view: Annotated[RefundView, Query()] = "due",
                 limit: Annotated[int, Query(ge=1, le=200)] = 50, offset: Offset = 0):
    return [refund_out(r) for r in bond_refunds.refunds_for(request.user, view)[offset:offset + limit]]


@router.post("/bonds/refunds/{refund_id}/send", response={200: RefundOut, **ERRORS},
             summary="发送退付指令（交易中心）", description="按到账日至今天的天数计算活期利息，经银行接口原路退回。")
def send_refund(request, refund_id: int, body: VersionIn):
    with transaction.atomic():
        refund = bond_refunds.do_send(request.user, refund_id, body.row_version)
    return refund_out(Refund.objects.select_related("bond", "bond__lot").get(pk=refund.pk))


@router.post("/bank/notifications", auth=None, response={200: NotificationOut, **ERRORS},
             summary="银行到账及退付通知", description="请求头 X-Bank-Signature 为原始请求体的 HMAC-SHA256（十六进制）；"
             "签名无效返回 403 trading.bank_signature_invalid。同一通知编号重复发送只记录一次。")
def bank_notification(request):
    bank = banking.get_bank()
    note = bank.parse(request.body, request.headers.get(banking.SIGNATURE_HEADER, ""))
    with transaction.atomic(), acting_as(SYSTEM):
        if note.kind == banking.PAYMENT:
            _payment, recorded = bond_payments.do_record_payment(note, bank.code)
        else:
            bond_refunds.do_confirm(note.order_no, note.at)
            recorded = True
    return {"recorded": recorded, "kind": note.kind}
