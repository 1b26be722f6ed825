"""The opening benchmark runs (tiny, in this thread) and reports its figures and the memory growth."""

import pytest

from yingshang.kernel.bench import Context
from yingshang.trading.bench import opening as bench

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_opening_benchmark_reports_time_and_memory(monkeypatch, town):
    monkeypatch.setenv("YS_BENCH_OPENING_BIDS", "4")
    monkeypatch.setattr(bench, "WORKERS", 1)
    result = bench.bench_opening(Context(quick=True))
    assert result.n == 4 and result.met is None and result.median_ms > 0
    assert "峰值常驻内存增长" in result.note and result.extra["rss_growth_mb"] < bench.FLAT_MB
