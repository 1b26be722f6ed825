"""The quarterly ranking of departments by a composite score (rules.composite_score, weights from the
policy in force on the quarter's last day).

Ranks are computed over the whole city, then the rows are cut to what the user may see: a department
head sees the true rank of their departments without the others' figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from yingshang.kernel import access, clock
from yingshang.kernel.errors import InvalidInput
from yingshang.supervision import rules, stats
from yingshang.supervision.services import common
from yingshang.supervision.services.policy import Policy, policy_for

FIRST_YEAR = 2000


@dataclass
class RankingRow:
    rank: int | None
    score: float | None
    row: stats.Row
    metrics: dict[str, float | None]


@dataclass
class Ranking:
    year: int
    quarter: int
    period: rules.Period
    complete: bool  # False while the quarter is still running
    policy: Policy
    rows: list[RankingRow]
    ranked: int  # departments ranked city-wide
    as_of: object


def check_quarter(year, quarter, today: date) -> tuple[int, int]:
    if type(year) is not int or type(quarter) is not int or quarter not in (1, 2, 3, 4) or not FIRST_YEAR <= year <= 2099:
        raise InvalidInput("supervision.bad_quarter", "请指定年份（2000–2099）和季度（1–4）", status=422)
    if rules.quarter_bounds(year, quarter).start > today:
        raise InvalidInput("supervision.future_quarter", f"{year} 年第 {quarter} 季度尚未开始", status=422)
    return year, quarter


def quarterly(user, year: int, quarter: int, today: date | None = None) -> Ranking:
    common.check_perm(user, common.VIEW)
    today = today or clock.today()
    year, quarter = check_quarter(year, quarter, today)
    period = rules.quarter_bounds(year, quarter)
    (report,) = stats.compute(Q(), period, (stats.BY_DEPARTMENT,), today=today)  # city-wide: city ranks
    policy = policy_for(period.end)
    rows = []
    for row in report.rows:
        metrics = {rules.ON_TIME: row.on_time_rate, rules.SATISFACTION: row.satisfaction_rate,
                   rules.RECTIFICATION: row.rectification_timeliness}
        rows.append(RankingRow(None, rules.composite_score(metrics, policy.weights), row, metrics))
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), -(r.metrics[rules.ON_TIME] or 0),
                             -r.row.counts["concluded"], r.row.code))
    for entry, rank in zip(rows, rules.competition_ranks([r.score for r in rows]), strict=True):
        entry.rank = rank
    ranked = sum(1 for r in rows if r.rank is not None)
    if access.data_scope(user) != "city":
        visible = set(access.visible_departments(user).values_list("pk", flat=True))
        rows = [r for r in rows if r.row.key in visible]
    return Ranking(year, quarter, period, period.end < today, policy, rows, ranked, report.as_of)
