"""Background jobs of the credit app (Huey): large imports, list expiry, stale-batch sweeping."""

from __future__ import annotations

import logging

from huey import crontab

from yingshang.kernel.jobs import periodic, task

logger = logging.getLogger("yingshang.credit")


@task()
def run_import(batch_id: int) -> dict:
    """Run one queued import batch (its own transaction; a failure is recorded on the batch)."""
    from yingshang.credit.services.imports import run_batch

    report = run_batch(batch_id)
    return {"batch": batch_id, "status": report.batch.status, "accepted": report.batch.accepted,
            "rejected": report.batch.rejected}


@periodic(crontab(minute="30", hour="0"))
def expire_list_entries() -> int:
    """Every night just after midnight: entries whose validity ended yesterday leave their list."""
    from yingshang.credit.services.lists import do_expire_entries

    count = do_expire_entries()
    if count:
        logger.info("credit: %s list entries expired", count)
    return count


@periodic(crontab(minute="*/5"))
def sweep_stale_imports() -> int:
    """Batches whose worker died mid-import are marked interrupted (their rows were rolled back)."""
    from yingshang.credit.services.imports import sweep_stale_batches

    count = sweep_stale_batches()
    if count:
        logger.warning("credit: %s import batches were interrupted", count)
    return count
