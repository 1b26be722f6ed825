"""双公示 quality monitoring pages: the monthly ranking with a month picker, Excel and PDF downloads."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from yingshang.credit import charts
from yingshang.credit.services import monitoring, monitoring_export
from yingshang.kernel import access
from yingshang.kernel.errors import ServiceError

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month(request):
    try:
        return monitoring.month_of(request.GET.get("month") or request.POST.get("month")), ""
    except ServiceError as exc:
        return monitoring.month_of(None), exc.message


def quality_charts(report) -> list:
    rows = report.rows
    return [charts.bar_chart("quality-score", "综合得分", [(r.name, r.score / 100) for r in rows], percent=True,
                             good=0.95, fair=0.85),
            charts.bar_chart("quality-late", "迟报率", [(r.name, r.late_rate) for r in rows if r.late], percent=True)]


@login_required
@require_GET
def quality(request):
    monitoring.check_view(request.user)
    month, error = _month(request)
    report = monitoring.build(month, user=request.user)
    return render(request, "credit/monitoring.html", {
        "report": report, "totals": report.totals(), "month": f"{month:%Y-%m}", "error": error,
        "charts": quality_charts(report),
        "can_issue": access.has_perm(request.user, "kernel.issue_document")})


@login_required
@require_GET
def quality_xlsx(request):
    monitoring.check_view(request.user)
    month, _error = _month(request)
    data = monitoring_export.export_xlsx(monitoring.build(month, user=request.user))
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'双公示质量排名-{month:%Y-%m}.xlsx')}"
    return response


@login_required
@require_POST
def quality_pdf(request):
    """Issue the month's ranking as a verifiable PDF (a new registered document), then download it from
    the kernel's document page (post/redirect/get: the file is stored once the issue commits)."""
    month, error = _month(request)
    if error:
        messages.error(request, error)
        return redirect("credit:quality")
    try:
        monitoring_export.check_issue(request.user)
        with transaction.atomic():
            doc = monitoring_export.do_issue_report(request.user, monitoring.build(month, user=request.user))
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(f"{reverse('credit:quality')}?month={month:%Y-%m}")
    messages.success(request, f"已出具{doc.title}（文号 {doc.number}）")
    return redirect("document-download", code=doc.verification_code)
