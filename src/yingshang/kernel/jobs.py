"""Background jobs: Huey, on SQLite in the embedded default and on Redis in production.

Jobs are enqueued only after the transaction that asked for them commits, so a job never sees
(or acts on) a change that was rolled back. Periodic sweeps use `periodic(crontab(...))`.
"""

from __future__ import annotations

from django.db import transaction
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task  # noqa: F401

task = db_task
periodic = db_periodic_task


def enqueue_on_commit(job, *args, **kwargs) -> None:
    """Enqueue `job(*args, **kwargs)` when the current transaction commits (at once outside one).

    Robust: a queue that is down is logged and does not stop the other after-commit callbacks;
    the periodic sweeps pick up what was not enqueued.
    """
    transaction.on_commit(lambda: job(*args, **kwargs), robust=True)


@periodic(crontab(minute="17", hour="2"))
def nightly_audit_verification():
    """Walk the audit chain every night; a broken chain is logged at ERROR for the operators' alerting."""
    import logging

    from yingshang.kernel.services.audit import verify

    result = verify()
    log = logging.getLogger("yingshang.audit")
    if result.ok:
        log.info("audit chain intact: %s entries", result.checked)
    else:
        log.error("audit chain broken at entry %s: %s", result.broken_seq, result.reason)
    return {"ok": result.ok, "checked": result.checked, "broken_seq": result.broken_seq}
