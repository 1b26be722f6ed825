"""Sealed bids (加密投标): submission with its receipt, replacement and withdrawal before the deadline.

Every change of one bidder's bids on a lot runs under the lot's row lock, so submissions, replacements and
withdrawals are serialized (and the opening, which locks the lot too, sees a bid wholly or not at all).
The server time of a submission is taken once, under that lock, after the upload has completed; the
client's clock never counts. The platform receives ciphertext only: the key stays with the bidder.
"""

from __future__ import annotations

from django.db.models import Max
from django.utils import timezone

from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.services.audit import record
from yingshang.kernel.services.numbering import next_number
from yingshang.trading import hooks, rules, rules_bids
from yingshang.trading.models import Bid, Lot
from yingshang.trading.services import common, credit_gate
from yingshang.trading.services.bid_files import SealedUpload

RECEIPT_KIND, RECEIPT_PREFIX = "trading.bid_receipt", "TB"
GONE = (rules.BID_WITHDRAWN, rules.BID_REPLACED)


def snapshot(bid: Bid) -> dict:
    """What the audit keeps of a bid: never a price or content (there is none before the opening)."""
    return {"status": bid.status, "row_version": bid.row_version, "lot": bid.lot_id, "bidder_uscc": bid.bidder_uscc,
            "version": bid.version, "receipt_no": bid.receipt_no, "sha256": bid.sha256, "size": bid.size,
            "submitted_at": bid.submitted_at.isoformat() if bid.submitted_at else None,
            "replaces": bid.replaces_id}


def _bidder(user) -> tuple[str, str]:
    common.check_perm(user, common.BID)
    uscc = (getattr(user, "uscc", "") or "").strip()
    if not uscc:
        raise Forbidden("trading.bidder_uscc_missing", "账号未关联投标单位（统一社会信用代码），不能递交投标文件")
    name = (getattr(user, "organization_name", "") or "").strip() or user.get_full_name() or user.username
    return uscc, name[:200]


def _usable(pk) -> bool:
    return type(pk) is int and 0 < pk < 2**62


def _lock_lot(lot_id) -> Lot:
    found = (Lot.objects.select_related("project", "project__regulator").select_for_update(of=("self",))
             .filter(pk=lot_id).first() if _usable(lot_id) else None)
    if found is None:
        raise NotFound("trading.not_found", "标段不存在")
    return found


def _require_open(lot: Lot) -> None:
    if lot.status != rules.ANNOUNCED:
        raise Conflict("trading.bids_not_open", f"该标段当前为“{lot.status_label}”，不接受投标文件",
                       details={"status": lot.status})


def _live(lot: Lot, uscc: str) -> Bid | None:
    return Bid.objects.filter(lot=lot, bidder_uscc=uscc).exclude(status__in=GONE).first()


def _refuse(breach) -> None:
    if breach is not None:
        raise Conflict(breach.code, breach.message, details={"source": breach.source})


def check_submit(user, lot: Lot) -> tuple[str, str]:
    """May this user bid on this lot now? Returns (uscc, name). Asked again under the lock."""
    uscc, name = _bidder(user)
    _require_open(lot)
    if lot.suspended:
        reason = lot.suspension_reason or "异议或投诉处理中"
        raise Conflict("trading.lot_suspended", f"该标段已暂停（{reason}），暂不接受投标文件")
    return uscc, name


def _check_credit(uscc: str, lot: Lot) -> None:
    credit_gate.check(uscc, stage="bid", reference=f"lot:{lot.pk}/bid", department=lot.project.regulator)


def do_submit(user, lot_id: int, upload: SealedUpload | None, *, replaces: int | None = None) -> Bid:
    """Store a sealed bid and issue its receipt. With `replaces` (the id of the bidder's live bid) the new
    one supersedes it; without, a bidder that already has a live bid gets `trading.bid_exists`."""
    _bidder(user)
    if upload is None:
        raise InvalidInput("trading.bid_file_required", "请选择加密后的投标文件（.ysbid）", details={"field": "sealed"})
    header = upload.header()  # size and YSBID1 format, before any lock
    # The credit check before the lock: bidders crowding the deadline wait for one another only briefly.
    unlocked = Lot.objects.select_related("project__regulator").filter(pk=lot_id).first() if _usable(lot_id) else None
    if unlocked is None:
        raise NotFound("trading.not_found", "标段不存在")
    _check_credit(check_submit(user, unlocked)[0], unlocked)
    lot = _lock_lot(lot_id)
    uscc, name = check_submit(user, lot)
    live = _live(lot, uscc)
    if replaces is None and live is not None:
        raise Conflict("trading.bid_exists", "您已递交该标段的投标文件；如需修改，请选择“替换投标文件”",
                       details={"bid_id": live.pk, "receipt_no": live.receipt_no})
    if replaces is not None and (live is None or live.pk != replaces):
        raise Conflict("trading.bid_replaced", "要替换的投标文件已被替换或撤回，请刷新后重试",
                       details={"current": live.pk if live else None})
    received_at = clock.now()  # the one server time of this submission: upload complete, lock held
    _refuse(rules_bids.check_deadline(received_at, lot.bid_deadline))
    if live is not None:
        before = snapshot(live)
        live.status, live.row_version = rules.BID_REPLACED, live.row_version + 1
        live.save(update_fields=["status", "row_version"])
        record("trading.bid.replace", live, before=before, after=snapshot(live))
    version = (Bid.objects.filter(lot=lot, bidder_uscc=uscc).aggregate(m=Max("version"))["m"] or 0) + 1
    receipt_no = next_number(RECEIPT_KIND, prefix=RECEIPT_PREFIX, date=timezone.localtime(received_at).date())
    bid = Bid.objects.create(
        lot=lot, bidder=user, bidder_uscc=uscc, bidder_name=name, status=rules.BID_SUBMITTED,
        submitted_at=received_at, created_at=received_at, sealed_path=upload.store(lot.pk), sha256=upload.sha256,
        size=upload.size, key_check=header.check, receipt_no=receipt_no, version=version, replaces=live)
    record("trading.bid.submit", bid, after=snapshot(bid), note=rules_bids.RECEIPT_SOURCE)
    return bid


def own_bid(user, bid_id) -> Bid:
    uscc, _name = _bidder(user)
    found = (Bid.objects.select_related("lot", "lot__project").filter(pk=bid_id, bidder_uscc=uscc).first()
             if _usable(bid_id) else None)
    if found is None:
        raise NotFound("trading.bid_not_found", "投标文件不存在或不是本单位递交的")
    return found


def do_withdraw(user, bid_id: int, row_version: int | None) -> Bid:
    """Withdraw (撤回) the bidder's live bid before the deadline (TBL Art. 29); the bond part refunds the
    bond through `hooks.BID_WITHDRAWN` (REG Art. 35: within 5 days)."""
    bid = own_bid(user, bid_id)
    lot = _lock_lot(bid.lot_id)  # the same lock as submissions: one bidder's changes run one at a time
    bid = Bid.objects.select_for_update(of=("self",)).get(pk=bid.pk)
    if row_version is not None and bid.row_version != row_version:
        raise Conflict("trading.bid_conflict", "该投标文件已被处理，请刷新后重试",
                       details={"row_version": bid.row_version, "yours": row_version, "status": bid.status})
    if bid.status != rules.BID_SUBMITTED:
        raise Conflict("trading.bid_not_live", f"该投标文件为“{bid.status_label}”，不能撤回", details={"status": bid.status})
    _require_open(lot)
    now = clock.now()
    _refuse(rules_bids.check_change_before_deadline(now, lot.bid_deadline))
    before = snapshot(bid)
    bid.status, bid.withdrawn_at, bid.row_version = rules.BID_WITHDRAWN, now, bid.row_version + 1
    bid.save(update_fields=["status", "withdrawn_at", "row_version"])
    record("trading.bid.withdraw", bid, before=before, after=snapshot(bid))
    hooks.BID_WITHDRAWN.run(lot=lot, uscc=bid.bidder_uscc)
    return bid


def receipt(bid: Bid) -> dict:
    """The receipt (回执) sent at once (EBM Art. 28): number, hash and the server's time of receipt."""
    return {"receipt_no": bid.receipt_no, "bid_id": bid.pk, "lot_id": bid.lot_id, "lot_name": str(bid.lot),
            "bidder_name": bid.bidder_name, "bidder_uscc": bid.bidder_uscc, "sha256": bid.sha256, "size": bid.size,
            "key_check": bid.key_check, "submitted_at": bid.submitted_at, "version": bid.version,
            "status": bid.status, "status_label": bid.status_label, "row_version": bid.row_version,
            "withdrawn_at": bid.withdrawn_at, "bid_deadline": bid.lot.bid_deadline,
            "source": rules_bids.RECEIPT_SOURCE}
