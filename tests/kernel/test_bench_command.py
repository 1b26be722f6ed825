"""`yingshang bench`: a benchmark that fails is reported as failed and the others' figures are still
printed (a long run is never lost to one error)."""

from yingshang.kernel.bench import Benchmark, Context, Result
from yingshang.kernel.management.commands.bench import Command


def test_a_failing_benchmark_is_reported_and_the_others_still_run():
    def broken(ctx):
        raise RuntimeError("server did not start")

    def fine(ctx):
        return Result("zz.fine", 10, 0.01, median_ms=1.0, per_second=1000.0)

    results = Command()._run_all([Benchmark("zz.broken", broken, 1), Benchmark("zz.fine", fine, 2)], Context(quick=True),
                                 progress=False)
    assert [r.name for r in results] == ["zz.broken", "zz.fine"]
    assert results[0].met is False and "server did not start" in results[0].note
    assert results[1].per_second == 1000.0
    assert results[0].as_dict()["note"].startswith("运行失败")


def test_small_ratios_keep_two_significant_figures():
    from yingshang.kernel.management.commands.bench import _ratio

    assert (_ratio(0.0431), _ratio(2.25), _ratio(57.33), _ratio(None)) == ("0.043×", "2.2×", "57.3×", "—")
