"""Background jobs of the trading app (Huey discovers `<app>.tasks`)."""

from __future__ import annotations

import logging

from huey import crontab

from yingshang.kernel.jobs import periodic, task

logger = logging.getLogger("yingshang.trading")


@periodic(crontab(minute="*"))
def sweep_lots() -> dict:
    """Every minute: the timed transitions of lots whose next_check has passed (openings at the deadline …)."""
    from yingshang.kernel.context import SYSTEM, acting_as
    from yingshang.trading.services.sweep import sweep

    with acting_as(SYSTEM):
        report = sweep()
    if report.failed:
        logger.error("trading sweep: %s lots failed: %s", len(report.failed), report.failed)
    return report.as_dict()


@periodic(crontab(minute="37", hour="*/2"))
def sweep_bond_refunds() -> dict:
    """Every two hours: bond refunds past their due day become overdue; the centre and the bidder are told."""
    from django.db import transaction

    from yingshang.kernel.context import SYSTEM, acting_as
    from yingshang.trading.services.bond_refunds import sweep

    with transaction.atomic(), acting_as(SYSTEM):
        report = sweep()
    if report["overdue"]:
        logger.warning("bond refunds overdue: %s", report["overdue"])
    return report


@periodic(crontab(minute="47", hour="3"))
def sweep_bid_file_orphans() -> dict:
    """Nightly: delete sealed-bid files no bid points at (a rolled-back submission, a crash mid-upload)."""
    from yingshang.trading.services.bid_files import sweep_orphans

    report = sweep_orphans()
    if report["removed"]:
        logger.info("removed %s orphan bid files", report["removed"])
    return report


@task()
def send_invitation_messages(message_ids: list[int]) -> int:
    """Send a draw's invitation SMS in one job (one enqueue per reveal, not one per expert); a message that
    fails is handed to the kernel's per-message job, which retries it with backoff."""
    from yingshang.kernel.services.notifications import deliver
    from yingshang.kernel.tasks import send_message

    sent = 0
    for message_id in message_ids:
        try:
            deliver(message_id)
            sent += 1
        except Exception:
            logger.warning("invitation message %s failed; retried by the kernel job", message_id)
            send_message(message_id)
    return sent


@periodic(crontab(minute="*/5"))
def sweep_expert_invitations() -> dict:
    """Every five minutes: invitations past their reply time time out and the next substitutes are invited."""
    from django.db import transaction

    from yingshang.kernel.context import SYSTEM, acting_as
    from yingshang.trading.services import invitations

    with transaction.atomic(), acting_as(SYSTEM):
        return {"timed_out": invitations.do_sweep()}
