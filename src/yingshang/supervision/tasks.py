"""Background jobs of the supervision app (Huey discovers `<app>.tasks`)."""

from __future__ import annotations

import logging

from huey import crontab

from yingshang.kernel.jobs import periodic

logger = logging.getLogger("yingshang.supervision")


@periodic(crontab(minute="*/10"))
def refresh_statistics() -> dict:
    """Every ten minutes: recompute the last 62 days of the daily statistics (the report's "as of")."""
    from yingshang.supervision.services.rollup import refresh

    return refresh().as_dict()


@periodic(crontab(minute="40", hour="2"))
def rebuild_statistics() -> dict:
    """Nightly: rebuild the daily statistics from scratch (corrects anything outside the recent window)."""
    from yingshang.supervision.services.rollup import refresh

    report = refresh(full=True)
    logger.info("supervision statistics rebuilt: %s rows in %.1f s", report.rows, report.seconds)
    return report.as_dict()


@periodic(crontab(minute="23"))
def mark_overdue_rectifications() -> int:
    """Hourly: rectifications past their due day become overdue; departments and supervisors are told."""
    from yingshang.kernel.context import SYSTEM, acting_as
    from yingshang.supervision.services.rectifications import mark_overdue

    with acting_as(SYSTEM):
        count = mark_overdue()
    if count:
        logger.info("marked %s rectifications overdue", count)
    return count
