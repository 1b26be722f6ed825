"""Typed request and response bodies of the trading API (they document the OpenAPI schema)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Query, Schema

from yingshang.trading import rules

LotStatus = Literal[tuple(rules.LOT_FLOW.states)]  # every state of the lot's life
RowVersion = Field(..., ge=1, le=2**31 - 1,
                   description="调用方看到的标段版本号（row_version）；已被他人处理时返回 409 trading.conflict")


class Error(Schema):
    code: str = Field(description="机器可读代码，如 trading.deadline_too_soon、trading.transition_not_allowed")
    message: str = Field(description="中文说明")
    details: dict | list | None = None


# What every trading endpoint answers besides success, and the paging parameters (shared by each part's module).
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error, 422: Error}
Limit = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0, le=100_000)]
OptionalId = Annotated[int | None, Query(ge=1, le=2**63 - 1)]  # an id filter within the databases' integer range


class LotIn(Schema):
    name: str = Field(max_length=200, description="标段（包）名称")
    procedure: str = Field(max_length=32, description="交易方式编码，见 GET /trading/procedures")
    lot_type: str = Field(max_length=10, description="works 工程、goods 货物、services 服务")
    estimated_price: str = Field(max_length=20, description="估算价（元），十进制文本，最多 2 位小数")
    ceiling_price: str | None = Field(default=None, max_length=20, description="最高投标限价（元），可不填")
    qualification: str = Field(max_length=8, description="pre 资格预审、post 资格后审")
    sale_start: str = Field(max_length=10, description="文件发售开始日 YYYY-MM-DD（文件开始发出之日）")
    sale_end: str = Field(max_length=10, description="文件发售截止日 YYYY-MM-DD")
    bid_deadline: str = Field(max_length=32, description="投标截止时间（同时为开标时间），如 2026-06-01T09:30")


class ProjectIn(Schema):
    name: str = Field(max_length=200)
    approval_no: str = Field(max_length=100, description="投资项目审批、核准或备案文号")
    tenderer_name: str = Field(max_length=200)
    tenderer_uscc: str = Field(max_length=40)
    agency_name: str = Field(default="", max_length=200)
    agency_uscc: str = Field(default="", max_length=40)
    regulator: str = Field(max_length=40, description="行业监督部门编码")
    division_code: str = Field(max_length=6, description="项目所在地行政区划代码")
    funding_source: str = Field(max_length=16, description="fiscal、state_owned、self_raised、mixed、other")
    lots: list[LotIn] = Field(min_length=1, max_length=20)
    submit: bool = Field(default=False, description="创建后立即提交进场登记")


class LotUpdateIn(LotIn):
    row_version: int = RowVersion


class VersionIn(Schema):
    row_version: int = RowVersion


class AcceptIn(Schema):
    row_version: int = RowVersion
    note: str = Field(default="", max_length=500, description="审核意见（选填）")


class ReturnIn(Schema):
    row_version: int = RowVersion
    reason: str = Field(max_length=500, description="退回理由（必填）")


class PeriodOut(Schema):
    kind: str
    label: str
    start: dt.datetime | dt.date | None
    end: dt.datetime | dt.date | None
    source: str
    note: str


class LotOut(Schema):
    id: int
    row_version: int
    project_id: int
    project_name: str
    seq: int
    name: str
    procedure: str
    procedure_name: str
    lot_type: str
    estimated_price: str
    ceiling_price: str | None
    qualification: str
    sale_start: dt.date
    sale_end: dt.date
    bid_deadline: dt.datetime
    must_tender: bool
    must_tender_note: str
    status: str
    status_label: str
    next_check: dt.datetime | None
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None
    decision_note: str
    regulator: str
    regulator_name: str
    allowed_actions: list[str]
    timeline: list[PeriodOut] = Field(default_factory=list, description="各期间（列表接口中为空）")


class LotPageOut(Schema):
    items: list[LotOut]
    total: int


class ProjectOut(Schema):
    id: int
    name: str
    approval_no: str
    tenderer_name: str
    tenderer_uscc: str
    agency_name: str
    agency_uscc: str
    regulator: str
    regulator_name: str
    division_code: str
    funding_source: str
    created_at: dt.datetime
    lots: list[LotOut]


class ProjectPageOut(Schema):
    items: list[ProjectOut]
    total: int


class ProcedureOut(Schema):
    code: str
    name: str
    regime: str
    effective_from: dt.date
    effective_to: dt.date | None
    min_document_days: int
    document_day_kind: str
    min_sale_days: int
    sale_day_kind: str
    prequalification_allowed: bool
    min_bidders: int
    source: str


class MustTenderOut(Schema):
    required: bool
    threshold: str | None
    source: str
    note: str


# --- Sealed bids (issue 12 §4) ---------------------------------------------------------------------------
class ReceiptOut(Schema):
    """The receipt (回执) of a sealed bid: what the platform received — never its content."""

    receipt_no: str = Field(description="回执编号")
    bid_id: int
    lot_id: int
    lot_name: str
    bidder_name: str
    bidder_uscc: str
    sha256: str = Field(description="所收到密文文件的 SHA-256（投标人可与本地加密文件核对）")
    size: int = Field(description="密文大小（字节）")
    key_check: str = Field(description="密钥校验值（取自加密文件头，不泄露密钥）")
    submitted_at: dt.datetime = Field(description="平台服务器接收完成时间（以此为准，不采用客户端时间）")
    version: int = Field(description="该投标人在本标段的第几次递交")
    status: str
    status_label: str
    row_version: int
    withdrawn_at: dt.datetime | None
    bid_deadline: dt.datetime
    source: str


class BidRowOut(Schema):
    id: int
    receipt_no: str
    bidder_name: str
    bidder_uscc: str
    status: str
    status_label: str
    version: int
    submitted_at: dt.datetime
    withdrawn_at: dt.datetime | None
    sha256: str
    size: int


class LotBidsOut(Schema):
    lot_id: int
    count: int = Field(description="已递交（有效）的投标文件数")
    records: list[BidRowOut] | None = Field(
        description="递交记录（仅交易中心可见：投标人、时间、摘要，不含内容）；招标人等只见数量（招标投标法第二十二条）")


class OpenLotOut(Schema):
    id: int
    project_name: str
    name: str
    bid_deadline: dt.datetime
    regulator_name: str

# --- Evaluation (评标) -------------------------------------------------------------------------------------
class ScoringItemIn(Schema):
    part: str = Field(max_length=12, description="technical 技术、commercial 商务")
    name: str = Field(max_length=100)
    max_points: str = Field(max_length=10, description="分值；各类评分项分值之和等于该类权重")


class EvaluationPlanIn(Schema):
    method: str = Field(max_length=32, description="评标办法编码，见 GET /trading/evaluation-methods")
    technical_weight: str = Field(default="0", max_length=10)
    commercial_weight: str = Field(default="0", max_length=10)
    price_weight: str = Field(default="0", max_length=10)
    credit_weight: str = Field(default="0", max_length=10, description="综合评估法不低于10（种子004）")
    ranked: bool = Field(default=False, description="招标文件要求候选人排序时为 true；否则不排序（评定分离）")
    clarification_hours: int = Field(default=24, ge=1, le=168)
    items: list[ScoringItemIn] = Field(default_factory=list, max_length=30)
    row_version: int | None = Field(default=None, ge=1, le=2**31 - 1, description="评标计划版本号（修改时）")


class ScoreSheetIn(Schema):
    scores: dict[str, str | None] = Field(description="评分项 id → 得分（文本，最多 2 位小数）")
    submit: bool = Field(default=False, description="true 时提交（提交后不可修改，只能说明理由更正）")


class CorrectionIn(Schema):
    points: str = Field(max_length=10)
    reason: str = Field(max_length=500)


class ReasonIn(Schema):
    reason: str = Field(max_length=500)


class DisqualificationIn(Schema):
    ground: str = Field(max_length=32, description="否决理由编码（实施条例第五十一条），见 GET /trading/evaluation-methods")
    note: str = Field(max_length=500)


class VoteIn(Schema):
    agree: bool


class FailIn(Schema):
    row_version: int = RowVersion
    reason: str = Field(max_length=500)


class QuestionIn(Schema):
    question: str = Field(max_length=2000)


class AnswerIn(Schema):
    answer: str = Field(max_length=4000)
    no_change_statement: bool = Field(description="声明澄清不超出投标文件范围、不改变报价和实质性内容（条例第五十二条）")


class CandidateIn(Schema):
    bid: int
    strengths: str = Field(max_length=2000)
    risks: str = Field(max_length=2000)


class ReportIn(Schema):
    summary: str = Field(max_length=4000)
    candidates: list[CandidateIn] = Field(max_length=10)


class SignIn(Schema):
    dissent: str = Field(default="", max_length=2000, description="不同意评标结果时的不同意见和理由（实施条例第五十三条）")

# --- Announcements, documents, clarifications, objections (issue 12 §2) -----------------------------
class AnnouncementOut(Schema):
    id: int
    lot_id: int
    kind: str
    kind_label: str
    title: str
    published_at: dt.datetime
    ends_at: dt.datetime | None
    lot_type: str
    procedure: str
    procedure_name: str
    district: str
    tenderer_name: str


class AnnouncementPageOut(Schema):
    items: list[AnnouncementOut]
    next_cursor: str | None = Field(description="下一页的游标（cursor 参数）；没有更多时为 null")


class DocumentOut(Schema):
    id: int
    title: str
    version: int
    sha256: str
    size: int
    current: bool
    created_at: dt.datetime


class AnnouncementDetailOut(AnnouncementOut):
    body: str
    lot_status: str
    sale_start: dt.date
    sale_end: dt.date
    bid_deadline: dt.datetime
    documents: list[DocumentOut]


class DownloadOut(Schema):
    id: int
    document_id: int
    document_title: str
    version: int
    uscc: str
    organization_name: str
    sha256: str
    downloaded_at: dt.datetime


class ClarificationOut(Schema):
    id: int
    text: str
    affects_preparation: bool
    document: DocumentOut | None
    deadline_before: dt.datetime
    deadline_after: dt.datetime
    moved: bool
    announcement_id: int
    issued_at: dt.datetime


class ObjectionIn(Schema):
    text: str = Field(max_length=10_000, description="异议内容：对招标文件哪些条款、理由")


class ObjectionOut(Schema):
    id: int
    lot_id: int
    organization_name: str
    text: str
    raised_at: dt.datetime
    answer_due: dt.date
    overdue: bool
    status: str
    status_label: str
    answer: str
    answered_at: dt.datetime | None
    clarification_id: int | None
    row_version: int
