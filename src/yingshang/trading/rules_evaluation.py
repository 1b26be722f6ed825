"""Evaluation (评标) rules: methods as data, the price-score formulas, weights, disqualification grounds,
outliers, majority and the report's limits. Pure functions on Decimals, each citing its source.

Sources: 招标投标法 (TBL), 招标投标法实施条例 (REG), 评标委员会和评标方法暂行规定 (七部委令第12号, 2013 revision)
"EVAL12", 政府采购货物和服务招标投标管理办法 (财政部令第87号, 2017-10-01) "MOF87", and seed 004 (the Dongying
plan: credit weighted at least 10 %, float rate drawn before opening, 评定分离 with unranked candidates).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from yingshang.trading.rules import GOODS, PROCUREMENT, REG, SERVICES, TBL, TENDERING, Breach

EVAL12 = "《评标委员会和评标方法暂行规定》"
MOF87 = "《政府采购货物和服务招标投标管理办法》（财政部令第87号）"
MOF18 = "《政府采购货物和服务招标投标管理办法》（财政部令第18号，2017-10-01废止）"
SEED004 = "东营市优化营商环境招标投标工作方案（种子004）"
HUNDRED, CENT = Decimal(100), Decimal("0.01")

# --- Methods as data -------------------------------------------------------------------------------------
COMPREHENSIVE, LOWEST_PRICE, REASONABLE_LOW, GP_LOW_PRICE = "comprehensive", "lowest_price", "reasonable_low", \
    "gp_low_price"
BENCHMARK, LOW_PRICE_FIRST = "benchmark", "low_price_first"  # price formulas
PRICE_FORMULAS = {BENCHMARK: "评标基准价偏差法", LOW_PRICE_FIRST: "低价优先法"}
TECHNICAL, COMMERCIAL = "technical", "commercial"
PARTS = {TECHNICAL: "技术", COMMERCIAL: "商务"}
GRADES = ("A", "B", "C", "D", "")
# Share of the credit weight a grade earns ("" = no grade held by the credit pillar): a platform default
# the centre may change in the admin (seed 004 requires the weight, not the shares).
DEFAULT_CREDIT_SHARES = {"A": 100, "B": 80, "C": 60, "D": 0, "": 60}


@dataclass(frozen=True)
class Method:
    """One version of an evaluation method; the platform stores these rows (admin-maintained)."""

    code: str
    name: str
    regime: str
    effective_from: date
    price_formula: str
    scored: bool  # technical/commercial/credit points; False: price only (conformity is pass/fail)
    min_credit_weight: int
    source: str
    price_weight_range: Mapping[str, tuple[int, int]] = field(default_factory=dict)  # lot type → (min, max) %
    credit_shares: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_CREDIT_SHARES))
    outlier_share: int = 20  # % of an item's max points an expert may deviate from the others' mean
    deviation_above: Decimal = Decimal(2)  # points off per 1 % above the benchmark
    deviation_below: Decimal = Decimal(1)  # points off per 1 % below it
    effective_to: date | None = None


_D2004, _D2013, _D2017, _D2021 = date(2004, 9, 11), date(2013, 5, 1), date(2017, 10, 1), date(2021, 1, 1)
METHODS: tuple[Method, ...] = (
    Method(COMPREHENSIVE, "综合评估法", TENDERING, _D2021, BENCHMARK, True, 10,
           f"{EVAL12}第三十四条至第三十六条；{SEED004}第9条（信用评价权重不低于10%）"),
    Method(LOWEST_PRICE, "经评审的最低投标价法", TENDERING, _D2013, LOW_PRICE_FIRST, False, 0,
           f"{REG}第五十三条；{EVAL12}第三十条至第三十三条"),
    Method(REASONABLE_LOW, "合理低价法", TENDERING, _D2021, BENCHMARK, False, 0,
           f"{EVAL12}第二十九条；{SEED004}第9条（下浮率开标前随机抽取）"),
    # The price weight: 30–60 % goods, 10–30 % services under order 18 (Art. 52); order 87 (Art. 55) keeps
    # only the floors (goods ≥ 30 %, services ≥ 10 %) — to verify against the official text (RULES.md).
    Method(GP_LOW_PRICE, "综合评分法（政府采购，低价优先）", PROCUREMENT, _D2004, LOW_PRICE_FIRST, True, 0,
           f"{MOF18}第五十二条", {GOODS: (30, 60), SERVICES: (10, 30)}, effective_to=_D2017),
    Method(GP_LOW_PRICE, "综合评分法（政府采购，低价优先）", PROCUREMENT, _D2017, LOW_PRICE_FIRST, True, 0,
           f"{MOF87}第五十五条", {GOODS: (30, 100), SERVICES: (10, 100)}),
)


def method_in_force(versions: Sequence[Method], code: str, on: date) -> Method | None:
    rows = [m for m in versions if m.code == code and m.effective_from <= on
            and (m.effective_to is None or on < m.effective_to)]
    return max(rows, key=lambda m: m.effective_from, default=None)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- Weights and scoring items ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Weights:
    technical: Decimal
    commercial: Decimal
    price: Decimal
    credit: Decimal

    @property
    def total(self) -> Decimal:
        return self.technical + self.commercial + self.price + self.credit


def check_weights(method: Method, lot_type: str, w: Weights) -> Breach | None:
    """The plan's weights against the method: they sum to 100; a price-only method puts all on price;
    综合评估法 weights credit at least 10 % (seed 004); 87号 Art. 55 bounds the price weight by lot type."""
    if min(w.technical, w.commercial, w.price, w.credit) < 0:
        return Breach("trading.weight_negative", "权重不能为负数", method.source, "weights")
    if w.total != HUNDRED:
        return Breach("trading.weights_not_100", f"技术、商务、价格、信用权重之和须为100%，现为{w.total.normalize():f}%",
                      method.source, "weights")
    if not method.scored and w.price != HUNDRED:
        return Breach("trading.weights_price_only", f"{method.name}只比较价格，价格权重须为100%", method.source,
                      "price_weight")
    if w.credit < method.min_credit_weight:
        return Breach("trading.credit_weight_too_low", f"{method.name}的信用评价权重不得低于{method.min_credit_weight}%",
                      method.source, "credit_weight")
    if method.price_weight_range:
        bounds = method.price_weight_range.get(lot_type)
        if bounds is None:
            return Breach("trading.method_not_for_lot_type", f"{method.name}只适用于货物和服务项目", method.source,
                          "method")
        low, high = bounds
        if not low <= w.price <= high:
            kind = "货物" if lot_type == GOODS else "服务"
            span = f"不得低于{low}%" if high >= 100 else f"应为{low}%至{high}%"
            return Breach("trading.price_weight_out_of_range", f"政府采购{kind}项目的价格分值占总分值的比重{span}",
                          method.source, "price_weight")
    return None


def check_items(w: Weights, items: Sequence[tuple[str, Decimal]]) -> Breach | None:
    """Scoring items (part, max points): each part's points add up to its weight (EVAL12 Art. 35:
    the criteria are quantified as points in the tender documents)."""
    for part, weight in ((TECHNICAL, w.technical), (COMMERCIAL, w.commercial)):
        points = sum((p for k, p in items if k == part), Decimal(0))
        if any(p <= 0 for k, p in items if k == part):
            return Breach("trading.item_points_not_positive", "评分项的分值须大于0", f"{EVAL12}第三十五条", "items")
        if points != weight:
            return Breach("trading.items_not_weight", f"{PARTS[part]}评分项分值合计{points.normalize():f}分，"
                          f"应等于{PARTS[part]}权重{weight.normalize():f}分", f"{EVAL12}第三十五条", "items")
    return None


# --- Price scores --------------------------------------------------------------------------------------------
def benchmark_price(prices: Sequence[Decimal], float_rate: Decimal | None, ceiling: Decimal | None = None) -> Decimal:
    """评标基准价 = mean of the valid prices (those within the ceiling price when there is one) × (1 − float
    rate %); the rate is drawn before the opening from the range in the documents (seed 004, EVAL12 Art. 29)."""
    inside = [p for p in prices if ceiling is None or p <= ceiling]
    if not inside:
        raise ValueError("no valid price")
    mean = sum(inside, Decimal(0)) / len(inside)
    return _money(mean * (1 - (float_rate or Decimal(0)) / HUNDRED))


def benchmark_score(price: Decimal, benchmark: Decimal, weight: Decimal, *, above: Decimal = Decimal(2),
                    below: Decimal = Decimal(1)) -> Decimal:
    """Price score by deviation from the benchmark: full `weight` at the benchmark, `above` points off per
    1 % above it and `below` per 1 % below it, never under 0 (the usual 偏差率 formula, EVAL12 Art. 29)."""
    deviation = (price - benchmark) / benchmark * HUNDRED
    off = deviation * above if deviation > 0 else -deviation * below
    return _money(max(weight - off, Decimal(0)))


def low_price_score(price: Decimal, lowest: Decimal, weight: Decimal) -> Decimal:
    """低价优先法: 投标报价得分 = (评标基准价 / 投标报价) × 价格权重 × 100, the benchmark being the lowest valid
    price (MOF87 Art. 55); `weight` is already in points (price weight × 100)."""
    return _money(lowest / price * weight)


def price_scores(method: Method, prices: Mapping[int, Decimal], weight: Decimal, *, float_rate: Decimal | None,
                 ceiling: Decimal | None) -> tuple[Decimal | None, dict[int, Decimal]]:
    """Every valid bid's price score under the method: (benchmark or lowest price, {bid id: score})."""
    if not prices:
        return None, {}
    if method.price_formula == LOW_PRICE_FIRST:
        lowest = min(prices.values())
        return lowest, {k: low_price_score(p, lowest, weight) for k, p in prices.items()}
    bench = benchmark_price(list(prices.values()), float_rate, ceiling)
    return bench, {k: benchmark_score(p, bench, weight, above=method.deviation_above, below=method.deviation_below)
                   for k, p in prices.items()}


def credit_score(grade: str, weight: Decimal, shares: Mapping[str, int] = DEFAULT_CREDIT_SHARES) -> Decimal:
    """Credit points: the grade's share of the credit weight (seed 004: the regulator's credit evaluation
    weighted at least 10 %), read from the credit pillar at evaluation time."""
    share = Decimal(shares.get(grade, shares.get("", 0)))
    return _money(weight * share / HUNDRED)


# --- Disqualification (否决投标) -----------------------------------------------------------------------------
DISQUALIFY_SOURCE = f"{REG}第五十一条"
GROUNDS = {
    "not_signed": "投标文件未经投标单位盖章和单位负责人签字（第一项）",
    "no_consortium_agreement": "投标联合体没有提交共同投标协议（第二项）",
    "not_qualified": "投标人不符合国家或者招标文件规定的资格条件（第三项）",
    "multiple_bids": "同一投标人提交两个以上不同的投标文件或者投标报价（第四项）",
    "below_cost": "投标报价低于成本（第五项）",
    "above_ceiling": "投标报价高于招标文件设定的最高投标限价（第五项）",
    "bond_not_secured": "未按招标文件要求提交投标保证金，未响应实质性要求（第六项）",
    "not_responsive": "投标文件没有对招标文件的实质性要求和条件作出响应（第六项）",
    "collusion_fraud": "投标人有串通投标、弄虚作假、行贿等违法行为（第七项）",
}
MIN_VALID_BIDS = 3


def is_majority(votes_for: int, members: int) -> bool:
    """A committee decision needs more than half of all members (the committee decides collectively,
    EVAL12 Art. 17 / REG Art. 51); a tie is no majority."""
    return votes_for * 2 > members


def cannot_reach_majority(votes_against: int, members: int) -> bool:
    return votes_against * 2 >= members


def may_declare_failed(valid_bids: int) -> Breach | None:
    """With fewer than 3 valid bids left, competition is plainly lacking and the committee may reject all
    (TBL Art. 42; EVAL12 Art. 27); the tender then fails and is re-tendered (TBL Art. 42, REG Art. 51)."""
    if valid_bids < MIN_VALID_BIDS:
        return None
    return Breach("trading.enough_valid_bids", f"有效投标{valid_bids}个，不少于3个，不能以缺乏竞争为由否决全部投标",
                  f"{TBL}第四十二条；{EVAL12}第二十七条")


# --- Scores, outliers -------------------------------------------------------------------------------------
def mean(values: Sequence[Decimal]) -> Decimal | None:
    return _money(sum(values, Decimal(0)) / len(values)) if values else None


def is_outlier(points: Decimal, others: Sequence[Decimal], max_points: Decimal, share: int) -> bool:
    """An expert's score on an item is flagged when it deviates from the other members' mean by more than
    `share` % of the item's max points (platform rule, data on the method); the expert explains it in
    writing before the report is signed (REG Art. 53: the report records differing opinions)."""
    if not others:
        return False
    others_mean = sum(others, Decimal(0)) / len(others)
    return abs(points - others_mean) > max_points * Decimal(share) / HUNDRED


# --- The report ---------------------------------------------------------------------------------------------
MAX_CANDIDATES = 3
REPORT_SOURCE = f"{REG}第五十三条；{SEED004}第10条（评定分离）"
CLARIFICATION_SOURCE = f"{REG}第五十二条"


def check_candidates(count: int, valid_bids: int) -> Breach | None:
    """At most 3 recommended candidates (REG Art. 53), from the valid bids, at least one."""
    if count < 1:
        return Breach("trading.candidates_required", "请推荐至少1名中标候选人", REPORT_SOURCE, "candidates")
    if count > MAX_CANDIDATES:
        return Breach("trading.candidates_too_many", "推荐的中标候选人不得超过3个", REPORT_SOURCE, "candidates")
    if count > valid_bids:
        return Breach("trading.candidates_invalid", "中标候选人须为有效投标", REPORT_SOURCE, "candidates")
    return None


