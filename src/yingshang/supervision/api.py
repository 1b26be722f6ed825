"""The supervision API: statistics by department or item for a period, drill-down, the quarterly
ranking, refreshing the statistics, ratings (by the applicant, or by case number + ID last four
without an account) and rectifications (list, answer, close, return).

Errors are `{"code", "message", "details"}` with 400 (bad input), 403, 404, 409, 422 or 429.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from ninja import Query, Router, Status

from yingshang.kernel import clock
from yingshang.kernel.api.auth import signed_in
from yingshang.kernel.errors import ServiceError
from yingshang.kernel.middleware import client_ip
from yingshang.supervision import drill, queries, ranking, rules, stats
from yingshang.supervision.api_schemas import (
    ByValue,
    DrillPageOut,
    Error,
    LookupRateIn,
    MetricValue,
    PresetValue,
    RankingOut,
    RateIn,
    RatingOut,
    RatingPageOut,
    RectificationOut,
    RectificationPageOut,
    RectificationStatus,
    RefreshOut,
    RespondIn,
    ReviewIn,
    StatsOut,
)
from yingshang.supervision.models import Rating, Rectification
from yingshang.supervision.services import common, ratings, rectifications, rollup
from yingshang.supervision.views_ratings import LOOKUP_FAILURES, LOOKUP_WINDOW

router = Router(tags=["电子监察"], auth=signed_in)
ERRORS = {400: Error, 403: Error, 404: Error, 409: Error, 422: Error}
Cursor = Annotated[str | None, Query(max_length=200, description="上一页响应中的 next_cursor")]
Limit = Annotated[int, Query(ge=1, le=100)]


class TooManyAttempts(ServiceError):
    status = 429


# --- Presentation ------------------------------------------------------------------------------
def _rating(r: Rating) -> dict:
    rect = getattr(r, "rectification", None)
    return {"id": r.pk, "case_no": r.case.case_no, "item_name": r.case.item_name, "department": r.department.code,
            "department_name": r.department.name, "score": r.score, "grade": r.grade_label, "comment": r.comment,
            "channel": r.channel, "rated_at": r.rated_at, "rectification_id": rect.pk if rect else None,
            "rectification_status": rect.status if rect else None}


def _rectification(rect: Rectification, entries: bool = False) -> dict:
    case = rect.rating.case
    return {"id": rect.pk, "row_version": rect.row_version, "status": rect.status, "status_label": rect.status_label,
            "case_no": case.case_no, "item_name": case.item_name, "department": rect.department.code,
            "department_name": rect.department.name, "score": rect.rating.score, "grade": rect.rating.grade_label,
            "comment": rect.rating.comment, "opened_on": rect.opened_on, "due_on": rect.due_on,
            "due_provisional": rect.due_provisional, "late": rect.late, "returns": rect.returns,
            "response": rect.response, "measures": rect.measures, "review_note": rect.review_note,
            "entries": [{"kind": e.kind, "text": e.text, "actor_name": e.actor_name, "at": e.at}
                        for e in rect.entries.all()] if entries else []}


def _period(start, end, preset) -> rules.Period:
    return stats.parse_period(start, end, preset or "")


# --- Statistics ----------------------------------------------------------------------------------
@router.get("/stats", response={200: StatsOut, **ERRORS}, summary="时段统计（按部门或按事项）",
            description="受理、办结、限时办结率、超期、预警、平均办理用时、满意率、差评及整改，按权限范围（监察人员与市领导全市，"
                        "部门负责人本部门及下级）。不填日期时为 preset 指定的快捷时段（默认本年至今）。口径见 docs/rules.md。")
def get_stats(
    request,
    by: Annotated[ByValue, Query(description="department 按部门；item 按事项")] = "department",
    start: Annotated[dt.date | None, Query(alias="from", description="开始日期（含）")] = None,
    end: Annotated[dt.date | None, Query(alias="to", description="结束日期（含）")] = None,
    preset: Annotated[PresetValue | None, Query(description="快捷时段")] = None,
    department: Annotated[str, Query(max_length=40, description="只统计该部门（编码）")] = "",
):
    common.check_perm(request.user, common.VIEW)
    period = _period(start, end, preset)
    dept = stats.scoped_department(request.user, department)
    result = stats.report(request.user, period, by, dept)
    return {"period": {"start": period.start, "end": period.end}, "by": by, "department": dept.code if dept else None,
            "as_of": result.as_of, "rows": [r.as_dict() for r in result.rows], "total": result.total.as_dict()}


@router.get("/cases", response={200: DrillPageOut, **ERRORS}, summary="统计钻取：办件列表",
            description="某项统计背后的办件，新办件在前，游标分页。")
def drill_cases(
    request,
    metric: Annotated[MetricValue, Query(description="指标")],
    start: Annotated[dt.date | None, Query(alias="from")] = None,
    end: Annotated[dt.date | None, Query(alias="to")] = None,
    preset: Annotated[PresetValue | None, Query()] = None,
    department: Annotated[str, Query(max_length=40)] = "",
    item: Annotated[str, Query(max_length=64, description="事项编码")] = "",
    cursor: Cursor = None,
    limit: Limit = 20,
):
    common.check_perm(request.user, common.VIEW)
    filters = drill.Filters(metric, _period(start, end, preset), department, item)
    rows, next_cursor = drill.page(request.user, filters, cursor, limit)
    return {"items": [{**{k: row[k] for k in ("case_no", "item_name", "applicant_name", "status", "status_label",
                                               "accepted_on", "deadline", "decided_on", "on_time", "warning")},
                       "department": row["department__code"], "department_name": row["department__name"],
                       "url": reverse("cases:detail", args=[row["case_no"]])} for row in rows],
            "next_cursor": next_cursor}


@router.get("/ranking", response={200: RankingOut, **ERRORS}, summary="部门季度排名",
            description="综合得分 = Σ 权重 × 指标（百分制），权重为季度末日施行的电子监察参数；默认上一个完整季度。")
def get_ranking(request, year: Annotated[int | None, Query(ge=2000, le=2099)] = None,
                quarter: Annotated[int | None, Query(ge=1, le=4)] = None):
    today = clock.today()
    default_year, default_quarter = rules.previous_quarter(today)
    result = ranking.quarterly(request.user, year or default_year, quarter or default_quarter, today)
    return {"year": result.year, "quarter": result.quarter,
            "period": {"start": result.period.start, "end": result.period.end}, "complete": result.complete,
            "weights": result.policy.weights, "policy_source": result.policy.source, "ranked": result.ranked,
            "rows": [{"rank": r.rank, "score": r.score, "department": r.row.code, "department_name": r.row.name,
                      "on_time_rate": r.row.on_time_rate, "satisfaction_rate": r.row.satisfaction_rate,
                      "rectification_timeliness": r.row.rectification_timeliness, "concluded": r.row.concluded,
                      "rated": r.row.rated, "bad": r.row.bad} for r in result.rows]}


@router.post("/refresh", response={200: RefreshOut, **ERRORS}, summary="立即刷新统计",
             description="重算最近 62 天的汇总（首次或工作日历变化后为全量重算）；30 秒内重复请求不再执行。")
def refresh(request):
    common.check_perm(request.user, common.REFRESH)
    return rollup.refresh(on_demand=True).as_dict()


# --- Ratings ---------------------------------------------------------------------------------------
def _rating_out(rating: Rating) -> dict:
    loaded = Rating.objects.select_related("case", "department", "rectification").get(pk=rating.pk)
    return _rating(loaded)


@router.post("/ratings", response={201: RatingOut, **ERRORS}, summary="评价办件（申请人）",
             description="申请人本人对已办结的办件评价一次；1、2 分为差评，自动派发主办部门整改。")
def create_rating(request, body: RateIn):
    with transaction.atomic():
        rating = ratings.do_rate(request.user, body.case_no, body.score, body.comment)
    return Status(201, _rating_out(rating))


@router.post("/ratings/lookup", auth=None, response={201: RatingOut, 429: Error, **ERRORS},
             summary="凭办件编号和证件号码后四位评价（无需登录）",
             description="窗口申报、没有账号的申请人使用；每个地址每小时最多失败 10 次。")
def create_rating_by_lookup(request, body: LookupRateIn):
    key = f"supervision:lookup:{client_ip(request)}"
    misses = cache.get(key, 0)
    if misses >= LOOKUP_FAILURES:
        raise TooManyAttempts("supervision.too_many_attempts", "尝试次数过多，请一小时后再试，或拨打 12345 咨询")
    try:
        with transaction.atomic():
            rating = ratings.do_rate_by_lookup(body.case_no, body.last4, body.score, body.comment)
    except ServiceError as exc:
        if exc.code == "supervision.lookup_failed":
            cache.set(key, misses + 1, LOOKUP_WINDOW)
        raise
    result = _rating_out(rating)
    result["comment"] = ""  # the caller proved only the last four characters: echo nothing personal
    return Status(201, result)


@router.get("/ratings", response={200: RatingPageOut, **ERRORS}, summary="评价列表（工作人员）",
            description="权限范围内的评价，新评价在前，游标分页。")
def list_ratings(
    request,
    bad: Annotated[bool, Query(description="只看差评")] = False,
    department: Annotated[str, Query(max_length=40)] = "",
    start: Annotated[dt.date | None, Query(alias="from")] = None,
    end: Annotated[dt.date | None, Query(alias="to")] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
):
    filters = queries.RatingFilters(rules.BAD_MAX if bad else None, department, start, end)
    rows, next_cursor = queries.ratings_page(request.user, filters, cursor, limit)
    return {"items": [_rating(r) for r in rows], "next_cursor": next_cursor}


# --- Rectifications --------------------------------------------------------------------------------
@router.get("/rectifications", response={200: RectificationPageOut, **ERRORS}, summary="差评整改列表",
            description="部门人员看本部门（负责人含下级），监察人员看全市；新任务在前，游标分页。")
def list_rectifications(request, status: Annotated[RectificationStatus | None, Query()] = None,
                        department: Annotated[str, Query(max_length=40)] = "", cursor: Cursor = None,
                        limit: Limit = 20):
    rows, next_cursor = queries.rectifications_page(request.user, status or "", department, cursor, limit)
    return {"items": [_rectification(r) for r in rows], "next_cursor": next_cursor}


def _detail(user, rect_id: int) -> dict:
    return _rectification(queries.rectification(user, rect_id), entries=True)


@router.get("/rectifications/{rect_id}", response={200: RectificationOut, **ERRORS}, summary="差评整改详情")
def get_rectification(request, rect_id: int):
    return _detail(request.user, rect_id)


@router.post("/rectifications/{rect_id}/respond", response={200: RectificationOut, **ERRORS},
             summary="反馈整改情况（部门）", description="待整改或已逾期的任务；期限后反馈记为逾期。")
def respond(request, rect_id: int, body: RespondIn):
    with transaction.atomic():
        rectifications.do_respond(request.user, rect_id, body.row_version, response=body.response,
                                  measures=body.measures)
    return _detail(request.user, rect_id)


@router.post("/rectifications/{rect_id}/close", response={200: RectificationOut, **ERRORS},
             summary="审核通过并办结（监察人员）")
def close(request, rect_id: int, body: ReviewIn):
    with transaction.atomic():
        rectifications.do_close(request.user, rect_id, body.row_version, note=body.note)
    return _detail(request.user, rect_id)


@router.post("/rectifications/{rect_id}/return", response={200: RectificationOut, **ERRORS},
             summary="退回重新整改（监察人员）", description="须填写退回理由；部门获得新的整改期限。")
def return_(request, rect_id: int, body: ReviewIn):
    with transaction.atomic():
        rectifications.do_return(request.user, rect_id, body.row_version, note=body.note)
    return _detail(request.user, rect_id)
