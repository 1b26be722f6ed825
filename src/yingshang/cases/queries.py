"""Read-only queries behind the pages and the API: case list and search, the department inbox, one
case with everything on it. Lists are keyset-paginated (no OFFSET, no COUNT over a million rows)
and run a fixed number of queries whatever the page size (tested).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Count, Lookup, Prefetch, Q, QuerySet

from yingshang.cases import rules
from yingshang.cases.choices import StepStatus
from yingshang.cases.models import Case, CaseEvent, CaseStep
from yingshang.cases.services import common
from yingshang.kernel import access
from yingshang.kernel.errors import InvalidInput, NotFound
from yingshang.kernel.models import IssuedDocument

MAX_CURSOR_CHARS = 200
MAX_QUERY_CHARS = 100
CASE_NO = re.compile(r"^[A-Z]{1,10}\d{4,16}$")


class Prefix(Lookup):
    """`field__prefix=x`: starts-with that can use a B-tree index on both backends.

    PostgreSQL: LIKE 'x%' (with the varchar_pattern_ops index); SQLite: GLOB 'x*', case-sensitive,
    which SQLite serves from a plain (BINARY) index — its LIKE is case-insensitive and would not.
    """

    lookup_name = "prefix"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        value = str(self.rhs)
        if connection.vendor == "sqlite":
            escaped = re.sub(r"([*?\[])", r"[\1]", value)
            return f"{lhs} GLOB %s", [*lhs_params, escaped + "*"]
        escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"{lhs} LIKE %s", [*lhs_params, escaped + "%"]


for _field in ("case_no", "applicant_name"):
    Case._meta.get_field(_field).register_lookup(Prefix)


# --- Cursors -------------------------------------------------------------------------------------
def encode_cursor(key: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, default=str).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, shape: tuple[type, ...]) -> list:
    bad = InvalidInput("case.bad_cursor", "分页游标无效：请使用上一页响应中的 next_cursor 原样传回", status=422)
    if len(cursor) > MAX_CURSOR_CHARS:
        raise bad
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise bad from None
    if not isinstance(key, list) or len(key) != len(shape):
        raise bad
    out = []
    for value, kind in zip(key, shape, strict=True):
        if kind is date:
            try:
                value = date.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                value = None
        elif kind is int and (not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**62):
            value = None
        if value is None:
            raise bad
        out.append(value)
    return out


# --- Case list and search --------------------------------------------------------------------------
@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    department: str = ""  # owning department code
    warning: str = ""
    item: str = ""  # item code
    received_from: date | None = None
    received_to: date | None = None
    q: str = ""  # case number (or its beginning) or the beginning of the applicant's name

    def clean(self) -> CaseFilters:
        for value, allowed, name in ((self.status, rules.STATUSES, "状态"), (self.warning, tuple(rules.WARNING_LABELS), "预警")):
            if value and value not in allowed:
                raise InvalidInput("case.bad_filter", f"{name}“{value}”无效，可选：{'、'.join(allowed)}", status=422)
        if self.received_from and self.received_to and self.received_from > self.received_to:
            raise InvalidInput("case.bad_filter", "开始日期不能晚于结束日期", status=422)
        return self


def _lookup_id(model, code: str) -> int:
    """The id behind a code (0 when unknown: matches nothing), so the filter is a constant on the case
    table — a join on the code would make PostgreSQL merge-join the whole index."""
    return model.objects.filter(code=code).values_list("id", flat=True).first() or 0


def case_list(user, filters: CaseFilters) -> QuerySet:
    """The cases the user may see, filtered, newest first.

    Each equality filter has a composite (column, -id) index. The leading one is applied as a range
    (`>= v AND <= v`) and ordered by (column, -id) — the same order, since the column is fixed —
    so that PostgreSQL walks that index: with a plain `=` it drops the constant sort key and may
    walk the primary key backwards instead, scanning the whole table when the matching cases are
    all recent (e.g. "submitted"). A received-date range alone orders by (received_on, id) desc.
    """
    from yingshang.catalog.models import ServiceItem
    from yingshang.kernel.models import Department

    filters = filters.clean()
    cases = Case.objects.filter(common.visible_q(user))
    equal = {}
    if filters.item:
        equal["item_id"] = _lookup_id(ServiceItem, filters.item.strip().upper()[:64])
    if filters.department:
        equal["department_id"] = _lookup_id(Department, filters.department[:40])
    if filters.warning:
        equal["warning"] = filters.warning
    if filters.status:
        equal["status"] = filters.status
    if filters.received_from:
        cases = cases.filter(received_on__gte=filters.received_from)
    if filters.received_to:
        cases = cases.filter(received_on__lte=filters.received_to)
    q = (filters.q or "").strip()[:MAX_QUERY_CHARS]
    if q:
        number = q.upper().replace(" ", "")
        if CASE_NO.match(number):
            cases = cases.filter(case_no__prefix=number)
        elif number.isascii() and number.isalnum():
            cases = cases.filter(Q(applicant_name__prefix=q) | Q(case_no__prefix=number))
        else:
            cases = cases.filter(applicant_name__prefix=q)
    order: list[str] = ["-id"]
    for i, (column, value) in enumerate(equal.items()):
        if i == 0:
            cases = cases.filter(**{f"{column}__gte": value, f"{column}__lte": value})
            order = [column, "-id"]
        else:
            cases = cases.filter(**{column: value})
    if not equal and (filters.received_from or filters.received_to) and not q:
        order = ["-received_on", "-id"]
    return cases.select_related("department", "item").order_by(*order)


def _by_date(cases: QuerySet) -> bool:
    return tuple(cases.query.order_by[:1]) == ("-received_on",)


def page(cases: QuerySet, cursor: str | None, limit: int) -> tuple[list[Case], str | None]:
    """One page after the cursor (keyset, newest first) and the next cursor: [id], or [received_on, id]
    when the list is ordered by date."""
    by_date = _by_date(cases)
    if cursor:
        if by_date:
            day, last_id = decode_cursor(cursor, (date, int))
            cases = cases.filter(Q(received_on__lte=day) & (Q(received_on__lt=day) | Q(received_on=day, id__lt=last_id)))
        else:
            (last_id,) = decode_cursor(cursor, (int,))
            cases = cases.filter(id__lt=last_id)
    rows = list(cases[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if not (more and rows):
        return rows, None
    last = rows[-1]
    return rows, encode_cursor([last.received_on, last.pk] if by_date else [last.pk])


# --- Department inbox ---------------------------------------------------------------------------
def inbox(user, *, warning: str = "") -> QuerySet:
    """Active steps in the user's departments, most urgent (earliest deadline) first."""
    if warning and warning not in rules.WARNING_LABELS:
        raise InvalidInput("case.bad_filter", f"预警“{warning}”无效", status=422)
    steps = CaseStep.objects.filter(access.department_filter(user, "department"), status=StepStatus.ACTIVE)
    if warning:
        steps = steps.filter(case__warning=warning)
    return steps.select_related("case", "department", "case__department").order_by("case_deadline", "case_id", "id")


def inbox_page(steps: QuerySet, cursor: str | None, limit: int) -> tuple[list[CaseStep], str | None]:
    if cursor:
        deadline, case_id, step_id = decode_cursor(cursor, (date, int, int))
        # The redundant lower bound lets the index range start at the cursor instead of filtering up to it.
        steps = steps.filter(Q(case_deadline__gte=deadline) & (
            Q(case_deadline__gt=deadline) | Q(case_deadline=deadline, case_id__gt=case_id)
            | Q(case_deadline=deadline, case_id=case_id, id__gt=step_id)))
    rows = list(steps[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    nxt = None
    if more and rows:
        last = rows[-1]
        nxt = encode_cursor([last.case_deadline or date.min, last.case_id, last.pk])
    return rows, nxt


# --- The window's queue ------------------------------------------------------------------------
def window_queue(limit: int = 50) -> list[Case]:
    """Applications waiting for the window: submitted online or back after correction, oldest first."""
    return list(Case.objects.filter(status=rules.SUBMITTED).select_related("department")
                .order_by("received_on", "id")[:limit])


# --- One case ----------------------------------------------------------------------------------
def case_detail(user, case_no: str) -> Case:
    """The case with materials, steps, suspensions, extensions, commitments, events and documents."""
    number = (case_no or "").strip().upper()[:24]
    case = (Case.objects.filter(common.visible_q(user), case_no=number)
            .select_related("department", "item", "item_version", "hall", "clerk")
            .prefetch_related(
                "materials", "suspensions", "extensions", "commitments",
                Prefetch("steps", queryset=CaseStep.objects.select_related("department")),
                Prefetch("events", queryset=CaseEvent.objects.select_related("document").order_by("at", "id")),
            ).first()) if number else None
    if case is None:
        raise NotFound("case.not_found", f"没有编号为“{number or case_no}”的办件，或您无权查看")
    return case


def documents(case: Case) -> list[IssuedDocument]:
    return list(IssuedDocument.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("issued_at", "id"))


def public_progress(case_no: str, last4: str) -> Case | None:
    """The case when the number and the last four characters of the applicant's ID both match."""
    number = (case_no or "").strip().upper()[:24]
    tail = (last4 or "").strip().upper()[:4]
    if not number or len(tail) != 4:
        return None
    return (Case.objects.filter(case_no=number, identifier_last4=tail)
            .prefetch_related(Prefetch("events", queryset=CaseEvent.objects.filter(internal=False).order_by("at", "id")))
            .first())


# --- How much each item is used (the portal's 热门事项, through kernel.hooks.ITEM_USAGE) ------------------
USAGE_DAYS, USAGE_CACHE_SECONDS = 365, 600


def item_usage(*, limit: int, today: date, **_kwargs) -> list[tuple[int, int]]:
    """(item id, cases received in the last year), most first (1 query on the received-date index; cached
    for ten minutes: the home page is the busiest page and the ranking need not be to the minute)."""
    key = f"cases:item_usage:{today.isoformat()}:{limit}"
    rows = cache.get(key)
    if rows is None:
        rows = [tuple(row) for row in Case.objects.filter(received_on__gt=today - timedelta(days=USAGE_DAYS))
                .order_by().values_list("item_id").annotate(n=Count("id")).order_by("-n", "item_id")[:limit]]
        cache.set(key, rows, USAGE_CACHE_SECONDS)
    return rows
