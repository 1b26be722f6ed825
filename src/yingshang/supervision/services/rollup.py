"""Refreshing the daily statistics rollup (models.stats.DailyStat) from the cases and the ratings.

Each counter of a day's row depends only on the cases (or ratings) whose own date is that day, so
recomputing every day from some date on and replacing those rows gives exactly what a full rebuild
would. A refresh therefore recomputes a recent window (`RECENT_DAYS`, covering acceptance dates set
back to receipt under 行政许可法 Art. 32) and a nightly run rebuilds everything; a change of the
working-day calendar (which changes past working-day counts) forces a full rebuild too.

The work is three GROUP BY queries. Working days need the calendar per case, which SQL cannot do
portably, so the concluded cases are bucketed by (department, item, decision day, acceptance day,
on time) — a few hundred thousand buckets for a million cases — and the kernel calendar counts each
distinct (acceptance, decision) pair once.

Refreshes are serialized by a row lock on the single `RollupState` row; readers keep seeing the old
rows until the refresh commits.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.db import OperationalError, transaction
from django.db.models import Count, Q, Sum

from yingshang.cases.models import Case
from yingshang.kernel import clock
from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.services.calendar import current_index, working_days_between
from yingshang.supervision import rules
from yingshang.supervision.models import DailyStat, Rating, RollupState
from yingshang.supervision.models.stats import COUNTERS

RECENT_DAYS = 62
MIN_SECONDS_BETWEEN_ON_DEMAND = 30
_POS = {name: i for i, name in enumerate(COUNTERS)}


@dataclass
class RefreshReport:
    full: bool
    window_start: date | None
    rows: int
    seconds: float
    refreshed_at: object
    skipped: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def calendar_fingerprint() -> str:
    return hashlib.sha256(repr(current_index().fingerprint).encode()).hexdigest()


def state() -> RollupState | None:
    return RollupState.objects.filter(pk=1).first()


def _locked_state(nowait: bool) -> RollupState | None:
    """The state row, locked for this transaction; None when `nowait` and another refresh holds it."""
    RollupState.objects.get_or_create(pk=1)
    try:
        with transaction.atomic():  # a savepoint, so a refused lock leaves the transaction usable
            return RollupState.objects.select_for_update(nowait=nowait).get(pk=1)
    except OperationalError:
        if not nowait:
            raise
        return None


def collect(start: date | None, end: date | None = None) -> dict[tuple[date, int, int], list[int]]:
    """The rollup's rows for days in [start, end] (open-ended when None), keyed (day, department, item)."""
    rows: dict[tuple[date, int, int], list[int]] = defaultdict(lambda: [0] * len(COUNTERS))

    def window(field: str) -> Q:
        q = Q(**{f"{field}__isnull": False})
        if start is not None:
            q &= Q(**{f"{field}__gte": start})
        if end is not None:
            q &= Q(**{f"{field}__lte": end})
        return q

    accepted = (Case.objects.filter(window("accepted_on")).order_by()
                .values("accepted_on", "department_id", "item_id").annotate(n=Count("id"))
                .values_list("accepted_on", "department_id", "item_id", "n"))
    for day, dept, item, n in accepted.iterator(chunk_size=5000):
        rows[(day, dept, item)][_POS["accepted"]] += n

    pairs: dict[tuple[date, date], int | None] = {}
    concluded = (Case.objects.filter(window("decided_on"), status__in=rules.CONCLUDED_STATUSES).order_by()
                 .values("decided_on", "department_id", "item_id", "accepted_on", "on_time").annotate(n=Count("id"))
                 .values_list("decided_on", "department_id", "item_id", "accepted_on", "on_time", "n"))
    for day, dept, item, accepted_on, on_time, n in concluded.iterator(chunk_size=5000):
        row = rows[(day, dept, item)]
        row[_POS["concluded"]] += n
        if on_time is True:
            row[_POS["on_time"]] += n
        elif on_time is False:
            row[_POS["late"]] += n
        if accepted_on is not None:
            key = (accepted_on, day)
            if key not in pairs:
                pairs[key] = _working_days(accepted_on, day)
            if pairs[key] is not None:
                row[_POS["timed"]] += n
                row[_POS["working_days"]] += pairs[key] * n

    ratings = (Rating.objects.filter(window("rated_on")).order_by()
               .values("rated_on", "department_id", "item_id")
               .annotate(n=Count("id"), satisfied=Count("id", filter=Q(score__gte=rules.SATISFIED_MIN)),
                         not_bad=Count("id", filter=Q(score__gt=rules.BAD_MAX)),
                         bad=Count("id", filter=Q(score__lte=rules.BAD_MAX)), score_sum=Sum("score"))
               .values_list("rated_on", "department_id", "item_id", "n", "satisfied", "not_bad", "bad", "score_sum"))
    for day, dept, item, n, satisfied, not_bad, bad, score_sum in ratings.iterator(chunk_size=5000):
        row = rows[(day, dept, item)]
        row[_POS["rated"]] += n
        row[_POS["satisfied"]] += satisfied
        row[_POS["not_bad"]] += not_bad
        row[_POS["bad"]] += bad
        row[_POS["score_sum"]] += score_sum or 0
    return rows


def _working_days(start: date, end: date) -> int | None:
    """Working days from acceptance to decision (kernel calendar, suspensions included); None when the
    dates are outside the calendar or in the wrong order (bad data is left out of the average)."""
    try:
        days = working_days_between(start, end).days
    except InvalidInput:
        return None
    return days if days >= 0 else None


def _write(rows: dict, start: date | None) -> int:
    stale = DailyStat.objects.all() if start is None else DailyStat.objects.filter(day__gte=start)
    stale.delete()
    objs = [DailyStat(day=day, department_id=dept, item_id=item, **dict(zip(COUNTERS, values, strict=True)))
            for (day, dept, item), values in rows.items()]
    DailyStat.objects.bulk_create(objs, batch_size=1000)
    return len(objs)


def refresh(*, full: bool = False, today: date | None = None, on_demand: bool = False) -> RefreshReport:
    """Recompute the recent window (or everything) in one transaction.

    A full rebuild happens when asked, on the first refresh, and when the working-day calendar changed
    since the last one. `on_demand` refreshes (a supervisor's button) are skipped when another finished
    less than MIN_SECONDS_BETWEEN_ON_DEMAND seconds ago or is running now (PostgreSQL: NOWAIT lock).
    """
    today = today or clock.today()
    started = time.perf_counter()
    with transaction.atomic():
        current = _locked_state(nowait=on_demand)
        if current is None:  # a job is refreshing right now: a supervisor's click need not queue behind it
            return RefreshReport(False, None, 0, 0.0, None, skipped=True)
        fingerprint = calendar_fingerprint()
        if on_demand and not full and current.refreshed_at is not None:
            age = (clock.now() - current.refreshed_at).total_seconds()
            if 0 <= age < MIN_SECONDS_BETWEEN_ON_DEMAND:
                return RefreshReport(False, current.window_start, 0, 0.0, current.refreshed_at, skipped=True)
        full = full or current.refreshed_at is None or current.calendar_fingerprint != fingerprint
        start = None if full else today - timedelta(days=RECENT_DAYS)
        written = _write(collect(start), start)
        now = clock.now()
        current.refreshed_at, current.window_start, current.rows = now, start, written
        current.calendar_fingerprint = fingerprint
        if full:
            current.full_at = now
        current.seconds = time.perf_counter() - started
        current.save()
    return RefreshReport(full, start, written, current.seconds, now)
