"""Request and response bodies of the expert database and draw API (api_experts.py)."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema

RowVersion = Field(..., ge=1, le=2**31 - 1, description="调用方看到的版本号（row_version）；已被他人处理时返回 409")


class VersionIn(Schema):
    row_version: int = RowVersion


class SpecialtyOut(Schema):
    code: str
    name: str
    parent: str | None


class ExpertIn(Schema):
    name: str = Field(max_length=50)
    id_number: str = Field(max_length=30, description="公民身份号码：只保存摘要和脱敏值，不保存原文")
    phone: str = Field(max_length=20, description="手机号（页面只显示脱敏值）")
    employer_name: str = Field(max_length=200)
    employer_uscc: str = Field(max_length=40)
    region: str = Field(max_length=6, description="所在地区行政区划代码")
    title: str = Field(default="", max_length=60)
    qualification: str = Field(default="", max_length=100)
    specialties: list[str] = Field(min_length=1, max_length=10, description="专业编码，见 GET /trading/specialties")


class ExpertUpdateIn(Schema):
    row_version: int = RowVersion
    name: str = Field(max_length=50)
    id_number: str = Field(default="", max_length=30, description="更换工作单位时须再次填写，以便核验社保")
    phone: str = Field(max_length=20)
    employer_name: str = Field(max_length=200)
    employer_uscc: str = Field(max_length=40)
    region: str = Field(max_length=6)
    title: str = Field(default="", max_length=60)
    qualification: str = Field(default="", max_length=100)
    specialties: list[str] = Field(min_length=1, max_length=10)


class ExpertOut(Schema):
    id: int
    row_version: int
    name: str
    id_masked: str
    phone_masked: str
    employer_name: str
    employer_uscc: str
    region: str
    title: str
    qualification: str
    specialties: list[str]
    status: str
    status_label: str
    verification: str
    verification_note: str
    suspended_until: dt.date | None
    has_account: bool


class ExpertPageOut(Schema):
    items: list[ExpertOut]
    total: int


class StatusIn(Schema):
    row_version: int = RowVersion
    status: str = Field(max_length=8, description="active 在库、paused 暂停、removed 出库")
    note: str = Field(max_length=300)


class VerifyFlagIn(Schema):
    row_version: int = RowVersion
    note: str = Field(max_length=300, description="人工核验的依据")


class SanctionIn(Schema):
    kind: str = Field(max_length=12, description="suspend_6、suspend_12、remove")
    reason: str = Field(max_length=500)
    document_no: str = Field(max_length=100, description="处理决定文号")
    starts_on: str = Field(default="", max_length=10, description="起始日期，默认今天")


class RelationIn(Schema):
    kind: str = Field(max_length=12, description="employment 曾任职、declared 利害关系、conflict 回避单位")
    uscc: str = Field(max_length=40)
    name: str = Field(max_length=200)
    ended_on: str = Field(default="", max_length=10, description="关系截止日期（空：仍存在）")


class RequirementIn(Schema):
    specialty: str = Field(max_length=12)
    count: int = Field(ge=0, le=100)
    substitutes: int = Field(default=2, ge=0, le=100)


class DrawIn(Schema):
    requirements: list[RequirementIn] = Field(min_length=1, max_length=10)
    evaluation_on: str = Field(max_length=10, description="评标日期 YYYY-MM-DD（同日已有评标任务的专家回避）")
    avoid_district: bool = Field(default=False, description="回避项目所在区县的专家")
    reply_minutes: int = Field(default=30, ge=1, le=10_000, description="专家回复时限（分钟），超时由候补递补")


class DrawOut(Schema):
    id: int | None
    lot_id: int
    status: str
    status_label: str = ""
    row_version: int = 0
    evaluation_on: dt.date | None = None
    requirements: list[dict] = Field(default_factory=list)
    avoid_district: bool = False
    reply_minutes: int = 0
    rounds: list[dict] = Field(default_factory=list, description="每轮的种子承诺值、候选池人数和摘要；揭示后含种子")
    names_visible: bool
    may_run: bool
    counts: dict = Field(default_factory=dict, description="按邀请状态的人数（对所有人可见）")
    vacancies: dict = Field(default_factory=dict)
    invitations: list[dict] = Field(default_factory=list, description="抽中专家名单：评标开始前仅交易中心可见")
    committee: list[dict] = Field(default_factory=list)


class ReplyCodeIn(Schema):
    code: str = Field(max_length=6)
    accept: bool


class RepresentativeIn(Schema):
    name: str = Field(max_length=50)
    username: str = Field(default="", max_length=150, description="招标人代表的评审账号（选填）")


class ReplyIn(Schema):
    row_version: int = RowVersion
    accept: bool
    note: str = Field(default="", max_length=300)


class InvitationOut(Schema):
    id: int
    row_version: int
    specialty: str
    status: str
    status_label: str
    evaluation_on: dt.date
    reply_due: dt.datetime | None
    lot_name: str | None = Field(description="评标开始前保密（空）")


class MemberOut(Schema):
    lot_id: int
    lot_name: str | None
    lot_status: str
    confirmed_at: dt.datetime | None


class VerifyOut(Schema):
    draw: int
    lot: int
    ok: bool
    rounds: list[dict]


class SmsReplyIn(Schema):
    phone: str = Field(max_length=20, description="发送号码")
    text: str = Field(max_length=40, description="短信内容，如“1 123456”")
