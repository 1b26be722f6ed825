"""E-supervision (电子监察) and ratings (好差评) as data and pure functions: what counts, and the formulas.

Nothing here reads the database or the clock: callers pass counts and dates. Each rule cites its
source. Where a value is the city's choice (rectification days, ranking weights) the default lives
here and the city's own values are data (`SupervisionPolicy`, with an effective date).
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date, timedelta

from yingshang.cases import rules as case_rules
from yingshang.kernel.rules.workflow import Workflow

# --- What counts as concluded (办结) ----------------------------------------------------------------
CONCLUDED_STATUSES = frozenset({case_rules.APPROVED, case_rules.DENIED, case_rules.ISSUED, case_rules.CONCLUDED})
"""办结 = the department made its decision (准予 or 不予许可), whatever happened afterwards.

Source: 行政许可法 Art. 42 (the time limit runs from acceptance to the *decision*; issuance has its
own 10 days under Art. 44), so on-time and working-day figures are measured at the decision, which
is when the cases app stops the clock and records `decided_on` and `on_time`. Hence approved (not
yet issued), denied, issued and concluded all count. Refused (不予受理: never accepted), withdrawn
and stopped cases are not 办结: no decision was made (the cases app clears `decided_on` for them).
"""

RATEABLE_STATUSES = CONCLUDED_STATUSES
"""The applicant may rate once the case is 办结 in the sense above, including a denial: 国办发〔2019〕51号
asks for a rating of every service handled (“一事一评”), and a denied applicant's view matters most."""

OPEN_STATUSES = frozenset(case_rules.UNDER_REVIEW)
"""Open for supervision: accepted and not yet decided (the statuses whose time-limit clock runs)."""

# --- Ratings (好差评) ---------------------------------------------------------------------------
GRADES: dict[int, str] = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
"""Five grades of the national 好差评 system: 《国务院办公厅关于建立政务服务“好差评”制度提高政务服务
水平的意见》(国办发〔2019〕51号, dated 2019-12-03, published 2019-12-17) and the national 好差评
data standard used by the provincial systems (“评价等级分为五级：非常满意、满意、基本满意、不满意和
非常不满意”, five to one stars). Verified in provincial implementing texts (e.g. 四川 2020); the
official text is on www.gov.cn — **verify** the wording there."""

SATISFIED_MIN = 4  # 满意 and 非常满意
BAD_MAX = 2  # 不满意 and 非常不满意 are 差评
COMMENT_MAX = 500


def grade_label(score: int) -> str:
    return GRADES.get(score, "")


def valid_score(score: object) -> bool:
    return type(score) is int and score in GRADES


def is_bad(score: int) -> bool:
    """差评: 不满意 or 非常不满意 (grades 2 and 1). Each one opens a rectification (国办发〔2019〕51号:
    差评 are verified, rectified and answered — “差评整改”)."""
    return score <= BAD_MAX


def is_satisfied(score: int) -> bool:
    return score >= SATISFIED_MIN


def ratio(part: int, whole: int) -> float | None:
    """part ÷ whole, or None (shown as “—”) when there is nothing to divide by."""
    return part / whole if whole else None


def satisfaction_rate(satisfied: int, rated: int) -> float | None:
    """满意率 = ratings of 满意 or 非常满意 (≥ 4) ÷ all ratings in the period.

    Source: the platform's definition (issue 3 §8) over the five grades of 国办发〔2019〕51号. The
    document itself defines no formula; some provinces publish a 好评率 that also counts 基本满意 —
    `good_rate` gives that one for comparison.
    """
    return ratio(satisfied, rated)


def good_rate(not_bad: int, rated: int) -> float | None:
    """好评率 as some provinces count it: every rating that is not 差评 (≥ 3) ÷ all ratings."""
    return ratio(not_bad, rated)


def on_time_rate(on_time: int, concluded: int) -> float | None:
    """限时办结率 = cases concluded within the time limit ÷ cases concluded (glossary; seed 000 reports
    “限时办结率达99.9%”). Within the limit = decided on or before the deadline, suspensions and approved
    extensions included (行政许可法 Art. 42, 45) — the cases app's `on_time`."""
    return ratio(on_time, concluded)


def average(total: int, n: int) -> float | None:
    return total / n if n else None


# --- Overdue -------------------------------------------------------------------------------------
def overdue_total(concluded_late: int, open_past_deadline: int) -> int:
    """超期 in a period = cases concluded late in the period + cases still open now whose deadline
    passed on or before the period's last day (they were overdue during the period and still are).

    Source: issue 3 §9 (“overdue (open past deadline + concluded late)”); the attribution of an open
    case to every period after its deadline is the platform's, documented in docs/rules.md.
    """
    return concluded_late + open_past_deadline


# --- Rectification (差评整改) -------------------------------------------------------------------
OPEN, RESPONDED, CLOSED, OVERDUE = "open", "responded", "closed", "overdue"
RECTIFICATION_STATUS_LABELS = {OPEN: "待整改", RESPONDED: "已反馈待审核", CLOSED: "已办结", OVERDUE: "已逾期"}
RESPOND, CLOSE, RETURN, MARK_OVERDUE = "respond", "close", "return", "mark_overdue"
RECTIFICATION_ACTION_LABELS = {RESPOND: "反馈整改情况", CLOSE: "审核通过并办结", RETURN: "退回重新整改",
                               MARK_OVERDUE: "标记逾期"}
RECTIFICATION_TRANSITIONS: dict[tuple[str, str], str] = {
    (OPEN, RESPOND): RESPONDED,
    (OVERDUE, RESPOND): RESPONDED,  # a late answer is still an answer; it stays marked late
    (RESPONDED, CLOSE): CLOSED,
    (RESPONDED, RETURN): OPEN,  # with a new deadline (see rectification_due)
    (OPEN, MARK_OVERDUE): OVERDUE,
}
PENDING_RECTIFICATION = frozenset({OPEN, OVERDUE})  # waiting for the department
RECTIFICATION_FLOW = Workflow(prefix="supervision", noun="整改任务", states=RECTIFICATION_STATUS_LABELS,
                              actions=RECTIFICATION_ACTION_LABELS, transitions=RECTIFICATION_TRANSITIONS,
                              not_found="supervision.rectification_not_found")

DEFAULT_RECTIFICATION_DAYS = 5
"""Working days a department has to answer a 差评 (and again after a return). Default per issue 3 §8;
the city sets its own in `SupervisionPolicy`. For comparison, several provinces require rectification
“在15个工作日内整改到位” (四川 2020 implementing rules of 国办发〔2019〕51号) — **verify** the
province's rule and record it as a policy row."""
MAX_RECTIFICATION_DAYS = 60


def responded_late(due_on: date, responded_on: date) -> bool:
    """A response after the due day (the due day itself still counts as on time)."""
    return responded_on > due_on


def rectification_timeliness(timely: int, settled: int) -> float | None:
    """整改及时率 = rectifications answered by their due day ÷ rectifications answered or overdue.

    Those still open and not yet due are left out: their outcome is not known. A rectification that
    was ever overdue, or answered after its due day, counts as late for good. Platform definition.
    """
    return ratio(timely, settled)


# --- Quarterly ranking of departments -------------------------------------------------------------
ON_TIME, SATISFACTION, RECTIFICATION = "on_time", "satisfaction", "rectification"
CRITERIA: dict[str, str] = {ON_TIME: "限时办结率", SATISFACTION: "满意率", RECTIFICATION: "整改及时率"}
DEFAULT_WEIGHTS: dict[str, int] = {ON_TIME: 50, SATISFACTION: 30, RECTIFICATION: 20}
"""Default weights (percent) of the quarterly composite score. The city sets its own (SupervisionPolicy,
with an effective date): seed 000 (榆林, 2018) assesses “办结率、满意度、工作纪律、效能投诉” on the
e-supervision platform and “将量化结果每季度公布一次，年度总评”, without publishing weights."""


def composite_score(metrics: dict[str, float | None], weights: dict[str, int]) -> float | None:
    """Σ weight × metric ÷ Σ weight over the criteria that have data, on a 0–100 scale.

    A criterion without data (no concluded case, no rating, no rectification due) is left out and the
    other weights are rescaled, so a department is neither rewarded nor punished for what did not
    happen. None when no criterion has data (the department is listed, not ranked).
    """
    used = {k: w for k, w in weights.items() if w > 0 and metrics.get(k) is not None}
    total = sum(used.values())
    if not total:
        return None
    return sum(w * metrics[k] * 100 for k, w in used.items()) / total


def competition_ranks(scores: list[float | None]) -> list[int | None]:
    """Standard competition ranking (1, 2, 2, 4) of scores already sorted best first, rounded to 0.01
    so that equal displayed scores share a rank; None scores get no rank."""
    ranks: list[int | None] = []
    previous, previous_rank = None, 0
    for position, score in enumerate(scores, 1):
        if score is None:
            ranks.append(None)
            continue
        key = round(score, 2)
        if key != previous:
            previous, previous_rank = key, position
        ranks.append(previous_rank)
    return ranks


# --- Periods ---------------------------------------------------------------------------------------
MAX_PERIOD_DAYS = 3 * 366 + 1
PRESETS = {"month": "本月", "quarter": "本季度", "year": "本年", "last_month": "上月", "last_quarter": "上季度",
           "last_year": "上年"}


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> Period:
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    return Period(date(year, first_month, 1), date(year, last_month, _calendar.monthrange(year, last_month)[1]))


def month_bounds(year: int, month: int) -> Period:
    return Period(date(year, month, 1), date(year, month, _calendar.monthrange(year, month)[1]))


def preset_period(preset: str, today: date) -> Period:
    """This month/quarter/year up to today; last month/quarter/year in full."""
    if preset == "month":
        return Period(today.replace(day=1), today)
    if preset == "quarter":
        return Period(quarter_bounds(today.year, quarter_of(today)).start, today)
    if preset == "year":
        return Period(date(today.year, 1, 1), today)
    if preset == "last_month":
        last = today.replace(day=1) - timedelta(days=1)
        return month_bounds(last.year, last.month)
    if preset == "last_quarter":
        last = quarter_bounds(today.year, quarter_of(today)).start - timedelta(days=1)
        return quarter_bounds(last.year, quarter_of(last))
    if preset == "last_year":
        return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
    raise ValueError(f"unknown preset {preset!r}")


def previous_quarter(today: date) -> tuple[int, int]:
    """The last complete quarter: the one the ranking is published for (seed 000: “每季度公布一次”)."""
    last = quarter_bounds(today.year, quarter_of(today)).start - timedelta(days=1)
    return last.year, quarter_of(last)
