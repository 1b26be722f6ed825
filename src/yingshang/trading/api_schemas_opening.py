"""Request and response bodies of the opening hall API (/api/v1/trading/lots/{id}/opening…)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema


class PlanIn(Schema):
    float_low: str | None = Field(default=None, max_length=12, description="下浮率下限（%），三项同时填写或都不填")
    float_high: str | None = Field(default=None, max_length=12)
    float_step: str | None = Field(default=None, max_length=12, description="下浮率步长（%），如 0.01")
    weight_low: str | None = Field(default=None, max_length=12, description="招标控制价权重下限（%）")
    weight_high: str | None = Field(default=None, max_length=12)
    weight_step: str | None = Field(default=None, max_length=12)
    decrypt_minutes: int = Field(default=30, ge=1, le=10_000, description="解密时限（分钟，10～240）")


class DrawerIn(Schema):
    bid: int = Field(ge=1, le=2**62, description="投标人推选的抽取代表所属投标文件 id")


class DecideIn(Schema):
    fault: str = Field(max_length=10, description="bidder：投标人原因（撤销）；other：投标人之外的原因（撤回）")
    reason: str = Field(max_length=300, description="认定理由")


class ObjectionIn(Schema):
    content: str = Field(max_length=1000)


class AnswerIn(Schema):
    answer: str = Field(max_length=1000)


class LotBrief(Schema):
    id: int
    name: str
    project_name: str
    status: str
    status_label: str
    bid_deadline: dt.datetime
    ceiling_price: str | None
    float_rate: str | None = Field(description="抽取后公布的下浮率（%）")


class PlanOut(Schema):
    float_range: list[str] | None
    weight_range: list[str] | None
    decrypt_minutes: int
    opened_at: dt.datetime | None
    failed_reason: str
    decrypt_from: dt.datetime | None
    decrypt_until: dt.datetime | None
    closed_at: dt.datetime | None
    published_at: dt.datetime | None
    drawn_at: dt.datetime | None
    drawn_weight: str | None
    representative: str
    needs_draw: bool
    record_id: int | None
    record_sha256: str


class DrawInput(Schema):
    what: str
    low: str
    high: str
    step: str
    context: str
    recomputed: str
    stored: str | None


class DrawOut(Schema):
    commitment: str = Field(description="SHA-256(种子)，开标时公布")
    seed: str = Field(description="抽取后公布，之前为空")
    drawn: bool
    inputs: list[DrawInput]
    ok: bool | None = Field(description="种子与承诺值相符且结果可复算")


class BidLine(Schema):
    id: int | None = Field(description="唱标前其他投标人不公开")
    seq: int
    mine: bool
    bidder: str = Field(description="唱标前其他投标人显示为“投标人 N”")
    status: str
    status_label: str
    signed_in: bool
    decrypted: bool
    decrypted_at: dt.datetime | None
    read_out: bool
    price: str | None
    over_ceiling: bool
    sheet: dict
    signed_at: dt.datetime | None
    not_decrypted_reason: str
    decrypt_failures: int = Field(description="解密失败次数（密钥错误、文件损坏等），供认定未解密原因参考")


class AttendanceOut(Schema):
    kind: str
    kind_label: str
    name: str
    organisation: str
    signed_in_at: dt.datetime


class ObjectionOut(Schema):
    id: int
    bidder: str
    content: str
    raised_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None


class HallOut(Schema):
    lot: LotBrief
    role: str = Field(description="centre、tenderer、bidder、observer")
    role_label: str
    now: dt.datetime
    plan: PlanOut | None
    draw: DrawOut
    attendance: list[AttendanceOut]
    signed_in: bool
    bids: list[BidLine]
    objections: list[ObjectionOut]
    actions: list[str] = Field(description="当前可进行的操作")
