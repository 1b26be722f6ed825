"""Drill-down from a figure of the report to the cases behind it: keyset-paginated (newest first, by id),
one query per page, within the user's scope. Each case links to the cases app's detail page.

The definitions match the report: accepted by `accepted_on`, concluded by `decided_on` with a concluded
status, open past deadline as in `rules.overdue_total`, bad ratings by the rating's date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from yingshang.cases import queries as case_queries
from yingshang.cases import rules as case_rules
from yingshang.cases.models import Case
from yingshang.kernel import access, clock
from yingshang.kernel.errors import InvalidInput
from yingshang.supervision import rules
from yingshang.supervision.services import common
from yingshang.supervision.stats import scoped_department

METRICS = {
    "accepted": "受理",
    "concluded": "办结",
    "on_time": "按时办结",
    "late": "超期办结",
    "open_overdue": "超期未办结",
    "overdue": "超期（超期办结 + 超期未办结）",
    "yellow": "黄牌预警（当前）",
    "red": "红牌预警（当前）",
    "rated": "已评价",
    "bad": "差评",
}
FIELDS = ("id", "case_no", "item_name", "applicant_name", "status", "accepted_on", "deadline", "decided_on",
          "on_time", "warning", "department__name", "department__code")


@dataclass(frozen=True)
class Filters:
    metric: str
    period: rules.Period
    department_code: str = ""
    item_code: str = ""


def metric_q(metric: str, period: rules.Period, today: date) -> Q:
    span = (period.start, period.end)
    concluded = Q(decided_on__range=span, status__in=rules.CONCLUDED_STATUSES)
    open_overdue = Q(status__in=rules.OPEN_STATUSES, deadline__lt=today, deadline__lte=period.end)
    return {
        "accepted": lambda: Q(accepted_on__range=span),
        "concluded": lambda: concluded,
        "on_time": lambda: concluded & Q(on_time=True),
        "late": lambda: concluded & Q(on_time=False),
        "open_overdue": lambda: open_overdue,
        "overdue": lambda: (concluded & Q(on_time=False)) | open_overdue,
        "yellow": lambda: Q(status__in=rules.OPEN_STATUSES, warning=case_rules.YELLOW),
        "red": lambda: Q(status__in=rules.OPEN_STATUSES, warning=case_rules.RED),
        "rated": lambda: Q(rating__rated_on__range=span),
        "bad": lambda: Q(rating__rated_on__range=span, rating__score__lte=rules.BAD_MAX),
    }[metric]()


def cases(user, filters: Filters, today: date | None = None) -> QuerySet:
    common.check_perm(user, common.VIEW)
    if filters.metric not in METRICS:
        raise InvalidInput("supervision.bad_metric", "指标无效，可选：" + "、".join(f"{k}（{v}）" for k, v in METRICS.items()),
                           details={"field": "metric"}, status=422)
    today = today or clock.today()
    qs = Case.objects.filter(access.department_filter(user, "department"),
                             metric_q(filters.metric, filters.period, today))
    department = scoped_department(user, filters.department_code)
    if department is not None:
        qs = qs.filter(department_id=department.pk)
    item = (filters.item_code or "").strip().upper()[:64]
    if item:
        qs = qs.filter(item__code=item)
    return qs.order_by("-id").values(*FIELDS)


def page(user, filters: Filters, cursor: str | None, limit: int, today: date | None = None) -> tuple[list[dict], str | None]:
    """One page of cases (dicts with their status label) after the cursor, and the next cursor."""
    qs = cases(user, filters, today)
    if cursor:
        (last_id,) = case_queries.decode_cursor(cursor, (int,))
        qs = qs.filter(id__lt=last_id)
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    for row in rows:
        row["status_label"] = case_rules.STATUS_LABELS.get(row["status"], row["status"])
        row["warning_label"] = case_rules.WARNING_LABELS.get(row["warning"], row["warning"])
    return rows, (case_queries.encode_cursor([rows[-1]["id"]]) if more and rows else None)
