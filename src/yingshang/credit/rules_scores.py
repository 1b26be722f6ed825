"""Personal credit scores and enterprise credit grades (issue 4 §9): the evaluation, pure.

The tables (scheme, tiers, point rules) are data with an effective date (`models.scores`, maintained
in the admin, defaults in `credit.scoring_defaults`); this module applies one scheme to a subject's
facts and explains every point. No I/O: the caller (services.scores) reads the facts.

Sources: personal score on 200 points in six tiers, 信用极好 ≥ 150 … 信用极差 < 50, raised by kept
commitments, charity, blood donation, volunteering and a long clean record (《榆林市个人信用管理暂行办法》
榆政发〔2019〕1号, seed 000 — inner tier bounds are the city's choice); enterprise grades A/B/C/D
(分级分类监管, GLOSSARY) — indicators and bounds are the city's choice.

How a scheme applies:
- each fact is counted by the first active rule of its source whose conditions match it (rules in
  priority order), so a penalty is either 严重, 较重 or 一般, never two of them;
- a rule with `window_months` counts a fact only until that many months after its date (民法典
  Arts. 201–202 month arithmetic, `rules.add_months`); list entries count while in force;
- a rule's total is capped at `max_points` (absolute value); further facts get 0 points and say so;
- 长期无失信记录 gives `points` per full `window_months` since the last negative fact (or since the
  subject became known), capped;
- a rule with `tier_cap` keeps the result no better than that tier (e.g. a black list → grade D);
- the score is clamped to [min, max] of the scheme, and the tier is the best whose bound it reaches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from yingshang.credit.rules import add_months

PENALTY, LIST_ENTRY, OTHER_RECORD, COMMITMENT_KEPT, CLEAN_RECORD = (
    "penalty", "list_entry", "other_record", "commitment_kept", "clean_record")
_GRADE = re.compile(r"(?<![A-Za-z])([ABMCD])\s*(?:级|类)")


def tax_grade(text: str) -> str:
    """The 纳税信用 grade (A, B, M, C, D) written in a record's title or content, '' if none."""
    match = _GRADE.search((text or "").upper())
    return match.group(1) if match else ""


@dataclass(frozen=True)
class Fact:
    source: str  # PENALTY | LIST_ENTRY | OTHER_RECORD | COMMITMENT_KEPT
    ref: str  # "penalty:12": the record it comes from
    label: str  # what the explanation shows
    on: date
    severity: str = ""
    categories: str = ""
    list_kind: str = ""
    list_type: str = ""
    kind: str = ""
    text: str = ""
    until: date | None = None  # list entries: last day in force


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    source: str
    points: float
    max_points: float | None = None
    window_months: int | None = None
    priority: int = 100
    severity: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    list_kind: str = ""
    list_type: str = ""
    kind: str = ""
    grades: tuple[str, ...] = ()
    tier_cap: str = ""

    def matches(self, fact: Fact) -> bool:
        if fact.source != self.source:
            return False
        if self.severity and (fact.severity or "general") not in self.severity:
            return False
        if self.categories and not any(c in fact.categories for c in self.categories):
            return False
        if (self.list_kind and fact.list_kind != self.list_kind) or (self.list_type and fact.list_type != self.list_type):
            return False
        if self.kind and fact.kind != self.kind:
            return False
        return not self.grades or tax_grade(fact.text) in self.grades


@dataclass(frozen=True)
class Tier:
    code: str
    name: str
    min_score: float  # the tier is reached at this score (≥)


@dataclass(frozen=True)
class Scheme:
    code: str
    name: str
    base: float
    min_score: float
    max_score: float
    tiers: tuple[Tier, ...]  # best first
    rules: tuple[Rule, ...]


@dataclass(frozen=True)
class Line:
    rule_code: str
    rule_name: str
    ref: str
    label: str
    points: float
    note: str = ""


@dataclass
class Result:
    score: float
    tier: Tier
    lines: list[Line] = field(default_factory=list)
    capped_by: str = ""  # the rule whose tier cap applied
    changes_on: date | None = None  # the first day the result may change by time alone


def _tier_for(score: float, tiers: tuple[Tier, ...]) -> Tier:
    for tier in tiers:
        if score >= tier.min_score:
            return tier
    return tiers[-1]


def evaluate(scheme: Scheme, facts: list[Fact], today: date, *, known_since: date | None = None) -> Result:
    """Apply the scheme to the facts in force on `today`."""
    rules = sorted(scheme.rules, key=lambda r: (r.priority, r.code))
    lines: list[Line] = []
    used: dict[str, float] = {}
    changes: list[date] = []
    caps: list[Rule] = []
    negatives: list[date] = []  # dates of facts a deducting rule matches, counted or not (clean record)
    for fact in sorted(facts, key=lambda f: (f.on, f.ref)):
        rule = next((r for r in rules if r.source != CLEAN_RECORD and r.matches(fact)), None)
        if rule is None or fact.on > today:
            continue
        if rule.points < 0:
            negatives.append(fact.on)
        end = add_months(fact.on, rule.window_months) if rule.window_months else None
        if fact.until is not None:
            end = min(end, fact.until) if end else fact.until
        if end is not None and end < today:
            continue
        if end is not None:
            changes.append(end + timedelta(days=1))
        points, note = rule.points, ""
        if rule.max_points is not None:
            room = max(rule.max_points - used.get(rule.code, 0.0), 0.0)
            if abs(points) > room:
                points, note = (room if points > 0 else -room), "已达该项上限"
        used[rule.code] = used.get(rule.code, 0.0) + abs(points)
        lines.append(Line(rule.code, rule.name, fact.ref, fact.label, points, note))
        if rule.tier_cap:
            caps.append(rule)
    for rule in (r for r in rules if r.source == CLEAN_RECORD and r.window_months):
        line, next_change = _clean_record(rule, max(negatives) if negatives else known_since, today)
        if line:
            lines.append(line)
        if next_change:
            changes.append(next_change)
    total = scheme.base + sum(line.points for line in lines)
    score = round(min(max(total, scheme.min_score), scheme.max_score), 1)
    tier = _tier_for(score, scheme.tiers)
    capped_by = ""
    order = {t.code: i for i, t in enumerate(scheme.tiers)}
    for rule in caps:
        if rule.tier_cap in order and order[rule.tier_cap] > order[tier.code]:
            tier, capped_by = scheme.tiers[order[rule.tier_cap]], rule.name
    return Result(score, tier, lines, capped_by, min(changes) if changes else None)


def _clean_record(rule: Rule, since: date | None, today: date):
    if since is None:
        return None, None
    periods, boundary = 0, add_months(since, rule.window_months)
    while boundary < today:  # a period is complete the day after its last day
        periods += 1
        boundary = add_months(since, rule.window_months * (periods + 1))
    points = periods * rule.points
    if rule.max_points is not None:
        points = min(points, rule.max_points)
    full = rule.max_points is not None and points >= rule.max_points
    line = None
    if points:
        line = Line(rule.code, rule.name, f"clean:{since.isoformat()}",
                    f"自{since:%Y-%m-%d}起{periods * rule.window_months}个月无失信记录", points)
    return line, (None if full else boundary + timedelta(days=1))
