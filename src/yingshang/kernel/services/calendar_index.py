"""The precomputed working-day index behind `services.calendar`, and keeping it fresh per process.

Arrays over every day from 2000-01-01 to 2099-12-31 make `add` two list look-ups and `between`
two, without suspensions; k suspensions cost O(k log k). The semantics are documented in
`yingshang.kernel.services.calendar`, the public entry point: import from there.

Freshness: app servers keep no state, so each process builds the index from the database and
re-checks a cheap fingerprint query at most every `CALENDAR_RECHECK_SECONDS` (default 30) seconds,
which notices edits by other processes. Saves through the ORM in this process (services, admin)
invalidate it at once, and again on commit for the other threads. An edit rolled back after this
process read it lingers here until the next fingerprint check, at most that many seconds.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from datetime import date
from itertools import accumulate
from time import monotonic
from typing import NamedTuple

from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Max, Sum, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.db.models.signals import post_delete, post_save

from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.models import CalendarDay, CalendarYear
from yingshang.kernel.rules import calendar as rules

RANGE_START = date(rules.FIRST_YEAR, 1, 1)
RANGE_END = date(rules.LAST_YEAR, 12, 31)
DEFAULT_RECHECK_SECONDS = 30.0
MAX_SUSPENSIONS = 200

HOLIDAY, WORKDAY = CalendarDay.Kind.HOLIDAY.value, CalendarDay.Kind.WORKDAY.value


class WorkdayResult(NamedTuple):
    date: date
    provisional: bool


class WorkdayCount(NamedTuple):
    days: int
    provisional: bool


class Suspension(NamedTuple):
    """A clock-stop: the working days from start to end (both inclusive) are not counted."""

    start: date
    end: date


def _out_of_range(what: str) -> InvalidInput:
    return InvalidInput("calendar.out_of_range",
                        f"{what}超出工作日历的范围（{RANGE_START.isoformat()} 至 {RANGE_END.isoformat()}）",
                        details={"first": RANGE_START.isoformat(), "last": RANGE_END.isoformat()})


class CalendarIndex:
    """Immutable arrays over RANGE_START..RANGE_END, by day index i = ordinal − base.

    `before[i]` counts working days with index < i; `workdays[r]` is the index of the (r+1)-th
    working day; `prov_before[i]` counts days of provisional years with index < i.
    """

    __slots__ = ("base", "before", "fingerprint", "official_years", "prov_before", "size", "total", "workdays")

    def __init__(self, working: list[bool], provisional_years: set[int], fingerprint: object = None):
        self.base = RANGE_START.toordinal()
        self.size = len(working)
        self.before = [0, *accumulate(working)]
        self.total = self.before[-1]
        self.workdays = [i for i, ok in enumerate(working) if ok]
        in_prov = [date.fromordinal(self.base + i).year in provisional_years for i in range(self.size)]
        self.prov_before = [0, *accumulate(in_prov)]
        self.official_years = frozenset(range(rules.FIRST_YEAR, rules.LAST_YEAR + 1)) - frozenset(provisional_years)
        self.fingerprint = fingerprint

    def index_of(self, day: date, what: str = "日期") -> int:
        if type(day) is not date:  # a datetime would silently lose its time zone
            raise InvalidInput("calendar.date_type", f"{what}必须是日期（不含时间）")
        i = day.toordinal() - self.base
        if not 0 <= i < self.size:
            raise _out_of_range(f"{what} {day.isoformat()} ")
        return i

    def _provisional(self, i: int, j: int) -> bool:
        lo, hi = (i, j) if i <= j else (j, i)
        return self.prov_before[hi + 1] != self.prov_before[lo]

    def is_working_day(self, day: date) -> bool:
        i = self.index_of(day)
        return self.before[i + 1] != self.before[i]

    def add(self, start: date, n: int, suspensions=()) -> WorkdayResult:
        i = self.index_of(start, "起算日期")
        if type(n) is not int:
            raise InvalidInput("calendar.days_invalid", "工作日数必须是整数")
        if n == 0:
            return WorkdayResult(start, self._provisional(i, i))
        if not suspensions:
            rank = self.before[i + 1] + n
            if not 0 < rank <= self.total:
                raise _out_of_range(f"从 {start.isoformat()} 起 {n} 个工作日的结果")
            j = self.workdays[rank - 1]
        else:
            blocked = self._blocked_ranks(suspensions)
            rank = self._rank_excluding(i, blocked) + n
            if rank <= 0:
                raise _out_of_range(f"从 {start.isoformat()} 起 {n} 个工作日的结果")
            for lo, hi in blocked:  # shift past every suspended run at or before the target
                if lo < rank:
                    rank += hi - lo
                else:
                    break
            if rank > self.total:
                raise _out_of_range(f"从 {start.isoformat()} 起 {n} 个工作日的结果")
            j = self.workdays[rank - 1]
        return WorkdayResult(date.fromordinal(self.base + j), self._provisional(i, j))

    def between(self, start: date, end: date, suspensions=()) -> WorkdayCount:
        i = self.index_of(start, "开始日期")
        j = self.index_of(end, "结束日期")
        if not suspensions:
            days = self.before[j + 1] - self.before[i + 1]
        else:
            blocked = self._blocked_ranks(suspensions)
            days = self._rank_excluding(j, blocked) - self._rank_excluding(i, blocked)
        return WorkdayCount(days, self._provisional(i, j))

    def _rank_excluding(self, i: int, blocked: list[tuple[int, int]]) -> int:
        """Working days up to and including index i that no suspension covers."""
        rank = self.before[i + 1]
        minus = 0
        for lo, hi in blocked[: bisect_right(blocked, (rank,))]:  # the runs starting below rank
            minus += min(hi, rank) - lo
        return rank - minus

    def _blocked_ranks(self, suspensions) -> list[tuple[int, int]]:
        """Suspensions as sorted, disjoint rank runs (lo, hi]: the working days they cover."""
        spans = []
        for count, item in enumerate(suspensions, 1):
            if count > MAX_SUSPENSIONS:
                raise InvalidInput("calendar.too_many_suspensions", f"暂停计时区间不能超过 {MAX_SUSPENSIONS} 个")
            start, end = _as_pair(item)
            if end < start:
                raise InvalidInput("calendar.suspension_invalid",
                                   f"暂停计时区间的结束日期 {end.isoformat()} 早于开始日期 {start.isoformat()}")
            a = max(start.toordinal() - self.base, 0)
            b = min(end.toordinal() - self.base, self.size - 1)
            if a <= b:
                spans.append((a, b))
        spans.sort()
        merged: list[list[int]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        runs = [(self.before[a], self.before[b + 1]) for a, b in merged]
        return [(lo, hi) for lo, hi in runs if hi > lo]


def _as_pair(item) -> tuple[date, date]:
    try:
        start, end = item
    except (TypeError, ValueError):
        raise InvalidInput("calendar.suspension_invalid", "暂停计时区间应为（开始日期, 结束日期）") from None
    if type(start) is not date or type(end) is not date:
        raise InvalidInput("calendar.suspension_invalid", "暂停计时区间的开始和结束必须是日期")
    return start, end


# --- Building and keeping the index fresh ------------------------------------------------------


def _fingerprint() -> tuple:
    """One aggregate query that changes whenever any year or day is added, removed or edited."""
    code = ExtractYear("days__date") * 416 + ExtractMonth("days__date") * 32 + ExtractDay("days__date")
    weighted = Case(When(days__kind=WORKDAY, then=code * 3), default=code, output_field=IntegerField())
    row = CalendarYear.objects.aggregate(
        fp_years=Count("id", distinct=True), fp_year_sum=Sum(F("year"), distinct=True), fp_changed=Max("imported_at"),
        fp_days=Count("days__id"), fp_last_day=Max("days__id"), fp_checksum=Sum(weighted),
    )
    return tuple(sorted(row.items()))


def build_index(fingerprint: object = None) -> CalendarIndex:
    """Read every official year from the database; fill the others from the statutory rules."""
    official = set(CalendarYear.objects.values_list("year", flat=True))
    base = RANGE_START.toordinal()
    first_weekday = RANGE_START.weekday()
    size = RANGE_END.toordinal() - base + 1
    working = [(first_weekday + i) % 7 < 5 for i in range(size)]
    for day, kind, year in CalendarDay.objects.values_list("date", "kind", "year__year"):
        i = day.toordinal() - base
        if day.year == year and year in official and 0 <= i < size:
            working[i] = kind == WORKDAY
    provisional = {y for y in range(rules.FIRST_YEAR, rules.LAST_YEAR + 1) if y not in official}
    for year in provisional:
        for day in rules.provisional_holidays(year):
            working[day.toordinal() - base] = False
    return CalendarIndex(working, provisional, fingerprint)


class _State:
    def __init__(self):
        self.lock = threading.Lock()
        self.index: CalendarIndex | None = None
        self.fresh_until = 0.0
        self.generation = 0


_state = _State()


def current_index() -> CalendarIndex:
    """The index, re-checked against the database at most every CALENDAR_RECHECK_SECONDS."""
    index = _state.index
    if index is not None and monotonic() < _state.fresh_until:
        return index
    return _refresh(force=False, only_if_stale=True)


def refresh(force: bool = False) -> CalendarIndex:
    """Check the fingerprint now and rebuild when it changed (always rebuild with force=True)."""
    return _refresh(force=force, only_if_stale=False)


def _refresh(force: bool, only_if_stale: bool) -> CalendarIndex:
    from django.conf import settings

    with _state.lock:
        if only_if_stale and _state.index is not None and monotonic() < _state.fresh_until:
            return _state.index  # another thread refreshed while this one waited for the lock
        generation = _state.generation
        fingerprint = _fingerprint()
        index = _state.index
        if force or index is None or index.fingerprint != fingerprint:
            index = build_index(fingerprint)
            _state.index = index
        if generation == _state.generation:  # an invalidation meanwhile must not be lost
            ttl = float(getattr(settings, "CALENDAR_RECHECK_SECONDS", DEFAULT_RECHECK_SECONDS))
            _state.fresh_until = monotonic() + ttl
        return index


def invalidate() -> None:
    """Make the next call re-check the database (cheap: rebuilds only if the data changed)."""
    _state.generation += 1
    _state.fresh_until = 0.0


def _on_calendar_change(sender, **kwargs) -> None:
    invalidate()
    transaction.on_commit(invalidate)  # other threads re-check once the change is visible to them


for _model in (CalendarYear, CalendarDay):
    post_save.connect(_on_calendar_change, sender=_model, dispatch_uid=f"calendar-index-{_model.__name__}-save")
    post_delete.connect(_on_calendar_change, sender=_model, dispatch_uid=f"calendar-index-{_model.__name__}-delete")
