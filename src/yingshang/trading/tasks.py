"""Jobs of the trading app (huey, discovered in `<app>.tasks`)."""

from __future__ import annotations

import logging

from yingshang.kernel.jobs import task

logger = logging.getLogger("yingshang.trading")


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
