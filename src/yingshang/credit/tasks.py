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


# --- scores and grades (issue 4 §9) --------------------------------------------------------------

@periodic(crontab(minute="*/15"))
def refresh_scores() -> int:
    """Results whose inputs changed (bulk imports bypass signals: records updated in the last 20 minutes)
    or whose time came are recomputed ahead of reads; each subject in its own short transaction."""
    from datetime import timedelta

    from django.utils import timezone

    from yingshang.credit.services.scores import mark_recent_changes, refresh_due

    mark_recent_changes(timezone.now() - timedelta(minutes=20))
    return refresh_due(5000)


@periodic(crontab(minute="10", hour="1"))
def score_new_subjects() -> int:
    """Every night: results for subjects that have none yet, a bounded number at a time."""
    from yingshang.credit.services.scores import refresh_due

    return refresh_due(20000, missing=20000)
