"""The identifier benchmark runs (quick) and reports throughput, latency and the stdnum ratio."""

import random

from yingshang.kernel.bench import REGISTRY, Context
from yingshang.kernel.bench import identifiers as bench
from yingshang.kernel.rules import identifiers as ids


def test_benchmark_is_registered_and_reports_ratios_against_stdnum():
    assert "ids.validate" in REGISTRY
    results = bench.bench_identifiers(Context(quick=True))
    assert len(results) == 3
    assert all(r.per_second > 0 and r.median_ms is not None and r.p95_ms >= r.median_ms for r in results)
    assert [r.baseline for r in results[1:]] == ["python-stdnum stdnum.cn.uscc.is_valid", "python-stdnum stdnum.cn.ric.is_valid"]
    assert all(r.ratio > 0 for r in results[1:])


def test_benchmark_sample_is_half_valid_and_deterministic():
    first, again = bench.sample(random.Random(3), 40), bench.sample(random.Random(3), 40)
    assert first == again
    for kind, codes in first.items():
        results = [ids.validate(c, today=bench.TODAY) for c in codes]
        assert sum(r.valid for r in results) == 20, kind
        assert {r.kind for r in results if r.valid} == {kind}
