"""The opening (开标, remote: 不见面开标) as pure rules, each with its source.

Sources: 招标投标法 "TBL", 招标投标法实施条例 "REG", 电子招标投标办法 (国家发展改革委等八部委令第20号, 2013) "ETB"
— its article numbers are marked **verify** in ../shared/domain/RULES.md — and the Dongying plan (seed 004).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from yingshang.kernel.rules.workflow import Workflow
from yingshang.trading import rules
from yingshang.trading.rules import REG, TBL, Breach

ETB = "《电子招标投标办法》"
SEED_004 = "东营市招标投标领域优化营商环境工作方案（2021年）第9项（种子文件004）"

# --- Opening: at the deadline, in public, with at least three bids --------------------------------
OPEN_AT_DEADLINE = f"{TBL}第三十四条；{ETB}第二十九条"
TOO_FEW_BIDS = f"{TBL}第二十八条；{REG}第四十四条"


def check_opening_time(now: datetime, deadline: datetime) -> Breach | None:
    """TBL Art. 34: the opening is at the time the documents fix as the deadline, not before."""
    if now < deadline:
        return Breach("trading.opening_too_early", f"开标应当在投标截止时间（{deadline:%Y-%m-%d %H:%M}）公开进行，"
                      "截止时间未到，不能开标", OPEN_AT_DEADLINE)
    return None


def check_enough_bids(received: int, minimum: int = 3) -> Breach | None:
    """REG Art. 44: fewer than 3 bids, no opening (the tenderer re-tenders, TBL Art. 28); `minimum` comes from the
    procedure row (单一来源: 1)."""
    if received < minimum:
        return Breach("trading.too_few_bids", f"投标人少于{minimum}个（实收{received}个），不得开标，本标段流标，"
                      "招标人应当依法重新招标", TOO_FEW_BIDS)
    return None


# --- The draw of the float rate and weights (seed 004) ---------------------------------------------
DRAW_SOURCE = SEED_004
MAX_DRAW_VALUES = 100_000


def check_range(low: Decimal | None, high: Decimal | None, step: Decimal | None, label: str,
                field: str) -> Breach | None:
    """A range from the documents: all three given (or none), 0 ≤ low ≤ high ≤ 100 %, step > 0, a sane count."""
    given = [v is not None for v in (low, high, step)]
    if not any(given):
        return None
    if not all(given):
        return Breach(f"trading.{field}_incomplete", f"{label}的下限、上限和步长须同时填写", DRAW_SOURCE, field)
    if not (0 <= low <= high <= 100):
        return Breach(f"trading.{field}_invalid", f"{label}须在 0～100% 之间，且下限不大于上限", DRAW_SOURCE, field)
    if step <= 0 or (high - low) / step + 1 > MAX_DRAW_VALUES:
        return Breach(f"trading.{field}_step_invalid", f"{label}的步长须大于 0，且取值个数不超过{MAX_DRAW_VALUES}个",
                      DRAW_SOURCE, field)
    return None


def draw_context(lot_id: int, what: str) -> str:
    """The context label of one drawn value: part of the published input, so anyone can recompute it."""
    return f"trading.lot:{lot_id}/{what}"


# --- Decryption window and the bids not decrypted (ETB Art. 30, 31) -----------------------------------
DECRYPT_MINUTES, MIN_DECRYPT_MINUTES, MAX_DECRYPT_MINUTES = 30, 10, 240  # the documents fix it; 30 by default
DECRYPT_SOURCE = f"{ETB}第三十条、第三十一条"
BIDDER_FAULT, OTHER_FAULT = "bidder", "other"
FAULTS = {BIDDER_FAULT: "投标人原因（视为撤销投标文件）", OTHER_FAULT: "投标人之外的原因（视为撤回投标文件）"}


def decrypt_until(start: datetime, minutes: int) -> datetime:
    return start + timedelta(minutes=minutes)


def undecrypted_outcome(fault: str) -> str:
    """ETB Art. 31: not decrypted through the bidder's fault → revoked (撤销); otherwise → withdrawn (撤回), and the
    opening of the other bids goes on."""
    return rules.BID_REVOKED if fault == BIDDER_FAULT else rules.BID_WITHDRAWN


# The bid's life at the opening (the submission part owns submitted → withdrawn before the deadline).
DECRYPT, REVOKE, WITHDRAW_UNOPENED = "decrypt", "revoke", "withdraw_unopened"
BID_OPENING_FLOW = Workflow(
    prefix="trading", noun="投标文件", not_found="trading.bid_not_found",
    states=rules.BID_STATES,
    actions={DECRYPT: "解密", REVOKE: "认定未解密（投标人原因）", WITHDRAW_UNOPENED: "认定未解密（非投标人原因）"},
    transitions={(rules.BID_SUBMITTED, DECRYPT): rules.BID_DECRYPTED,
                 (rules.BID_SUBMITTED, REVOKE): rules.BID_REVOKED,
                 (rules.BID_SUBMITTED, WITHDRAW_UNOPENED): rules.BID_WITHDRAWN},
)


# --- The price sheet (开标一览表) -----------------------------------------------------------------------
SHEET_SOURCE = f"{TBL}第三十六条；{ETB}第三十条"
CEILING_SOURCE = f"{REG}第五十一条第（五）项"
SHEET_FIELDS = {"price": "投标报价（元）", "duration_days": "工期（日历天）", "quality": "质量标准",
                "project_manager": "项目负责人"}


def sheet_price(sheet: dict) -> Decimal | None:
    """The price in the bidder's sheet (decimal text or number, yuan), or None when it cannot be read."""
    value = sheet.get("price") if isinstance(sheet, dict) else None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        price = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None
    return price.quantize(Decimal("0.01")) if price.is_finite() and 0 < price < 10**14 else None


def over_ceiling(price: Decimal | None, ceiling: Decimal | None) -> bool:
    """REG Art. 51 (5): a price above the ceiling (最高投标限价) is rejected at evaluation; the opening flags it."""
    return price is not None and ceiling is not None and price > ceiling


# --- Objections at the opening ------------------------------------------------------------------------
OBJECTION_SOURCE = f"{REG}第四十四条"  # raised at the opening, answered on the spot, recorded
MAX_OBJECTION = 1000
RECORD_SOURCE = f"{TBL}第三十六条"  # the opening is recorded and kept on file
