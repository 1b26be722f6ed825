"""The streamed-upload benchmark in its quick form (20 MB through the real API view): memory stays flat."""

import pytest

from yingshang.kernel.bench import Context
from yingshang.trading.bench.bids import bench_bid_upload

pytestmark = pytest.mark.django_db


def test_a_20_mb_bid_streams_through_the_view_in_flat_memory():
    result = bench_bid_upload(Context(quick=True))
    assert result.extra["status"] == 201, result.note
    assert result.met, result.note
    assert result.extra["tracemalloc_peak_mb"] < 16
