"""Background jobs of the trading app (Huey; discovered by the consumer as `trading.tasks`)."""

from __future__ import annotations

import logging

from huey import crontab

from yingshang.kernel.jobs import periodic


@periodic(crontab(minute="47", hour="3"))
def sweep_bid_file_orphans() -> dict:
    """Nightly: delete sealed-bid files no bid points at (a rolled-back submission, a crash mid-upload)."""
    from yingshang.trading.services.bid_files import sweep_orphans

    report = sweep_orphans()
    if report["removed"]:
        logging.getLogger("yingshang.trading").info("removed %s orphan bid files", report["removed"])
    return report
