"""Working-day arithmetic: the precomputed index against a naive day-by-day loop over chinese-calendar.

Inputs are realistic: start dates spread over 2024–2027, n from 1 to 60 working days. Throughput
and total time come from one untimed-inside loop over all calls; median and p95 come from timing
a sample of calls one by one (the timer's own ~0.1 µs is included). The naive baseline cannot run
into 2027 (chinese-calendar stops at 2026), so it is timed on a sample that starts in 2024-01 ..
2026-09 and its mean per call is extrapolated; the ratio compares the means.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, timedelta

from django.db import transaction

from yingshang.kernel.bench import Context, Result, benchmark, percentile

GOAL = 50.0
FIRST, LAST = date(2024, 1, 1), date(2027, 12, 31)
BASELINE_LAST = date(2026, 9, 30)  # + 60 working days stays inside chinese-calendar's 2026


def naive_add(start: date, n: int) -> date:
    """The loop the index replaces: step a day at a time, asking chinese-calendar each time."""
    from chinese_calendar import is_workday

    day, one = start, timedelta(days=1)
    while n:
        day += one
        if is_workday(day):
            n -= 1
    return day


def naive_between(start: date, end: date) -> int:
    from chinese_calendar import is_workday

    day, one, count = start, timedelta(days=1), 0
    while day < end:
        day += one
        count += is_workday(day)
    return count


def _inputs(rng: random.Random, count: int, last: date) -> list[tuple[date, int]]:
    span = (last - FIRST).days
    return [(FIRST + timedelta(days=rng.randrange(span + 1)), rng.randint(1, 60)) for _ in range(count)]


def _baseline_mean(func, args: list[tuple]) -> float:
    start = time.perf_counter()
    for a in args:
        func(*a)
    return (time.perf_counter() - start) / len(args)


def _timed(name: str, call, args: list[tuple], sample: int, baseline_mean: float, baseline_calls: int,
           **fields) -> Result:
    start = time.perf_counter()
    for a in args:
        call(*a)
    total = time.perf_counter() - start

    clock, samples = time.perf_counter_ns, []
    for a in args[:sample]:
        t0 = clock()
        call(*a)
        samples.append(clock() - t0)
    samples.sort()

    mean = total / len(args)
    ratio = baseline_mean / mean if mean else None
    return Result(
        name=name, n=len(args), total_seconds=total, median_ms=statistics.median(samples) / 1e6,
        p95_ms=percentile(samples, 95) / 1e6, p99_ms=percentile(samples, 99) / 1e6, per_second=len(args) / total,
        baseline=(f"逐日循环调用 chinese_calendar.is_workday：抽样计时 {baseline_calls:,} 次，"
                  f"平均每次 {baseline_mean * 1000:.3f} ms，按此外推"),
        ratio=ratio, goal=f"比逐日循环快 ≥ {GOAL:.0f} 倍", met=ratio is not None and ratio >= GOAL,
        extra={"baseline_mean_ms": baseline_mean * 1000, "mean_ms": mean * 1000, "latency_sample": sample}, **fields,
    )


@benchmark("calendar.workdays", order=20)
def bench_workdays(ctx: Context) -> list[Result]:
    from yingshang.kernel.services import calendar

    with transaction.atomic():
        calendar.seed_from_chinese_calendar()  # idempotent: the scratch database may already hold it
    calendar.refresh(force=True)
    rng = random.Random(20260101)  # the same inputs every run
    calls = ctx.size(1_000_000, 100_000)
    sample = ctx.size(100_000, 20_000)
    baseline_calls = ctx.size(10_000, 1_000)
    args = _inputs(rng, calls, LAST)
    baseline_args = _inputs(rng, baseline_calls, BASELINE_LAST)
    for start, n in baseline_args[:200]:  # the comparison is only fair if both give the same answers
        assert calendar.add_working_days(start, n).date == naive_add(start, n), (start, n)

    add_mean = _baseline_mean(naive_add, baseline_args)
    results = [_timed(
        "工作日推算 add_working_days", calendar.add_working_days, args, sample, add_mean, len(baseline_args),
        note="起算日期分布于 2024–2027 年，n 为 1–60；2027 年为临时日历；中位数/p95 为逐次计时的抽样",
    )]

    pairs = [(s, s + timedelta(days=n * 7 // 5)) for s, n in args]
    baseline_pairs = [(s, s + timedelta(days=n * 7 // 5)) for s, n in baseline_args[: baseline_calls // 4]]
    results.append(_timed(
        "工作日计数 working_days_between", calendar.working_days_between, pairs, sample,
        _baseline_mean(naive_between, baseline_pairs), len(baseline_pairs),
        note="区间长 1–84 个自然日，起点分布于 2024–2027 年",
    ))

    def with_suspensions(start: date, n: int):
        # Two clock-stops shortly after the start, as for an expert review and a correction period.
        first = (start + timedelta(days=3), start + timedelta(days=9))
        second = (start + timedelta(days=20), start + timedelta(days=24))
        return calendar.add_working_days(start, n, (first, second))

    results.append(_timed(
        "工作日推算（含 2 个暂停计时区间）", with_suspensions, args, sample, add_mean, len(baseline_args),
        note="每次调用带 2 个暂停计时区间；基线为不含暂停的逐日循环（偏低估计）",
    ))
    return results
