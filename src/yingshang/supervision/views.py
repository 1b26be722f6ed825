"""Pages for supervisors, leaders and department heads: the report with charts, drill-down, Excel
export, the quarterly ranking, and refreshing the statistics.

Permissions and scope are decided by the query and service functions; a refusal is shown as the
403 page with its Chinese message, a bad filter as a message above the default report.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yingshang.kernel import access, clock
from yingshang.kernel.errors import Forbidden, ServiceError
from yingshang.supervision import charts, drill, excel, ranking, rules, stats
from yingshang.supervision.services import common, rollup

PAGE_SIZE = 20


def _require(request, permission: str) -> None:
    if not access.has_perm(request.user, permission):
        raise PermissionDenied(_("您没有访问此页面的权限"))


def _date(request, name: str, errors: list[str]) -> date | None:
    raw = request.GET.get(name, "").strip()[:10]
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors.append(_("日期“%(value)s”格式不正确，应为 YYYY-MM-DD。") % {"value": raw})
        return None


def _period(request) -> tuple[rules.Period, str]:
    """The period asked for, or this year to date with a message when the request was not valid."""
    errors: list[str] = []
    start, end = _date(request, "from", errors), _date(request, "to", errors)
    preset = request.GET.get("preset", "")[:20]
    try:
        period = stats.parse_period(start, end, preset if not (start or end) else "")
    except ServiceError as exc:
        errors.append(exc.message)
        period = stats.parse_period(None, None)
    for error in errors:
        messages.error(request, error)
    return period, preset


def _department(request):
    try:
        return stats.scoped_department(request.user, request.GET.get("department", ""))
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None


def _period_query(period: rules.Period) -> str:
    return urlencode({"from": period.start.isoformat(), "to": period.end.isoformat()})


@login_required
def report(request):
    _require(request, common.VIEW)
    period, preset = _period(request)
    by = request.GET.get("by") if request.GET.get("by") in (stats.BY_DEPARTMENT, stats.BY_ITEM) else stats.BY_DEPARTMENT
    department = _department(request)
    result = stats.report(request.user, period, by, department)
    on_time = charts.rate_chart("on-time", _("限时办结率"), result.rows, lambda r: r.on_time_rate)
    satisfaction = charts.rate_chart("satisfaction", _("满意率"), result.rows, lambda r: r.satisfaction_rate)
    query = _period_query(period) + (f"&department={department.code}" if department else "")
    return render(request, "supervision/report.html", {
        "report": result, "charts": [on_time, satisfaction], "presets": rules.PRESETS, "preset": preset,
        "period_query": _period_query(period), "query": query, "by": by, "department": department,
        "departments": access.visible_departments(request.user).filter(kind="department").order_by("path")[:500],
        "can_refresh": access.has_perm(request.user, common.REFRESH), "grades": rules.GRADES,
    })


@login_required
def cases(request):
    """The cases behind a figure: ?metric=…&from=…&to=…[&department=…][&item=…][&cursor=…]."""
    _require(request, common.VIEW)
    period, _preset = _period(request)
    metric = request.GET.get("metric", "")
    if metric not in drill.METRICS:
        messages.error(request, _("请选择要查看的指标。"))
        return redirect("supervision:report")
    filters = drill.Filters(metric=metric, period=period, department_code=request.GET.get("department", "")[:40],
                            item_code=request.GET.get("item", "")[:64])
    try:
        rows, next_cursor = drill.page(request.user, filters, request.GET.get("cursor") or None, PAGE_SIZE)
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from None
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("supervision:report")
    base = {"metric": metric, "from": period.start.isoformat(), "to": period.end.isoformat()}
    if filters.department_code:
        base["department"] = filters.department_code
    if filters.item_code:
        base["item"] = filters.item_code
    return render(request, "supervision/cases.html", {
        "rows": rows, "next_cursor": next_cursor, "metric_label": drill.METRICS[metric], "period": period,
        "filters": filters, "query": urlencode(base), "back": reverse("supervision:report") + "?" + _period_query(period),
    })


@login_required
def export(request):
    """The report by department and by item as an Excel workbook."""
    _require(request, common.VIEW)
    period, _preset = _period(request)
    department = _department(request)
    by_department, by_item = stats.reports(request.user, period, department)
    response = HttpResponse(excel.workbook(by_department, by_item),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition_header(True, excel.filename(by_department))
    return response


@login_required
def ranking_page(request):
    _require(request, common.VIEW)
    today = clock.today()
    year, quarter = rules.previous_quarter(today)
    try:
        year = int(request.GET.get("year") or year)
        quarter = int(request.GET.get("quarter") or quarter)
        result = ranking.quarterly(request.user, year, quarter, today)
    except (ValueError, ServiceError) as exc:
        messages.error(request, getattr(exc, "message", _("年份和季度须为数字。")))
        year, quarter = rules.previous_quarter(today)
        result = ranking.quarterly(request.user, year, quarter, today)
    return render(request, "supervision/ranking.html", {
        "ranking": result, "years": range(today.year, max(today.year - 6, 1999), -1), "quarters": (1, 2, 3, 4),
        "criteria": rules.CRITERIA, "period_query": _period_query(result.period),
    })


@login_required
@require_POST
def refresh(request):
    _require(request, common.REFRESH)
    result = rollup.refresh(on_demand=True)
    if result.skipped:
        messages.info(request, _("统计刚刚刷新过或正在刷新，请稍后再看。"))
    else:
        messages.success(request, _("统计已刷新（%(rows)s 行，用时 %(seconds).1f 秒）。") % {
            "rows": result.rows, "seconds": result.seconds})
    target = request.POST.get("next", "")
    if not target.startswith("/supervision/") or "//" in target or "\\" in target:
        target = reverse("supervision:report")
    return redirect(target)
