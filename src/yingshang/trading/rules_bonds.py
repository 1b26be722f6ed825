"""Bid bonds (投标保证金) and e-guarantees (电子保函): pure rules, each with its source, and the rows the
platform seeds as data with effective dates (caps, credit-grade reductions, the bank's demand-deposit rate).

Interest follows the PBOC convention for deposits (《人民币利率管理规定》第二十五条: 日利率 = 年利率 ÷ 360)
and counts the days from the receipt to the refund, the first day not the last (算头不算尾).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from yingshang.trading.rules import GOODS, REG, SERVICES, WORKS, Breach

CENT = Decimal("0.01")
REFUND_DAYS = 5  # REG Art. 35 (withdrawal), Art. 57 (contract signed); failed/terminated lots follow Art. 57
DAY_BASIS = 360

# --- Rules as data -------------------------------------------------------------------------------------
_ORDER30 = "《工程建设项目施工招标投标办法》（七部委令第30号，2013年修正）第三十七条"
_ORDER27 = "《工程建设项目货物招标投标办法》（七部委令第27号，2013年修正）第二十七条"


@dataclass(frozen=True)
class Cap:
    """The bond's cap for one lot type: `rate` % of the estimated price, and at most `max_amount` yuan."""

    lot_type: str
    rate: Decimal
    max_amount: Decimal | None
    effective_from: date
    source: str
    effective_to: date | None = None


CAPS: tuple[Cap, ...] = (
    Cap(WORKS, Decimal("2.00"), Decimal("800000.00"), date(2012, 2, 1), f"{REG}第二十六条；{_ORDER30}"),
    Cap(GOODS, Decimal("2.00"), Decimal("800000.00"), date(2012, 2, 1), f"{REG}第二十六条；{_ORDER27}"),
    Cap(SERVICES, Decimal("2.00"), None, date(2012, 2, 1), f"{REG}第二十六条"),
)


@dataclass(frozen=True)
class Reduction:
    """The share (%) of the required bond a bidder of credit `grade` pays ("" = no grade on record)."""

    grade: str
    percent: Decimal
    effective_from: date
    source: str
    effective_to: date | None = None


_SEED004 = "东营市招标投标优化营商环境工作方案（2021）第8条：根据供应商信用等情况降低保证金缴纳比例"
REDUCTIONS: tuple[Reduction, ...] = (
    Reduction("A", Decimal("50"), date(2021, 1, 1), _SEED004),
    Reduction("B", Decimal("80"), date(2021, 1, 1), _SEED004),
    Reduction("C", Decimal("100"), date(2021, 1, 1), _SEED004),
    Reduction("D", Decimal("100"), date(2021, 1, 1), _SEED004),
    Reduction("", Decimal("100"), date(2021, 1, 1), _SEED004),
)


@dataclass(frozen=True)
class Rate:
    """The demand-deposit rate (活期存款利率, % a year) the refunds' interest is computed at."""

    annual_percent: Decimal
    effective_from: date
    source: str


RATES: tuple[Rate, ...] = (
    Rate(Decimal("0.35"), date(2015, 10, 24), "中国人民银行活期存款基准利率（2015-10-24起）"),
    Rate(Decimal("0.05"), date(2025, 5, 20), "国有大型商业银行活期存款挂牌利率（2025-05-20起）"),
)


def in_force(rows: Sequence, on: date, **match):
    """The row in force on `on` among those matching `match` (the latest started on or before it)."""
    found = [r for r in rows if all(getattr(r, k) == v for k, v in match.items()) and r.effective_from <= on
             and (getattr(r, "effective_to", None) is None or on < r.effective_to)]
    return max(found, key=lambda r: r.effective_from, default=None)


# --- The amount ------------------------------------------------------------------------------------------
def bond_cap(estimated_price: Decimal, cap: Cap | None) -> Decimal | None:
    """The highest bond a tenderer may require: rate % of the estimate, at most the fixed amount."""
    if cap is None:
        return None
    amount = (estimated_price * cap.rate / 100).quantize(CENT, ROUND_DOWN)
    return min(amount, cap.max_amount) if cap.max_amount is not None else amount


def check_bond_amount(amount: Decimal, estimated_price: Decimal, cap: Cap | None) -> Breach | None:
    """REG Art. 26: 投标保证金不得超过招标项目估算价的2%（and for works and goods at most 80万元）."""
    if amount <= 0:
        return Breach("trading.bond_amount_not_positive", "投标保证金须大于 0（不要求保证金的，请不设置）",
                      f"{REG}第二十六条", "amount")
    limit = bond_cap(estimated_price, cap)
    if limit is not None and amount > limit:
        fixed = cap.max_amount is not None and limit == cap.max_amount
        why = f"最高不得超过{_wan(cap.max_amount)}" if fixed else f"不得超过估算价的{cap.rate.normalize():f}%"
        return Breach("trading.bond_above_cap", f"投标保证金{why}，本标段最高 {limit} 元", cap.source, "amount")
    return None


def required_amount(requirement: Decimal, percent: Decimal) -> Decimal:
    """The bidder's own amount: the lot's requirement × the share for its credit grade, to the cent."""
    return (requirement * percent / 100).quantize(CENT, ROUND_HALF_UP)


def _wan(amount: Decimal) -> str:
    return f"{(amount / 10000).normalize():f}万元"


# --- Securing --------------------------------------------------------------------------------------------
def counts(received_at, deadline) -> bool:
    """Money counts when it arrived by the bid deadline (投标保证金应在投标截止时间前到账, REG Art. 26)."""
    return received_at <= deadline


def is_secured(received_in_time: Decimal, required: Decimal, guarantee_amount: Decimal | None) -> bool:
    """Cash received in time ≥ the required amount, or an accepted guarantee of at least that amount
    (a guarantee has the same force as cash and may not be refused, seed 004)."""
    return received_in_time >= required or (guarantee_amount is not None and guarantee_amount >= required)


@dataclass(frozen=True)
class GuaranteeFacts:
    """What the issuer says about a guarantee (电子保函), as verified online."""

    found: bool
    kind: str = ""
    issuer_name: str = ""
    amount: Decimal = Decimal("0")
    beneficiary_uscc: str = ""
    lot_ref: str = ""
    applicant_uscc: str = ""
    valid_from: date | None = None
    valid_to: date | None = None
    revoked: bool = False
    basic_account_bank: bool | None = None  # the issuing bank holds the applicant's basic deposit account


def check_guarantee(facts: GuaranteeFacts, *, required: Decimal, tenderer_uscc: str, lot_ref: str,
                    bidder_uscc: str, deadline_day: date, validity_days: int) -> Breach | None:
    """A guarantee is accepted unless the issuer does not confirm it, or it does not cover the bond: its
    amount, beneficiary (the tenderer), lot, applicant and validity over the bid validity period
    (REG Art. 26: 投标保证金有效期应当与投标有效期一致)."""
    source = f"{REG}第二十六条"
    if not facts.found:
        return Breach("trading.guarantee_not_found", "出具机构查无此保函，请核对出具机构代码和保函编号", source, "guarantee_no")
    if facts.revoked:
        return Breach("trading.guarantee_revoked", "出具机构确认该保函已撤销或失效", source, "guarantee_no")
    if facts.applicant_uscc != bidder_uscc:
        return Breach("trading.guarantee_applicant", "保函的申请人（被保证人）不是本投标人", source, "guarantee_no")
    if facts.kind == "bank" and facts.basic_account_bank is False:  # seed 004: 由投标人基本账户开户银行出具
        return Breach("trading.guarantee_not_basic_bank", "银行保函应由投标人基本存款账户开户银行出具，该行确认"
                      "投标人的基本存款账户不在本行", "seed 004（东营市招标投标改革方案）", "issuer_code")
    if facts.beneficiary_uscc != tenderer_uscc:
        return Breach("trading.guarantee_beneficiary", "保函的受益人不是本标段的招标人", source, "guarantee_no")
    if facts.lot_ref != lot_ref:
        return Breach("trading.guarantee_lot", "保函载明的标段不是本标段", source, "guarantee_no")
    if facts.amount < required:
        return Breach("trading.guarantee_amount", f"保函担保金额 {facts.amount} 元低于应缴保证金 {required} 元", source,
                      "guarantee_no")
    until = validity_end(deadline_day, validity_days)
    if facts.valid_from is None or facts.valid_to is None or facts.valid_from > deadline_day or facts.valid_to < until:
        return Breach("trading.guarantee_validity", f"保函有效期须覆盖投标有效期（{deadline_day:%Y-%m-%d} 至 "
                      f"{until:%Y-%m-%d}）", source, "guarantee_no")
    return None


def validity_end(deadline_day: date, validity_days: int) -> date:
    """The last day of the bid validity period, which starts at the bid deadline (TBL Art. 29 context)."""
    return deadline_day + timedelta(days=validity_days)


# --- Refunds ---------------------------------------------------------------------------------------------
WITHDRAWAL, CONTRACT_SIGNED, LOT_FAILED, LOT_TERMINATED = "withdrawal", "contract_signed", "failed", "terminated"
REFUND_REASONS = {WITHDRAWAL: "投标截止前撤回投标", CONTRACT_SIGNED: "合同已签订", LOT_FAILED: "流标",
                  LOT_TERMINATED: "终止招标"}
REFUND_SOURCES = {WITHDRAWAL: f"{REG}第三十五条", CONTRACT_SIGNED: f"{REG}第五十七条",
                  LOT_FAILED: f"{REG}第五十七条（参照）", LOT_TERMINATED: f"{REG}第三十一条"}


def refund_due(event_on: date) -> date:
    """Refunded within 5 days of the event (REG Art. 35, 57): the last day is the event day + 5."""
    return event_on + timedelta(days=REFUND_DAYS)


def interest(payments: Sequence[tuple[Decimal, date]], refund_on: date, rates: Sequence[Rate]) -> Decimal:
    """Bank interest on each payment from its receipt day to the refund day (算头不算尾), at the
    demand-deposit rate in force on each day (a rate change splits the period), year of 360 days,
    rounded to the cent (REG Art. 57: 退还投标保证金及银行同期存款利息)."""
    ordered = sorted(rates, key=lambda r: r.effective_from)
    total = Decimal("0")
    for amount, received_on in payments:
        for i, rate in enumerate(ordered):
            start = max(received_on, rate.effective_from)
            end = min(refund_on, ordered[i + 1].effective_from) if i + 1 < len(ordered) else refund_on
            if end > start:
                total += amount * rate.annual_percent / 100 * (end - start).days / DAY_BASIS
    return total.quantize(CENT, ROUND_HALF_UP)


def same_account_groups(payments: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """REG Art. 40 (四): bonds of different bidders paid from one account. `payments` are (payer account,
    bidder USCC); returns account → bidders for the accounts that paid for two bidders or more."""
    by_account: dict[str, set[str]] = {}
    for account, bidder in payments:
        if account:
            by_account.setdefault(account, set()).add(bidder)
    return {a: sorted(b) for a, b in sorted(by_account.items()) if len(b) > 1}


def mask_account(number: str) -> str:
    """Account numbers on pages: the last 4 digits only."""
    return f"****{number[-4:]}" if number else ""
