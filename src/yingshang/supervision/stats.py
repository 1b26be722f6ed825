"""The e-supervision report for a period, by department or by item, within the user's scope.

A fixed number of queries whatever the number of departments or items (tested): the rollup summed by
(department, item), the open cases' live figures, the rectifications opened in the period, the
names, and the rollup's "as of". Rows are folded in Python from the (department, item) groups.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery, Sum

from yingshang.cases import rules as case_rules
from yingshang.cases.models import Case
from yingshang.catalog.models import ServiceItem, ServiceItemVersion
from yingshang.kernel import access, clock
from yingshang.kernel.errors import Forbidden, InvalidInput
from yingshang.kernel.models import Department
from yingshang.kernel.services.calendar import RANGE_END, RANGE_START
from yingshang.supervision import rules
from yingshang.supervision.models import DailyStat, Rectification, RollupState
from yingshang.supervision.models.stats import COUNTERS
from yingshang.supervision.services import common

BY_DEPARTMENT, BY_ITEM = "department", "item"
LIVE = ("yellow", "red", "open_overdue")
RECT = ("rect_total", "rect_open", "rect_responded", "rect_closed", "rect_overdue", "rect_timely", "rect_settled")


@dataclass
class Row:
    """One department's or item's figures; the rates are None where there is nothing to divide by."""

    key: int | None
    code: str = ""
    name: str = ""
    department_name: str = ""  # for item rows: the owning department
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS + LIVE + RECT, 0))

    def add(self, values: dict[str, int]) -> None:
        for name, value in values.items():
            self.counts[name] += value or 0

    def __getattr__(self, name):  # row.accepted, row.rect_open … in templates
        counts = self.__dict__.get("counts")
        if counts is not None and name in counts:
            return counts[name]
        raise AttributeError(name)

    @property
    def overdue(self) -> int:
        return rules.overdue_total(self.counts["late"], self.counts["open_overdue"])

    @property
    def warnings(self) -> int:
        return self.counts["yellow"] + self.counts["red"]

    @property
    def on_time_rate(self) -> float | None:
        return rules.on_time_rate(self.counts["on_time"], self.counts["concluded"])

    @property
    def avg_working_days(self) -> float | None:
        return rules.average(self.counts["working_days"], self.counts["timed"])

    @property
    def satisfaction_rate(self) -> float | None:
        return rules.satisfaction_rate(self.counts["satisfied"], self.counts["rated"])

    @property
    def good_rate(self) -> float | None:
        return rules.good_rate(self.counts["not_bad"], self.counts["rated"])

    @property
    def average_score(self) -> float | None:
        return rules.average(self.counts["score_sum"], self.counts["rated"])

    @property
    def rectification_timeliness(self) -> float | None:
        return rules.rectification_timeliness(self.counts["rect_timely"], self.counts["rect_settled"])

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "department_name": self.department_name, **self.counts,
                "overdue": self.overdue, "warnings": self.warnings, "on_time_rate": self.on_time_rate,
                "avg_working_days": self.avg_working_days, "satisfaction_rate": self.satisfaction_rate,
                "good_rate": self.good_rate, "average_score": self.average_score,
                "rectification_timeliness": self.rectification_timeliness}


@dataclass
class Report:
    period: rules.Period
    by: str
    rows: list[Row]
    total: Row
    as_of: object  # when the rollup was last refreshed (None: never)
    today: date
    department: Department | None = None


def parse_period(start: date | None, end: date | None, preset: str = "", today: date | None = None) -> rules.Period:
    """A period from explicit dates or a preset (default: this year up to today), checked."""
    today = today or clock.today()
    if preset:
        if preset not in rules.PRESETS:
            raise InvalidInput("supervision.bad_preset", "快捷时段无效，可选：" + "、".join(
                f"{k}（{v}）" for k, v in rules.PRESETS.items()), details={"field": "preset"}, status=422)
        if start is None and end is None:
            return rules.preset_period(preset, today)
    if start is None and end is None:
        return rules.preset_period("year", today)
    start = start or date(end.year, 1, 1)
    end = end or today
    if start > end:
        raise InvalidInput("supervision.bad_period", "开始日期不能晚于结束日期", status=422)
    if start < RANGE_START or end > RANGE_END:
        raise InvalidInput("supervision.bad_period", f"统计时段须在 {RANGE_START} 至 {RANGE_END} 之间", status=422)
    period = rules.Period(start, end)
    if period.days > rules.MAX_PERIOD_DAYS:
        raise InvalidInput("supervision.period_too_long", "统计时段不能超过 3 年", status=422)
    return period


def scoped_department(user, code: str) -> Department | None:
    """The department filter of a report or drill-down, which must be within the user's scope."""
    code = (code or "").strip()[:40]
    if not code:
        return None
    department = access.visible_departments(user).filter(code=code).first()
    if department is None:
        raise Forbidden("supervision.department_out_of_scope", f"部门“{code}”不存在或不在您的查看范围内")
    return department


def report(user, period: rules.Period, by: str = BY_DEPARTMENT, department: Department | None = None,
           today: date | None = None) -> Report:
    """The report the user may see: their scope (city, subtree or department), optionally one department."""
    return reports(user, period, department, today, by=(by,))[0]


def reports(user, period: rules.Period, department: Department | None = None, today: date | None = None,
            by: tuple[str, ...] = (BY_DEPARTMENT, BY_ITEM)) -> list[Report]:
    """One report per grouping in `by`, all folded from the same queries (the page shows one, the
    Excel export both)."""
    common.check_perm(user, common.VIEW)
    scope = access.department_filter(user, "department")
    if department is not None:
        scope &= Q(department_id=department.pk)
    results = compute(scope, period, by, today)
    for result in results:
        result.department = department
    return results


def compute(scope: Q, period: rules.Period, by: tuple[str, ...] = (BY_DEPARTMENT,),
            today: date | None = None) -> list[Report]:
    """Reports over the departments `scope` (a Q on a `department` field) admits. No permission check:
    the callers are `reports`, the city-wide ranking and the export command."""
    if any(b not in (BY_DEPARTMENT, BY_ITEM) for b in by):
        raise InvalidInput("supervision.bad_grouping", "分组须为 department（按部门）或 item（按事项）", status=422)
    today = today or clock.today()
    found = _groups(scope, period, today)
    as_of = RollupState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
    results = []
    for grouping in by:
        rows = _fold(found, grouping)
        total = Row(key=None, name="合计")
        for row in rows:
            total.add(row.counts)
        results.append(Report(period, grouping, rows, total, as_of, today))
    return results


def _grouped(field: str) -> ExpressionWrapper:
    """`field + 0`: the same value, but SQLite can no longer satisfy the GROUP BY by walking the index
    that starts with the column (all million cases) and seeks the few open cases by status instead."""
    return ExpressionWrapper(F(field) + 0, output_field=IntegerField())


def _groups(scope: Q, period: rules.Period, today: date) -> dict[tuple[int, int], dict[str, int]]:
    """Every figure per (department, item): three grouped queries."""
    groups: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    sums = {name: Sum(name) for name in COUNTERS}
    for row in (DailyStat.objects.filter(scope, day__range=(period.start, period.end)).order_by()
                .values("department_id", "item_id").annotate(**sums)):
        groups[(row["department_id"], row["item_id"])].update({k: row[k] for k in COUNTERS})

    open_overdue = Q(deadline__lt=today, deadline__lte=period.end)
    for row in (Case.objects.filter(scope, status__in=rules.OPEN_STATUSES)
                .filter(Q(warning__in=(case_rules.YELLOW, case_rules.RED)) | open_overdue).order_by()
                .values(dept=_grouped("department_id"), itm=_grouped("item_id"))
                .annotate(yellow=Count("id", filter=Q(warning=case_rules.YELLOW)),
                          red=Count("id", filter=Q(warning=case_rules.RED)),
                          open_overdue=Count("id", filter=open_overdue))):
        groups[(row["dept"], row["itm"])].update({k: row[k] for k in LIVE})

    answered = Q(status__in=(rules.RESPONDED, rules.CLOSED))
    for row in (Rectification.objects.filter(scope, opened_on__range=(period.start, period.end)).order_by()
                .values("department_id", "item_id")
                .annotate(rect_total=Count("id"), rect_open=Count("id", filter=Q(status=rules.OPEN)),
                          rect_responded=Count("id", filter=Q(status=rules.RESPONDED)),
                          rect_closed=Count("id", filter=Q(status=rules.CLOSED)),
                          rect_overdue=Count("id", filter=Q(status=rules.OVERDUE)),
                          rect_timely=Count("id", filter=answered & Q(late=False)),
                          rect_settled=Count("id", filter=answered | Q(late=True)))):
        groups[(row["department_id"], row["item_id"])].update({k: row[k] for k in RECT})
    return groups


def _fold(groups: dict[tuple[int, int], dict[str, int]], by: str) -> list[Row]:
    rows: dict[int, Row] = {}
    for (dept_id, item_id), values in groups.items():
        key = dept_id if by == BY_DEPARTMENT else item_id
        rows.setdefault(key, Row(key=key)).add(values)
    if by == BY_DEPARTMENT:
        for dept_id, code, name in Department.objects.filter(pk__in=rows).values_list("id", "code", "name"):
            rows[dept_id].code, rows[dept_id].name = code, name
        return sorted(rows.values(), key=lambda r: r.code)
    latest = (ServiceItemVersion.objects.filter(item=OuterRef("pk")).exclude(status="draft")
              .order_by("-number").values("name")[:1])
    for item_id, code, name, dept_name in (ServiceItem.objects.filter(pk__in=rows)
                                           .annotate(latest=Subquery(latest))
                                           .values_list("id", "code", "latest", "department__name")):
        rows[item_id].code, rows[item_id].name, rows[item_id].department_name = code, name or code, dept_name
    return sorted(rows.values(), key=lambda r: r.code)
