"""Typed bodies of the bond endpoints (/api/v1/trading/.../bond*, /trading/bonds/*, /trading/bank/notifications)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class RequirementIn(Schema):
    amount: str = Field(max_length=20, description="投标保证金（元），不超过估算价的2%（工程、货物最高80万元）")
    validity_days: int = Field(default=90, ge=1, le=365, description="投标有效期（日），电子保函须覆盖")
    row_version: int | None = Field(default=None, ge=1, le=2**31 - 1, description="修改时传入看到的版本号")


class RequirementOut(Schema):
    lot_id: int
    amount: str
    validity_days: int
    cap: str | None
    source: str
    set_at: dt.datetime
    row_version: int


class GuaranteeIn(Schema):
    kind: str = Field(max_length=12, description="bank 银行保函、insurance 保证保险保函")
    issuer_code: str = Field(max_length=40, description="出具机构代码")
    guarantee_no: str = Field(max_length=64, description="保函编号")


class PaymentOut(Schema):
    amount: str
    payer_account: str = Field(description="付款账号（仅显示后4位）")
    payer_name: str
    received_at: dt.datetime
    counts: bool = Field(description="投标截止前到账（计入保证金）")


class GuaranteeOut(Schema):
    kind: str
    issuer_code: str
    issuer_name: str
    guarantee_no: str
    amount: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    accepted: bool
    refusal_code: str
    refusal: str
    verified_at: dt.datetime


class RefundOut(Schema):
    id: int
    lot_id: int
    lot_name: str
    bidder_uscc: str
    bidder_name: str
    reason: str
    reason_label: str
    event_on: dt.date
    due_on: dt.date
    principal: str
    interest: str | None
    interest_days: int | None
    to_account: str
    status: str
    status_label: str
    overdue: bool
    order_no: str
    paid_at: dt.datetime | None
    row_version: int


class BondOut(Schema):
    lot_id: int
    bidder_uscc: str
    bidder_name: str
    required: bool = Field(description="本标段是否要求投标保证金")
    requirement: str | None = Field(description="招标文件要求的保证金（元）")
    grade: str = Field(description="采用的信用等级（A–D，空为无等级）")
    percent: str = Field(description="按信用等级应缴比例（%）")
    required_amount: str = Field(description="本投标人应缴金额（元）")
    received_in_time: str
    received_late: str = Field(description="截止后到账（不计入，退还）")
    guarantee_amount: str | None
    secured: bool
    method: str
    sub_account_no: str
    payments: list[PaymentOut]
    guarantees: list[GuaranteeOut]
    refund: RefundOut | None


class SameAccountBidder(Schema):
    uscc: str
    name: str


class SameAccountOut(Schema):
    account: str
    payer_names: list[str]
    bidders: list[SameAccountBidder]
    source: str


class RulesOut(Schema):
    caps: list[dict]
    reductions: list[dict]
    deposit_rate: dict | None


class NotificationOut(Schema):
    recorded: bool = Field(description="false：重复通知，已忽略")
    kind: str
