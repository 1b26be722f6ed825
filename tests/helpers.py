"""Test helpers shared across apps."""

import threading
from contextlib import contextmanager

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


@contextmanager
def assert_max_queries(n: int):
    """Fail when the block runs more than n queries, listing them (a guard against N+1)."""
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
    if len(ctx.captured_queries) > n:
        listing = "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(ctx.captured_queries, 1))
        raise AssertionError(f"expected at most {n} queries, ran {len(ctx.captured_queries)}:\n{listing}")


def race(calls) -> list:
    """Run each call in its own thread and transaction, started together (real parallel transactions on
    PostgreSQL); return each call's result or the exception it raised, in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            with transaction.atomic():
                results[i] = call()
        except Exception as exc:  # reported to the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
