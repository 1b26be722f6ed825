"""Remote decryption (远程解密) in the decryption window, and the bids not decrypted when it ends (ETB Art. 31).

The bidder presents its key (the YSBID1 key file) in the hall; the server streams the sealed file through the
decryption (flat memory: one chunk at a time) into a plaintext file in storage, checks the ciphertext against
the SHA-256 recorded at submission while reading it, and keeps the price sheet. Only the bid's row is locked,
so bidders decrypt in parallel; the key itself is never stored.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.db import transaction
from django.db.models import F

from yingshang.kernel import clock
from yingshang.kernel.errors import Conflict, Forbidden, InvalidInput, NotFound
from yingshang.kernel.services import workflow
from yingshang.kernel.services.audit import record
from yingshang.trading import hooks, rules, sealing
from yingshang.trading import rules_opening as ro
from yingshang.trading.models import Bid, OpeningPlan
from yingshang.trading.services import common, opening, opening_files

MAX_KEY_TEXT = 4096


class _Hashing:
    """A reader that hashes what passes through it (the ciphertext's SHA-256 checked in the same pass)."""

    def __init__(self, src):
        self.src, self.digest = src, hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        block = self.src.read(n)
        self.digest.update(block)
        return block

    def drain(self) -> str:
        while self.read(opening_files.BLOCK):
            pass
        return self.digest.hexdigest()


def bid_snapshot(bid: Bid) -> dict:
    return {"status": bid.status, "row_version": bid.row_version,
            "decrypted_at": bid.decrypted_at.isoformat() if bid.decrypted_at else None,
            "plain_sha256": bid.plain_sha256, "price": None if bid.price is None else str(bid.price),
            "not_decrypted_reason": bid.not_decrypted_reason}


def _window_open(plan: OpeningPlan | None, now) -> None:
    if plan is None or not plan.decrypt_from:
        needs = plan is not None and plan.needs_draw and not plan.drawn_at
        raise Conflict("trading.draw_pending" if needs else "trading.not_opening",
                       "请等待投标人代表完成随机抽取后解密" if needs else "尚未开标，不能解密")
    if plan.closed_at or now > plan.decrypt_until:
        raise Conflict("trading.decrypt_window_closed",
                       f"解密时间已于 {plan.decrypt_until:%Y-%m-%d %H:%M} 结束，不能再解密",
                       details={"source": ro.DECRYPT_SOURCE})


def _decrypt_to_storage(bid: Bid, key: bytes) -> tuple[dict, str, str, str, int]:
    """(price sheet, file name, plaintext storage name, its SHA-256, size); SealError for a wrong key or a bad file."""
    expected = opening_files.sealed_sha256(bid)
    try:
        src = opening_files.sealed_file(bid)
    except FileNotFoundError:
        raise sealing.SealError("trading.bid_file_missing", "平台未找到该投标文件，请联系交易中心") from None
    name = ""
    with src:
        hashing = _Hashing(src)
        sheet, filename, rest = sealing.open_bid(key, hashing)
        try:
            name, digest, size = opening_files.write_plain(bid, rest.chunks())
            actual = hashing.drain()
            if not expected or not hmac.compare_digest(actual, expected):
                raise sealing.SealError("trading.bid_corrupt", "投标文件与递交时记录的摘要（SHA-256）不一致，无法解密")
        except BaseException:
            opening_files.delete(name or opening_files.plain_name(bid))
            raise
    return sheet, filename, name, digest, size


def do_decrypt(user, lot_id, key_text) -> Bid:
    """Decrypt the user's own bid with its key. Refusals: trading.key_invalid / key_wrong (retry allowed),
    trading.bid_corrupt, trading.decrypt_window_closed, trading.bid_already_decrypted."""
    here = opening.hall(user, lot_id)
    if here.role != opening.BIDDER:
        raise Forbidden("trading.not_a_bidder", "只有投标人本人可以解密其投标文件")
    common.check_perm(user, common.BID_AT_OPENING)
    _window_open(here.plan, clock.now())
    if isinstance(key_text, bytes | bytearray):
        key_text = bytes(key_text[:MAX_KEY_TEXT])
    elif not isinstance(key_text, str) or not key_text.strip():
        raise InvalidInput("trading.key_required", "请选择密钥文件或粘贴密钥", details={"field": "key"})
    bid = workflow.lock(Bid, here.bid.pk, None, ro.BID_OPENING_FLOW)
    if bid.status == rules.BID_DECRYPTED:
        raise Conflict("trading.bid_already_decrypted", "该投标文件已解密")
    after = ro.BID_OPENING_FLOW.require(bid, ro.DECRYPT)
    try:
        key = sealing.decode_key(key_text[:MAX_KEY_TEXT])
        sheet, filename, name, digest, size = _decrypt_to_storage(bid, key)
    except sealing.SealError as exc:
        raise InvalidInput(exc.code, exc.message, details={"field": "key"}) from None
    before = bid_snapshot(bid)
    bid.status, bid.decrypted_at, bid.price_sheet = after, clock.now(), sheet
    bid.price = ro.sheet_price(sheet)
    bid.plain_file, bid.plain_name, bid.plain_sha256, bid.plain_size = name, filename[:255], digest, size
    workflow.finish(bid, ro.DECRYPT, before, snapshot=bid_snapshot, fields=[
        "status", "decrypted_at", "price_sheet", "price", "plain_file", "plain_name", "plain_sha256", "plain_size"])
    return bid


FAILURES = ("trading.key_wrong", "trading.key_invalid", "trading.bid_corrupt", "trading.bid_file_missing",
            "trading.bid_payload_invalid")


def do_note_failure(user, lot_id, code: str) -> None:
    """Count a failed decryption on the bidder's bid and audit it (the centre weighs it when deciding whose fault a
    bid left sealed was). Runs in its own transaction, after the failed one rolled back."""
    here = opening.hall(user, lot_id)
    if here.role != opening.BIDDER or code not in FAILURES:
        return
    Bid.objects.filter(pk=here.bid.pk).update(decrypt_failures=F("decrypt_failures") + 1)
    record("trading.bid.decrypt_failed", here.bid, after={"code": code})


def decrypt_at_edge(user, lot_id, key_text) -> Bid:
    """What the page and the API call: the decryption in one transaction; if it fails for the key or the file, the
    failure is noted in a second one, and the error raised as it was."""
    try:
        with transaction.atomic():
            return do_decrypt(user, lot_id, key_text)
    except InvalidInput as exc:
        if exc.code in FAILURES:
            with transaction.atomic():
                do_note_failure(user, lot_id, exc.code)
        raise


def do_close_window(user, lot_id) -> OpeningPlan:
    """End decryption: by the centre once every bid is decrypted, or by anyone's sweep (`user=None`) when the window
    is over. The bids still sealed then wait for the centre's decision on whose fault it was."""
    if user is not None:
        common.check_perm(user, common.RUN_OPENING)
    lot = opening._lock_lot(lot_id)
    plan = opening._plan_for_update(lot)
    if lot.status != rules.OPENING or not plan.decrypt_from:
        raise Conflict("trading.not_opening", "尚未开始解密")
    if plan.closed_at:
        raise Conflict("trading.decrypt_window_closed", "解密已结束")
    now = clock.now()
    sealed = Bid.objects.select_for_update().filter(lot=lot, status=rules.BID_SUBMITTED).count()
    if sealed and now <= plan.decrypt_until:
        raise Conflict("trading.decrypt_window_open",
                       f"尚有{sealed}份投标文件未解密，解密时间至 {plan.decrypt_until:%H:%M} 结束", details={"sealed": sealed})
    before = opening.plan_snapshot(plan)
    plan.closed_at = now
    lot.next_check = None
    lot.save(update_fields=["next_check", "updated_at"])
    workflow.finish(plan, "close", before, snapshot=opening.plan_snapshot, extra={"sealed": sealed})
    return plan


def do_decide_not_decrypted(user, lot_id, bid_id, fault: str, reason: str) -> Bid:
    """ETB Art. 31, the centre's decision with its reason: the bidder's fault → revoked, otherwise → withdrawn.
    Fires BID_NOT_DECRYPTED (the bond part refunds or keeps the bond)."""
    common.check_perm(user, common.RUN_OPENING)
    lot = opening._lock_lot(lot_id)
    plan = opening._plan_for_update(lot)
    if not plan.closed_at:
        raise Conflict("trading.decrypt_window_open", "解密结束后方可认定未解密的投标文件")
    fault = common.fields.choice(fault, "fault", "未解密原因", ro.FAULTS)
    reason = common.fields.text(reason, "reason", "认定理由", max_len=300)
    found = Bid.objects.filter(lot=lot, pk=bid_id).first() if type(bid_id) is int else None
    if found is None:
        raise NotFound("trading.bid_not_found", "投标文件不存在")
    bid = workflow.lock(Bid, found.pk, None, ro.BID_OPENING_FLOW)
    action = ro.REVOKE if fault == ro.BIDDER_FAULT else ro.WITHDRAW_UNOPENED
    after = ro.BID_OPENING_FLOW.require(bid, action)
    before = bid_snapshot(bid)
    bid.status, bid.not_decrypted_reason = after, reason
    workflow.finish(bid, action, before, snapshot=bid_snapshot, fields=["status", "not_decrypted_reason"],
                    note=f"{ro.FAULTS[fault]}：{reason}（{ro.DECRYPT_SOURCE}）")
    hooks.BID_NOT_DECRYPTED.run(bid=bid, fault=fault, reason=reason)
    return bid


def on_timed(lot, now, **_ignored) -> list[str]:
    """hooks.TIMED (the lot sweep): open a lot whose deadline came (fewer than three bids: it fails) and close a
    decryption window that ended. The sweep holds the lot's lock and the transaction."""
    if lot.status == rules.ANNOUNCED and lot.bid_deadline <= now:
        return [opening.do_open(None, lot.pk).status]
    plan = getattr(lot, "opening", None) if lot.status == rules.OPENING else None
    if plan is not None and plan.decrypt_until and not plan.closed_at and plan.decrypt_until < now:
        do_close_window(None, lot.pk)
        return ["closed"]
    return []


def next_moments(lot, now, **_ignored) -> list:
    """hooks.NEXT_MOMENTS: the end of the decryption window (a second after it: the window includes its end)."""
    plan = getattr(lot, "opening", None) if lot.status == rules.OPENING else None
    if plan is None or not plan.decrypt_until or plan.closed_at:
        return []
    return [plan.decrypt_until + timedelta(seconds=1)]
