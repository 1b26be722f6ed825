"""Reading bids by actor: the bidder its own (with receipts), the centre who submitted and when (hash, size,
time — never content), the tenderer and regulators only how many were received (TBL Art. 22)."""

from __future__ import annotations

from dataclasses import dataclass

from yingshang.kernel import access, clock
from yingshang.trading import rules
from yingshang.trading.models import Bid, Lot
from yingshang.trading.queries import LOT_RELATED
from yingshang.trading.services import common
from yingshang.trading.services.bids import GONE, _bidder


def open_lots(user):
    """Lots a bidder may bid on now: announced, not suspended, deadline ahead."""
    _bidder(user)
    return (Lot.objects.filter(status=rules.ANNOUNCED, suspended=False, bid_deadline__gt=clock.now())
            .select_related(*LOT_RELATED).order_by("bid_deadline", "pk"))


def my_bids(user):
    uscc, _name = _bidder(user)
    return (Bid.objects.filter(bidder_uscc=uscc).select_related("lot", "lot__project")
            .order_by("-submitted_at", "-pk"))


@dataclass
class Received:
    lot: Lot
    count: int  # live bids
    rows: list | None  # the centre's register (who, when, hash); None for those who may see the count only


def may_see_register(user) -> bool:
    return access.has_perm(user, common.BID_REGISTER)


def received(user, lot: Lot) -> Received:
    """What this user may see of the bids of a lot within its scope (the caller has read `lot` through
    queries.lot, which scopes it)."""
    live = Bid.objects.filter(lot=lot).exclude(status__in=GONE)
    if not may_see_register(user):
        return Received(lot, live.count(), None)
    rows = list(Bid.objects.filter(lot=lot).only(
        "pk", "lot_id", "bidder_uscc", "bidder_name", "status", "submitted_at", "sha256", "size", "receipt_no",
        "version", "withdrawn_at").order_by("submitted_at", "pk"))
    return Received(lot, sum(r.status not in GONE for r in rows), rows)


def register_row(bid: Bid) -> dict:
    return {"id": bid.pk, "receipt_no": bid.receipt_no, "bidder_name": bid.bidder_name,
            "bidder_uscc": bid.bidder_uscc, "status": bid.status, "status_label": bid.status_label,
            "version": bid.version, "submitted_at": bid.submitted_at, "withdrawn_at": bid.withdrawn_at,
            "sha256": bid.sha256, "size": bid.size}
