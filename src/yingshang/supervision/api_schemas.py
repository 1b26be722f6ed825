"""Typed request and response bodies of the supervision API (they document the OpenAPI schema)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Field, Schema

MAX_ID = 2**62
PresetValue = Literal["month", "quarter", "year", "last_month", "last_quarter", "last_year"]
ByValue = Literal["department", "item"]
MetricValue = Literal["accepted", "concluded", "on_time", "late", "open_overdue", "overdue", "yellow", "red", "rated",
                      "bad"]
RectificationStatus = Literal["open", "responded", "closed", "overdue"]
RowVersion = Field(..., ge=1, le=2**31 - 1,
                   description="调用方看到的整改任务版本号（row_version）；已被他人处理时返回 409 supervision.conflict")


class Error(Schema):
    code: str = Field(description="机器可读代码，如 supervision.already_rated、supervision.not_concluded")
    message: str = Field(description="中文说明")
    details: dict | list | None = None


# --- Statistics ----------------------------------------------------------------------------------
class PeriodOut(Schema):
    start: dt.date
    end: dt.date


class FiguresOut(Schema):
    code: str = Field(description="部门编码或事项编码；合计行为空")
    name: str
    department_name: str = Field(description="按事项统计时为实施部门")
    accepted: int = Field(description="受理（按受理日）")
    concluded: int = Field(description="办结（作出准予或不予许可决定，按决定日）")
    on_time: int = Field(description="按时办结")
    late: int = Field(description="超期办结")
    open_overdue: int = Field(description="超期未办结：仍在办理且办结期限在时段结束前已过（实时）")
    overdue: int = Field(description="超期合计 = late + open_overdue")
    yellow: int = Field(description="当前黄牌预警（实时，与时段无关）")
    red: int = Field(description="当前红牌预警（实时，与时段无关）")
    warnings: int
    timed: int = Field(description="有受理日的办结件（平均用时的分母）")
    working_days: int = Field(description="受理至决定的工作日合计")
    avg_working_days: float | None = Field(description="平均办理用时（工作日）")
    on_time_rate: float | None = Field(description="限时办结率 = on_time ÷ concluded（0–1）；无办结件时为 null")
    rated: int = Field(description="评价数（按评价日）")
    satisfied: int = Field(description="满意和非常满意（4、5 分）")
    not_bad: int = Field(description="非差评（3–5 分）")
    bad: int = Field(description="差评（1、2 分）")
    score_sum: int
    average_score: float | None
    satisfaction_rate: float | None = Field(description="满意率 = satisfied ÷ rated（0–1）")
    good_rate: float | None = Field(description="好评率（参考）= not_bad ÷ rated")
    rect_total: int = Field(description="本时段派发的差评整改")
    rect_open: int
    rect_responded: int
    rect_closed: int
    rect_overdue: int
    rect_timely: int
    rect_settled: int
    rectification_timeliness: float | None = Field(description="整改及时率 = rect_timely ÷ rect_settled")


class StatsOut(Schema):
    period: PeriodOut
    by: ByValue
    department: str | None = Field(description="只统计该部门时的部门编码")
    as_of: dt.datetime | None = Field(description="汇总数据的统计时间（预警与超期未办结为实时数据）")
    rows: list[FiguresOut]
    total: FiguresOut


class RankingRowOut(Schema):
    rank: int | None = Field(description="全市名次（并列同名次）；无数据的部门为 null")
    score: float | None = Field(description="综合得分（百分制）")
    department: str
    department_name: str
    on_time_rate: float | None
    satisfaction_rate: float | None
    rectification_timeliness: float | None
    concluded: int
    rated: int
    bad: int


class RankingOut(Schema):
    year: int
    quarter: int
    period: PeriodOut
    complete: bool = Field(description="季度是否已结束")
    weights: dict[str, int] = Field(description="权重（%）：on_time 限时办结率、satisfaction 满意率、rectification 整改及时率")
    policy_source: str
    ranked: int = Field(description="全市参与排名的部门数")
    rows: list[RankingRowOut]


class RefreshOut(Schema):
    full: bool
    skipped: bool = Field(description="刚刷新过（30 秒内）或正在刷新，本次未执行")
    window_start: dt.date | None
    rows: int
    seconds: float
    refreshed_at: dt.datetime | None


class DrillCaseOut(Schema):
    case_no: str
    item_name: str
    applicant_name: str
    department: str
    department_name: str
    status: str
    status_label: str
    accepted_on: dt.date | None
    deadline: dt.date | None
    decided_on: dt.date | None
    on_time: bool | None
    warning: str
    url: str = Field(description="办件详情页地址")


class DrillPageOut(Schema):
    items: list[DrillCaseOut]
    next_cursor: str | None


# --- Ratings and rectifications ------------------------------------------------------------------
class RateIn(Schema):
    case_no: str = Field(max_length=24, description="办件编号")
    score: int = Field(description="评价等级：5 非常满意、4 满意、3 基本满意、2 不满意、1 非常不满意")
    comment: str = Field(default="", max_length=500, description="评价内容（选填）")


class LookupRateIn(RateIn):
    last4: str = Field(max_length=4, description="申请人证件号码后四位")


class RatingOut(Schema):
    id: int
    case_no: str
    item_name: str
    department: str
    department_name: str
    score: int
    grade: str
    comment: str
    channel: str
    rated_at: dt.datetime
    rectification_id: int | None
    rectification_status: RectificationStatus | None


class RatingPageOut(Schema):
    items: list[RatingOut]
    next_cursor: str | None


class EntryOut(Schema):
    kind: str
    text: str
    actor_name: str
    at: dt.datetime


class RectificationOut(Schema):
    id: int
    row_version: int
    status: RectificationStatus
    status_label: str
    case_no: str
    item_name: str
    department: str
    department_name: str
    score: int
    grade: str
    comment: str
    opened_on: dt.date
    due_on: dt.date
    due_provisional: bool
    late: bool
    returns: int
    response: str
    measures: str
    review_note: str
    entries: list[EntryOut] = Field(default_factory=list, description="办理记录（仅详情）")


class RectificationPageOut(Schema):
    items: list[RectificationOut]
    next_cursor: str | None


class RespondIn(Schema):
    row_version: int = RowVersion
    response: str = Field(max_length=2000, description="回访核实情况")
    measures: str = Field(max_length=2000, description="整改措施")


class ReviewIn(Schema):
    row_version: int = RowVersion
    note: str = Field(default="", max_length=2000, description="审核意见（退回时必填）")
