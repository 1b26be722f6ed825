"""Termination of a tender (终止招标, REG Art. 31): the tenderer or its agency ends the lot with reasons,
the 终止公告 is published and every organisation that obtained the documents is told; bond refunds and
other parts react through `hooks.LOT_CLOSED` (in the same transaction)."""

from __future__ import annotations

from yingshang.kernel import clock
from yingshang.kernel.services import workflow
from yingshang.kernel.services.notifications import do_notify
from yingshang.trading import hooks, rules
from yingshang.trading import rules_announcements as ra
from yingshang.trading.models import Lot
from yingshang.trading.services import announcements, common, downloads

MAX_REASON = 2000


def do_terminate(user, lot_id, row_version: int | None, *, reason: str) -> Lot:
    common.check_perm(user, common.ANNOUNCE)
    lot = announcements._lock_lot(lot_id, row_version)
    announcements.check_own(user, lot)
    after = rules.LOT_FLOW.require(lot, rules.TERMINATE)
    reason = common.fields.text(reason, "reason", "终止理由", max_len=MAX_REASON)
    before = announcements.snapshot(lot)
    lot.status = after
    lot.next_check = announcements.compute_next_check(lot)
    if before["status"] != rules.ACCEPTED:  # nothing was published before the announcement
        announcements.do_publish_announcement(
            lot, ra.TERMINATION, f"{lot.project.name}{lot.name}终止公告",
            f"招标人决定终止本标段招标。\n终止理由：{reason}\n已缴纳的投标保证金将依法退还（{ra.KIND_SOURCES[ra.TERMINATION]}）。",
            published_at=clock.now(), actor=user)
    workflow.finish(lot, rules.TERMINATE, before, snapshot=announcements.snapshot, fields=["status", "next_check"],
                    extra={"reason": reason})
    do_notify(downloads.downloader_users(lot), f"【终止招标】{lot.project.name}{lot.name}",
              f"招标人已终止本标段招标。终止理由：{reason}", obj=lot)
    hooks.LOT_CLOSED.run(lot=lot, reason=reason)
    return lot
