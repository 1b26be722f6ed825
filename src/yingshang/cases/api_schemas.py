"""Typed request and response bodies of the cases API (they document the OpenAPI schema)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

MAX_ID = 2**62
StatusValue = Literal["draft", "submitted", "correction_requested", "accepted", "accepted_pending", "refused",
                      "in_review", "approved", "denied", "issued", "concluded", "withdrawn", "stopped"]
WarningValue = Literal["none", "yellow", "red"]
RowVersion = Field(..., ge=1, le=2**31 - 1,
                   description="调用方看到的办件版本号（row_version）；办件已被他人处理时返回 409 case.conflict")
Text = Field(default="", max_length=2000)


class Error(Schema):
    code: str = Field(description="机器可读代码，如 case.conflict、case.transition_not_allowed、case.blocking_check")
    message: str = Field(description="中文说明")
    details: dict | list | None = None


# --- Requests --------------------------------------------------------------------------------------
class ApplicantIn(Schema):
    kind: Literal["person", "enterprise"] = Field(description="person 自然人；enterprise 法人或其他组织")
    name: str = Field(max_length=200, description="申请人姓名或单位名称")
    identifier: str = Field(max_length=40, description="证件号码：公民身份号码或统一社会信用代码（只保存摘要与脱敏形式）")
    identifier_kind: Literal["resident_id", "uscc", "other", ""] = Field(
        default="", description="证件类型；默认自然人为 resident_id，单位为 uscc")
    phone: str = Field(default="", max_length=20, description="手机号码")


class MaterialStatusIn(Schema):
    material_id: int = Field(ge=1, le=MAX_ID, description="事项材料编号（见办件详情或事项指南）")
    status: Literal["provided", "pending", "missing"] = Field(description="provided 已提交；pending 容缺后补；missing 未提交")


class CreateIn(Schema):
    item_code: str = Field(max_length=64, description="事项编码")
    applicant: ApplicantIn | None = Field(default=None, description="窗口代录时必填；申请人本人网上申报时取自账号")
    materials: list[MaterialStatusIn] = Field(default_factory=list, max_length=200)
    submit: bool = Field(default=True, description="是否立即提交（网上申报可先保存草稿）")


class VersionIn(Schema):
    row_version: int = RowVersion


class ChecksIn(Schema):
    id_number: str = Field(default="", max_length=40,
                           description="自然人申请人的身份证件号码（从证件录入，用于核验身份并进行信用核查）")


class AcceptIn(VersionIn):
    materials: list[MaterialStatusIn] = Field(default_factory=list, max_length=200,
                                              description="材料核验结果（未列出的保持不变）")
    override_reason: str = Field(default="", max_length=500, description="核查发现需处理情形时的处理意见（必填才能继续）")
    id_number: str = Field(default="", max_length=40, description="自然人申请人的身份证件号码（可选，用于信用核查）")


class AcceptPendingIn(AcceptIn):
    supplement_days: int = Field(ge=1, le=30, description="容缺材料补齐期限（工作日）")
    commitment_text: str = Field(default="", max_length=2000, description="承诺内容；留空使用标准承诺书文本")


class CorrectionItemIn(Schema):
    material_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="涉及的材料编号；不针对具体材料时留空")
    problem: str = Field(max_length=300, description="需要补正的内容")


class CorrectionIn(VersionIn):
    items: list[CorrectionItemIn] = Field(min_length=1, max_length=100, description="需要补正的全部内容（一次性告知）")


class SupplementIn(VersionIn):
    material_ids: list[int] = Field(min_length=1, max_length=200, description="补交的材料编号")
    note: str = Field(default="", max_length=500)


class ReasonBasisIn(VersionIn):
    reason: str = Field(max_length=1000, description="理由")
    legal_basis: str = Field(max_length=1000, description="法律依据")


class CommitmentApprovalIn(VersionIn):
    commitment_text: str = Field(default="", max_length=2000, description="承诺内容；留空使用标准告知承诺书文本")
    override_reason: str = Field(default="", max_length=500)
    id_number: str = Field(default="", max_length=40)


class StepApproveIn(VersionIn):
    reason: str = Field(default="", max_length=2000, description="审查意见（默认“审查通过”）")
    legal_basis: str = Field(default="", max_length=2000)


class StepReturnIn(VersionIn):
    reason: str = Field(max_length=2000, description="退回理由")
    to_stage: int | None = Field(default=None, ge=1, le=50, description="退回到的阶段；默认上一审查阶段")


class DecideIn(VersionIn):
    approve: bool = Field(description="true 准予许可；false 不予许可")
    reason: str = Field(default="", max_length=1000, description="决定理由（不予许可时必填）")
    legal_basis: str = Field(max_length=1000, description="决定依据")


class SuspendIn(VersionIn):
    kind: Literal["correction", "hearing", "testing", "expert_review", "quarantine", "appraisal", "other"] = Field(
        description="correction 补正材料；hearing 听证；testing 检验检测；expert_review 专家评审；quarantine 检疫；"
                    "appraisal 鉴定；other 其他特别程序")
    reason: str = Field(max_length=2000)


class NoteIn(VersionIn):
    note: str = Field(default="", max_length=2000)


class ExtensionIn(VersionIn):
    days: int = Field(ge=1, le=15, description="延长的工作日数（合计不超过 10 日，联办件 15 日）")
    reason: str = Field(max_length=2000)


class ExtensionDecisionIn(VersionIn):
    approve: bool
    note: str = Field(default="", max_length=2000, description="审批意见（不批准时必填）")


class WithdrawIn(VersionIn):
    reason: str = Field(default="", max_length=500)


class StopIn(VersionIn):
    reason: str = Field(max_length=500)


class VerifyIn(VersionIn):
    passed: bool = Field(description="true 承诺属实；false 承诺不实")
    result: str = Field(max_length=2000)


# --- Responses -------------------------------------------------------------------------------------
class Ref(Schema):
    code: str
    name: str


class HitOut(Schema):
    source: str
    code: str
    message: str
    blocking: bool
    details: dict


class ChecksOut(Schema):
    hits: list[HitOut]
    blocking: bool = Field(description="是否有需要填写处理意见才能继续的情形")


class MaterialOut(Schema):
    material_id: int
    name: str
    required: bool
    pending_allowed: bool
    status: str
    note: str


class StepOut(Schema):
    id: int
    stage: int
    name: str
    step_kind: str
    department: Ref
    status: str
    status_label: str
    decided_by: str
    decided_at: dt.datetime | None
    reason: str
    legal_basis: str


class SuspensionOut(Schema):
    kind: str
    from_date: dt.date
    to_date: dt.date | None
    reason: str


class ExtensionOut(Schema):
    days: int
    reason: str
    status: str
    decision_note: str


class CommitmentOut(Schema):
    kind: str
    text: str
    signed_by_name: str
    signed_at: dt.datetime
    supplement_deadline: dt.date | None
    fulfilled_at: dt.datetime | None
    breached_at: dt.datetime | None


class EventOut(Schema):
    kind: str
    text: str
    at: dt.datetime
    actor_name: str
    internal: bool


class DocumentOut(Schema):
    title: str
    number: str
    kind: str
    verification_code: str
    issued_at: dt.datetime
    verify_url: str


class CaseSummaryOut(Schema):
    case_no: str | None
    id: int
    row_version: int
    status: str
    status_label: str
    item_code: str
    item_name: str
    department: Ref
    applicant_name: str
    channel: str
    received_on: dt.date | None
    accepted_on: dt.date | None
    deadline: dt.date | None
    deadline_provisional: bool = Field(description="期限所在年份尚无官方节假日安排，按法定节假日临时推算")
    warning: str = Field(description="none 正常；yellow 黄牌；red 红牌（已超期）")
    clock_state: str


class CaseOut(CaseSummaryOut):
    item_version: int
    kind: str
    applicant_kind: str
    identifier_masked: str
    hall: Ref | None
    clerk_name: str
    limit_days: int | None
    limit_source: str
    extension_days: int
    on_time: bool | None
    decided_on: dt.date | None
    decision_reason: str
    decision_basis: str
    current_stage: int
    pending_materials: bool = Field(description="是否有容缺材料待补齐")
    allowed_actions: list[str] = Field(description="按当前状态允许的动作（是否有权限另行判断）")
    materials: list[MaterialOut]
    steps: list[StepOut]
    suspensions: list[SuspensionOut]
    extensions: list[ExtensionOut]
    commitments: list[CommitmentOut]
    events: list[EventOut]
    documents: list[DocumentOut]


class CasePageOut(Schema):
    items: list[CaseSummaryOut]
    next_cursor: str | None = Field(description="下一页游标；null 表示没有更多")


class InboxRowOut(Schema):
    step_id: int
    step_name: str
    stage: int
    department: Ref
    case: CaseSummaryOut


class InboxPageOut(Schema):
    items: list[InboxRowOut]
    next_cursor: str | None
