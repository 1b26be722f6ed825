"""The credit office dashboard page (/credit/dashboard/) and the score block of the subject page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from yingshang.credit import charts
from yingshang.credit.choices import ListKind
from yingshang.credit.services import common, dashboard, monitoring, scores, subjects
from yingshang.credit.views_monitoring import quality_charts
from yingshang.kernel import access
from yingshang.kernel.errors import ServiceError

KIND_LABELS = dict(ListKind.choices)


@login_required
@require_GET
def dashboard_page(request):
    dashboard.check_view(request.user)
    error = ""
    try:
        month = monitoring.month_of(request.GET.get("month"))
    except ServiceError as exc:
        month, error = monitoring.month_of(None), exc.message
    data = dashboard.build(request.user, month=month)
    figures = [
        charts.column_chart("collected", "各月归集信用信息（条）", data.month_totals()),
    ]
    bars = [
        charts.bar_chart("by-department", "近12个月各部门归集量（条）", [(r["name"], r["total"]) for r in data.by_department]),
        charts.bar_chart("lists", "在列名单（按类型）", [(r["name"], r["active"]) for r in data.lists]),
        charts.bar_chart("feedback", "联合奖惩措施实施（按部门）", [(r["name"], r["applied"]) for r in data.feedback]),
        *quality_charts(data.quality),
    ]
    return render(request, "credit/dashboard.html", {
        "data": data, "columns": figures, "charts": bars, "month": f"{month:%Y-%m}", "error": error,
        "quality": data.quality, "totals": data.quality.totals(),
        "list_kinds": [(KIND_LABELS[k], n) for k, n in data.list_kinds.items()],
        "collected_rows": [(m, data.collected.get(m, {})) for m, _n in data.month_totals()]})


@login_required
@require_GET
def subject_score(request, pk: int):
    """The score or grade with its explanation (HTMX fragment of the subject page, or a page of its own)."""
    access.check_perm(request.user, common.VIEW)
    try:
        subject = subjects.get(pk)
        explanation = scores.explain(subject)
    except ServiceError as exc:
        raise Http404(exc.message) from None
    template = "credit/score_block.html" if request.headers.get("HX-Request") else "credit/score.html"
    return render(request, template, {"subject": subject, "explanation": explanation})
