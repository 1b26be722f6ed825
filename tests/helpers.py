"""Test helpers shared across apps."""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def assert_max_queries(n: int):
    """Fail when the block runs more than n queries, listing them (a guard against N+1)."""
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
    if len(ctx.captured_queries) > n:
        listing = "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(ctx.captured_queries, 1))
        raise AssertionError(f"expected at most {n} queries, ran {len(ctx.captured_queries)}:\n{listing}")
