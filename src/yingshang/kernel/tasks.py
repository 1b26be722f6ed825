"""Background jobs of the kernel (Huey; discovered by the consumer as `<app>.tasks`)."""

from __future__ import annotations

import logging

from huey import crontab

from yingshang.kernel.jobs import periodic, task

logger = logging.getLogger("yingshang.notifications")


@task(retries=3, retry_delay=60, retry_backoff=2)
def send_message(message_id: int) -> str:
    """Send one email/SMS Message. A failure is recorded on the row and retried after 1, 2 and 4 minutes."""
    from yingshang.kernel.services.notifications import deliver

    return deliver(message_id)


@periodic(crontab(minute="*/10"))
def requeue_stale_messages() -> int:
    """Re-enqueue messages whose job was lost (queue down at commit time, worker killed mid-send)."""
    from yingshang.kernel.services.notifications import requeue_stale

    count = requeue_stale()
    if count:
        logger.warning("re-enqueued %s stale messages", count)
    return count


@periodic(crontab(minute="41", hour="3"))
def sweep_upload_orphans() -> dict:
    """Nightly: delete uploaded files no row points at (a rolled-back upload, a crash mid-write)."""
    from yingshang.kernel.services.uploads import sweep_orphans

    report = sweep_orphans()
    if report["removed"]:
        logging.getLogger("yingshang.uploads").info("removed %s orphan upload files", report["removed"])
    return report
