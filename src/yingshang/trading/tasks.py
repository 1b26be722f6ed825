"""Background jobs of the trading app (Huey discovers `<app>.tasks`)."""

from __future__ import annotations

import logging

from huey import crontab

from yingshang.kernel.jobs import periodic

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
