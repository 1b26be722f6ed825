"""Background jobs of the cases app (Huey discovers `<app>.tasks`)."""

from __future__ import annotations

import logging

from huey import crontab

from yingshang.kernel.jobs import periodic

logger = logging.getLogger("yingshang.cases")


@periodic(crontab(minute="7"))
def sweep_cases() -> dict:
    """Hourly: time-limit warnings (one message per department), missed 容缺 supplement deadlines,
    deadlines that were provisional until the year's holiday schedule was published."""
    from yingshang.cases.services.sweep import run_sweep

    report = run_sweep()
    if report.red or report.stopped:
        logger.info("cases sweep: %s", report.as_dict())
    return report.as_dict()
