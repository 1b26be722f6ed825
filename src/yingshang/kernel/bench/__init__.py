"""The benchmark registry behind `yingshang bench`.

Each benchmark is a function taking a `Context` and returning one or more `Result`s; modules named
`bench` or inside a `bench` package register them with `@benchmark(...)`. The command runs them on a
scratch database of the configured backend, so real data is never touched.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields


@dataclass
class Context:
    quick: bool = False
    vendor: str = "sqlite"  # the database backend the run is on

    def size(self, full: int, quick: int) -> int:
        return quick if self.quick else full


@dataclass
class Result:
    name: str
    n: int  # how many operations were measured
    total_seconds: float
    median_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    per_second: float | None = None
    baseline: str | None = None  # what the ratio compares against
    ratio: float | None = None  # how many times faster than the baseline
    goal: str | None = None  # the target the issue names, in words
    met: bool | None = None  # whether the goal was met
    note: str = ""
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Plain values only (an `extra` value that is not one is written as text), so --json never fails
        at the end of a long run."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["extra"] = {k: v if isinstance(v, int | float | str | bool | None) else str(v) for k, v in self.extra.items()}
        return out


@dataclass
class Benchmark:
    name: str
    func: Callable[[Context], Result | Iterable[Result]]
    order: int


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, *, order: int = 100):
    def register(func):
        REGISTRY[name] = Benchmark(name, func, order)
        return func

    return register


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, round(q / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[k]


def measure_each(name: str, func: Callable[[], object], n: int, **result_fields) -> Result:
    """Time n calls one by one: median, p95, p99 latency and throughput."""
    samples = []
    clock = time.perf_counter
    start = clock()
    for _ in range(n):
        t0 = clock()
        func()
        samples.append(clock() - t0)
    total = clock() - start
    samples.sort()
    return Result(
        name=name, n=n, total_seconds=total,
        median_ms=statistics.median(samples) * 1000, p95_ms=percentile(samples, 95) * 1000,
        p99_ms=percentile(samples, 99) * 1000, per_second=n / total if total else None, **result_fields,
    )


def measure_batch(name: str, func: Callable[[], int], **result_fields) -> Result:
    """Time one call that performs many operations (it returns how many): throughput only."""
    start = time.perf_counter()
    n = func()
    total = time.perf_counter() - start
    return Result(name=name, n=n, total_seconds=total, per_second=n / total if total else None, **result_fields)
