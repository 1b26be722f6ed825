"""Timed transitions (ProZorro's chronograph): every lot carries `next_check`, the next moment something
timed happens to it; the sweep takes the lots whose moment has passed, lets each part act
(`hooks.TIMED`), and computes the next moment again from the lot's periods and every part's
(`hooks.NEXT_MOMENTS`). A suspended lot waits (objection or complaint pending) but keeps its next_check.

Run by `yingshang trading sweep` and every minute by the job queue; each lot in its own transaction, locked
(`skip_locked` on PostgreSQL, so two sweepers on two app servers never act on one lot twice).
"""

from __future__ import annotations

import logging
import time as timer
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction

from yingshang.kernel import clock
from yingshang.kernel.services.audit import record
from yingshang.trading import hooks, rules
from yingshang.trading.models import Lot

logger = logging.getLogger("yingshang.trading")


@dataclass
class SweepReport:
    checked: int = 0
    acted: dict[int, list[str]] = field(default_factory=dict)
    failed: dict[int, str] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return {"checked": self.checked, "acted": {str(k): v for k, v in self.acted.items()},
                "failed": {str(k): v for k, v in self.failed.items()}, "seconds": round(self.seconds, 3)}


def next_check(lot: Lot, now: datetime | None = None) -> datetime | None:
    """The earliest moment after `now` at which something timed happens to the lot."""
    now = now or clock.now()
    moments = [rules.next_check(lot.status, lot.sale_start, lot.sale_end, lot.bid_deadline, now)]
    if lot.status not in rules.LOT_FLOW.final_states:
        moments += hooks.NEXT_MOMENTS.run(lot=lot, now=now)
    later = [m for m in moments if m is not None and m > now]
    return min(later) if later else None


def _due_ids(now: datetime, limit: int) -> list[int]:
    return list(Lot.objects.filter(next_check__lte=now, suspended=False).order_by("next_check", "pk")
                .values_list("pk", flat=True)[:limit])


def sweep_lot(lot_id: int, now: datetime) -> list[str] | None:
    """Act on one due lot inside the caller's transaction; None when another sweeper holds it or it is not due."""
    queryset = Lot.objects.select_related("project", "procedure")
    if connection.features.has_select_for_update_skip_locked:
        queryset = queryset.select_for_update(skip_locked=True)
    else:
        queryset = queryset.select_for_update()
    lot = queryset.filter(pk=lot_id, next_check__lte=now, suspended=False).first()
    if lot is None:
        return None
    before = {"status": lot.status, "next_check": lot.next_check.isoformat() if lot.next_check else None}
    done = [str(name) for name in hooks.TIMED.run(lot=lot, now=now)]
    lot.refresh_from_db()  # handlers change the lot through their own services
    lot.next_check = next_check(lot, now)
    Lot.objects.filter(pk=lot.pk).update(next_check=lot.next_check)
    record("trading.lot.sweep", lot, before=before, after={
        "status": lot.status, "done": done, "next_check": lot.next_check.isoformat() if lot.next_check else None})
    return done


def sweep(now: datetime | None = None, *, limit: int = 500) -> SweepReport:
    """Every due lot, each in its own transaction; one lot's failure is logged and does not stop the others."""
    started, now = timer.monotonic(), now or clock.now()
    report = SweepReport()
    for lot_id in _due_ids(now, limit):
        report.checked += 1
        try:
            with transaction.atomic():
                done = sweep_lot(lot_id, now)
        except Exception as exc:  # one lot's failure must not stop the others
            logger.exception("trading sweep failed for lot %s", lot_id)
            report.failed[lot_id] = getattr(exc, "message", None) or exc.__class__.__name__
            continue
        if done:
            report.acted[lot_id] = done
    report.seconds = timer.monotonic() - started
    return report
