"""Sealed-bid rules (加密投标): pure functions, each with its source.

Sources: 《招标投标法》 (TBL), 《电子招标投标办法》 (国家发展改革委等八部委令第20号, 2013-05-01) "EBM" —
article numbers to **verify** against the official text.
"""

from __future__ import annotations

from datetime import datetime

from yingshang.trading.rules import TBL, Breach

EBM = "《电子招标投标办法》"
DEFAULT_MAX_BID_BYTES = 1 << 30  # 1 GiB; settings.TRADING_BID_MAX_BYTES


def check_deadline(received_at: datetime, deadline: datetime) -> Breach | None:
    """A bid must be completely transmitted before the deadline; one arriving at or after it is refused
    (EBM Art. 27; TBL Art. 28). `received_at` is the server's time when the upload completed."""
    if received_at >= deadline:
        return Breach("trading.bid_deadline_passed", "已过投标截止时间，平台依法拒收投标文件",
                      f"{EBM}第二十七条；{TBL}第二十八条")
    return None


def check_change_before_deadline(now: datetime, deadline: datetime) -> Breach | None:
    """Replacing (补充、修改) or withdrawing (撤回) a bid is possible only before the deadline (TBL Art. 29;
    EBM Art. 27)."""
    if now >= deadline:
        return Breach("trading.bid_deadline_passed", "已过投标截止时间，投标文件不能再替换或撤回",
                      f"{TBL}第二十九条；{EBM}第二十七条")
    return None


def check_size(size: int, limit: int) -> Breach | None:
    if size > limit:
        return Breach("trading.bid_too_large", f"投标文件过大：不能超过 {limit / (1 << 20):g} MB", "平台设置")
    if size <= 0:
        return Breach("trading.bid_file_required", "请选择加密后的投标文件（.ysbid）", f"{EBM}第二十六条")
    return None


# A file not sealed in the platform's format is refused with a notice (EBM Art. 26); the codes come from
# sealing.read_header (trading.bid_not_sealed).
UNSEALED_SOURCE = f"{EBM}第二十六条"
# Before the deadline nobody may decrypt or extract a bid, and the receipt is sent at once (EBM Art. 28).
RECEIPT_SOURCE = f"{EBM}第二十八条"
# The tenderer must not disclose who or how many obtained the documents/bid (TBL Art. 22): before the
# opening the tenderer sees the count only; the centre sees who and when, never the content.
CONFIDENTIAL_SOURCE = f"{TBL}第二十二条"

