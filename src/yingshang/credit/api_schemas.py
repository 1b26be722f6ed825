"""Typed request and response bodies of the credit API (documented in the OpenAPI document)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict, StringConstraints

from yingshang.credit.ingest.columns import COLUMNS

Text = Annotated[str, StringConstraints(max_length=4000)]
Cell = str | int | float | None


def _row_schema(kind: str, title: str) -> type[Schema]:
    """One row of a JSON batch: the template's columns by key, each optional here (validated per row)."""
    annotations, fields = {}, {}
    for column in COLUMNS[kind]:
        annotations[column.key] = Cell
        label = column.header + ("（必填）" if column.required else "")
        fields[column.key] = Field(None, description=label + ("；个人证件号码，仅存摘要与脱敏号" if column.personal else ""))
    namespace = {"__annotations__": annotations, "model_config": ConfigDict(extra="forbid", title=title), **fields}
    return type(title, (Schema,), namespace)


LicenseRowIn = _row_schema("license", "LicenseRowIn")
PenaltyRowIn = _row_schema("penalty", "PenaltyRowIn")
OtherRowIn = _row_schema("other", "OtherRowIn")


class BatchIn(Schema):
    department: str = Field(max_length=40, description="报送部门编码")


class LicenseBatchIn(BatchIn):
    rows: list[LicenseRowIn] = Field(min_length=1, max_length=5000, description="行政许可信息，每次1–5000条")


class PenaltyBatchIn(BatchIn):
    rows: list[PenaltyRowIn] = Field(min_length=1, max_length=5000, description="行政处罚信息，每次1–5000条")


class OtherBatchIn(BatchIn):
    rows: list[OtherRowIn] = Field(min_length=1, max_length=5000, description="其他信用信息，每次1–5000条")


class RowProblemOut(Schema):
    row: int = Field(description="行号（JSON 报送时为 rows 中的序号，从1开始）")
    column: str = Field(description="列名（国家模板中文列名）")
    field: str = Field(description="字段键")
    code: str = Field(description="机器可读的错误代码")
    reason: str = Field(description="中文原因")


class LateRowOut(Schema):
    row: int
    document_no: str
    working_days: int | None = Field(description="决定日期至首次报送的工作日数")


class ErrorOut(Schema):
    code: str
    message: str
    details: dict | None = Field(None, description="补充信息，如 import.missing_column 的 columns（缺少的列名）")


class ImportReportOut(Schema):
    batch: int = Field(description="批次号")
    kind: str
    department: str
    file: str
    status: str = Field(description="queued 排队中、running 导入中、succeeded 已完成、failed 失败、interrupted 已中断")
    error: ErrorOut | None
    rows: int = Field(description="数据行数")
    accepted: int = Field(description="接收行数（新增+更新+未变化）")
    inserted: int
    updated: int
    unchanged: int
    rejected: int = Field(description="拒收行数（含文件内文书号重复）")
    late: int = Field(description="本次首次报送且迟报的条数")
    rejected_rows: list[RowProblemOut]
    rejected_rows_truncated: bool
    late_rows: list[LateRowOut]
    late_rows_truncated: bool
    corrections_file: bool = Field(description="是否有纠错文件可下载")


class BatchOut(Schema):
    batch: int
    kind: str
    department: str
    status: str
    rows_read: int | None = Field(description="导入中：已读行数")
    fraction: float | None = Field(description="导入中：进度（0–1）")
    rows: int
    accepted: int
    rejected: int
    late: int
    error: ErrorOut | None


# The check's response models are plain pydantic models, not ninja Schemas: the endpoint returns a
# validated CheckOut, which ninja serialises without validating it again through its attribute getter
# (~0.1 ms per call; the check is called at every window of every connected system).
class MembershipOut(BaseModel):
    entry_id: int
    list_type: str
    list_type_name: str
    list_kind: Literal["red", "black", "watch"]
    department: str
    document_no: str
    valid_from: date
    valid_until: date | None


class MeasureOut(BaseModel):
    measure_id: int
    entry_id: int
    memorandum: str
    memorandum_document_no: str
    content: str
    effect: Literal["reward", "punishment"]
    action: Literal["block", "warn", "priority", "green_channel", "simplify"]
    blocking: bool


class CheckOut(BaseModel):
    identifier: str = Field(description="核查的号码；公民身份号码已遮蔽")
    id_kind: str
    subject_name: str = Field(description="主体名称（自然人仅显示姓氏）；未命中时为空")
    scenario: str | None
    hit: bool = Field(description="是否在任一名单中")
    blocking: bool = Field(description="是否有限制性（block）措施适用")
    memberships: list[MembershipOut]
    measures: list[MeasureOut]


class CheckIn(Schema):
    code: str = Field(max_length=64, description="统一社会信用代码、组织机构代码或公民身份号码")
    scenario: str = Field("", max_length=40, description="业务场景，如 administrative_licensing")


class LookupIn(Schema):
    code: str = Field(max_length=64)
    reveal: bool = Field(False, description="返回完整证件号码（需权限 credit.view_full_identity，留痕）")


class FeedbackIn(Schema):
    code: str = Field(max_length=64, description="主体的统一社会信用代码或公民身份号码")
    measure_id: int
    entry_id: int | None = None
    scenario: str = Field(max_length=40)
    outcome: Literal["applied", "not_applied"] = "applied"
    department: str | None = Field(None, max_length=40, description="实施部门编码；默认为当前用户所属部门")
    reference: str = Field("", max_length=100, description="业务编号，如办件编号")
    note: Text = Field("", description="说明；未实施时必填")


class FeedbackOut(Schema):
    id: int
    measure_id: int
    entry_id: int | None
    scenario: str
    outcome: str
    department: str
    recorded_at: str


class PublicRecordOut(Schema):
    id: int
    kind: Literal["license", "penalty"]
    subject_name: str = Field(description="相对人名称；自然人仅显示姓氏")
    identifier: str = Field(description="统一社会信用代码；自然人证件号码已遮蔽")
    document_no: str
    title: str = Field(description="许可：决定文书名称；处罚：违法行为类型")
    content: str
    decision_date: date
    authority: str
    publication_end: date | None = Field(description="公示截止日；空表示长期")
    disputed: bool = Field(False, description="异议中：信用主体已提出异议，尚在处理")


class PublicPageOut(Schema):
    page: int
    has_next: bool
    items: list[PublicRecordOut]


class PublicEntryOut(Schema):
    id: int
    list_kind: str
    list_type: str
    subject_name: str
    identifier: str
    department: str
    document_no: str
    valid_from: date
    valid_until: date | None
    disputed: bool = Field(False, description="异议中：信用主体已提出异议，尚在处理")


class PublicEntryPageOut(Schema):
    page: int
    has_next: bool
    items: list[PublicEntryOut]


class SubjectOut(Schema):
    id: int
    kind: str
    name: str
    id_kind: str
    identifier: str = Field(description="证照号码；公民身份号码默认遮蔽，有权限者 reveal=true 时返回完整号码（留痕）")
    revealed: bool


class DesignateIn(Schema):
    code: str = Field(max_length=64, description="统一社会信用代码或公民身份号码")
    subject_name: str = Field("", max_length=200, description="新主体的名称（主体已存在时可不填）")
    list_type: str = Field(max_length=60, description="名单类型编码")
    department: str = Field(max_length=40, description="认定部门编码")
    basis: Text
    reason: Text = ""
    document_name: str = Field("", max_length=200)
    document_no: str = Field(max_length=128)
    decided_on: date
    valid_from: date | None = None
    valid_until: date | None = None
    published: bool | None = None


class RemoveIn(Schema):
    reason: Literal["repair", "objection", "other"]
    note: Text


class EntryOut(Schema):
    id: int
    list_type: str
    list_kind: str
    subject_name: str
    identifier: str
    status: str
    document_no: str
    decided_on: date
    valid_from: date
    valid_until: date | None
    removal_reason: str
