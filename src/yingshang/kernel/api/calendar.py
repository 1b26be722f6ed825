"""Public working-day arithmetic and each year's holiday schedule.

Suspensions (clock-stops) are repeated `suspension` query parameters, each an ISO 8601 interval
`START/END` with both ends inclusive: `?suspension=2026-03-02/2026-03-10&suspension=...`. Dates are
YYYY-MM-DD (or YYYYMMDD). Bad input answers 400 (or 422 for a malformed parameter type) with
`{"code", "message", "details"}`, never 500.
"""

import datetime as dt
from typing import Annotated, Literal

from ninja import Field, Query, Router, Schema

from yingshang.kernel.services import calendar

router = Router(tags=["工作日历"])

MAX_DAYS = 36_500

_SUSPENSION_HELP = (f"暂停计时区间，格式 开始日期/结束日期（含首尾），可重复，最多 {calendar.MAX_SUSPENSIONS} 个；"
                    "区间内的工作日不计入")
_PROVISIONAL_HELP = "涉及的年份中有尚无官方安排的年份时为 true：该年按法定假日推算（临时日历，未含调休）"


class Error(Schema):
    code: str = Field(description="机器可读代码，如 calendar.date_format、calendar.out_of_range")
    message: str = Field(description="中文说明")
    details: dict | list | None = None


class WorkdayResultOut(Schema):
    date: dt.date = Field(description="结果日期")
    provisional: bool = Field(description=_PROVISIONAL_HELP)


class WorkdayCountOut(Schema):
    days: int = Field(description="工作日数；结束日期早于开始日期时为负数")
    provisional: bool = Field(description=_PROVISIONAL_HELP)


class ScheduleDayOut(Schema):
    date: dt.date
    kind: Literal["holiday", "workday"] = Field(description="holiday 休息日；workday 调休上班")
    name: str = Field(description="节日名称")
    weekday: str = Field(description="星期，如 周六")


class YearScheduleOut(Schema):
    year: int
    official: bool = Field(description="是否为国务院办公厅公布的官方安排")
    provisional: bool = Field(description="与 official 相反：按法定假日推算的临时日历")
    source: str = Field(description="来源：官方通知，或推算所依据的放假办法版本")
    working_days: int = Field(description="全年工作日数")
    days: list[ScheduleDayOut] = Field(description="节假日与调休上班日，按日期排序")


Suspensions = Annotated[list[str] | None, Query(description=_SUSPENSION_HELP)]


def _suspensions(values: list[str] | None) -> list[calendar.Suspension]:
    return [calendar.parse_suspension(v) for v in values or []]


@router.get(
    "/add-workdays", response={200: WorkdayResultOut, 400: Error, 422: Error}, auth=None,
    summary="推算第 N 个工作日",
    description=("返回起算日期之后第 n 个工作日（起算日期当天不计）；n = 0 返回起算日期本身；n < 0 向前推算。"
                 "节假日与调休按国务院办公厅公布的安排，尚无安排的年份按法定假日推算并标记 provisional。"),
)
def add_workdays(
    request,
    date: str = Query(..., description="起算日期 YYYY-MM-DD", examples=["2026-09-30"]),
    n: int = Query(..., ge=-MAX_DAYS, le=MAX_DAYS, description="工作日数", examples=[20]),
    suspension: Suspensions = None,
):
    start = calendar.parse_date(date, "起算日期")
    result = calendar.add_working_days(start, n, _suspensions(suspension))
    return {"date": result.date, "provisional": result.provisional}


@router.get(
    "/workdays-between", response={200: WorkdayCountOut, 400: Error, 422: Error}, auth=None,
    summary="两日之间的工作日数",
    description="统计 (start, end] 中的工作日数：开始日期不计，结束日期计入；暂停计时区间内的工作日不计。",
)
def workdays_between(
    request,
    start: str = Query(..., description="开始日期 YYYY-MM-DD（不计入）", examples=["2026-09-30"]),
    end: str = Query(..., description="结束日期 YYYY-MM-DD（计入）", examples=["2026-10-31"]),
    suspension: Suspensions = None,
):
    result = calendar.working_days_between(
        calendar.parse_date(start, "开始日期"), calendar.parse_date(end, "结束日期"), _suspensions(suspension))
    return {"days": result.days, "provisional": result.provisional}


@router.get(
    "/{year}", response={200: YearScheduleOut, 400: Error, 422: Error}, auth=None, summary="年度节假日安排",
    description="某年的节假日与调休上班日。已导入官方安排的年份 official 为 true；否则为按法定假日推算的临时日历。",
)
def year_schedule(request, year: int):
    schedule = calendar.year_schedule(year)
    return {
        "year": schedule.year, "official": schedule.official, "provisional": schedule.provisional,
        "source": schedule.source, "working_days": schedule.working_days,
        "days": [{"date": d.date, "kind": d.kind, "name": d.name, "weekday": d.weekday} for d in schedule.days],
    }
