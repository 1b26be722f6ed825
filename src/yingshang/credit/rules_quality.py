"""双公示 quality monitoring (双公示质量监测): the monthly indicators and the ranking formula, pure.

The city's monthly 通报 ranks departments by 合规率, 迟报率 and 瞒报率 (seed 001, 运城市发展改革委:
“建立逐月考核排名通报工作机制……对‘双公示’信息合规率、迟报率、瞒报率以及台账报送情况进行排名通报”).
The seed names the indicators but not their formulas nor the weights: what follows is our documented
reading, kept as versioned data so the city can change it without touching the code.

- 迟报率 (late rate) = records first reported in the month more than 7 working days after their
  decision ÷ records first reported in the month (`rules.REPORTING_RULES`).
- 瞒报率 (missing rate) = licensing decisions of the month known to the platform (granted 行政许可
  cases) whose reporting deadline has passed without a matching 行政许可 record ÷ those decisions
  whose deadline has passed.
- 合规率 (compliance rate) = rows that passed validation against the national data standard ÷ rows
  submitted, over the department's 双公示 batches finished in the month (the 2019 standard's
  “合规”: required fields, identifiers, dates and amounts valid).
- 综合得分 = 100 × (w合规 × 合规率 + w及时 × (1 − 迟报率) + w完整 × (1 − 瞒报率)); an indicator
  with nothing to measure counts as fully met.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class QualityFormula:
    code: str
    effective_from: date
    compliance_weight: float
    timeliness_weight: float
    completeness_weight: float
    source: str


QUALITY_FORMULAS: tuple[QualityFormula, ...] = (
    QualityFormula("city-2026", date(2015, 7, 1), 0.4, 0.3, 0.3,
                   "城市选择：合规率40%、及时率（1−迟报率）30%、完整率（1−瞒报率）30%；指标名称见运城市2023年工作总结"
                   "（种子001），权重为本平台约定，可调整"),
)


def formula_for(month_start: date) -> QualityFormula:
    found = QUALITY_FORMULAS[0]
    for formula in QUALITY_FORMULAS:
        if formula.effective_from <= month_start:
            found = formula
    return found


def rate(part: int, whole: int) -> float | None:
    """part ÷ whole, None when there is nothing to measure."""
    return part / whole if whole else None


def score(compliance: float | None, late: float | None, missing: float | None, formula: QualityFormula) -> float:
    """The composite score, 0–100, one decimal."""
    value = (formula.compliance_weight * (1.0 if compliance is None else compliance)
             + formula.timeliness_weight * (1.0 - (late or 0.0))
             + formula.completeness_weight * (1.0 - (missing or 0.0)))
    return round(100 * value, 1)


def ranks(scores: list[float]) -> list[int]:
    """Competition ranking (1, 2, 2, 4) of scores already sorted from best to worst."""
    out: list[int] = []
    for i, value in enumerate(scores):
        out.append(out[-1] if i and value == scores[i - 1] else i + 1)
    return out


def month_bounds(month: date) -> tuple[date, date]:
    """First and last day of the month containing `month`."""
    import calendar

    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def parse_month(text: str) -> date:
    """'YYYY-MM' → the month's first day; ValueError otherwise."""
    text = (text or "").strip()
    if len(text) != 7 or text[4] != "-":
        raise ValueError(text)
    year, month = int(text[:4]), int(text[5:])
    if not (2000 <= year <= 2099 and 1 <= month <= 12):
        raise ValueError(text)
    return date(year, month, 1)
