"""Credit rules as versioned data and pure functions: reporting deadlines and publication periods.

Each rule carries its source and the date it took effect; the version in force on the *decision
date* applies. Rows marked `verify=True` were read from secondary sources (RULES.md "Credit"):
they are data, so a city corrects them here without touching the code that applies them.
No I/O: working days are counted by the caller (kernel calendar) and passed in.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from yingshang.credit.choices import Domain, Severity

# --- Reporting deadline (双公示 "7 working days") -------------------------------------------------


@dataclass(frozen=True)
class ReportingRule:
    code: str
    effective_from: date
    working_days: int
    source: str
    verify: bool = False


REPORTING_RULES: tuple[ReportingRule, ...] = (
    ReportingRule(
        "dual-publicity-7wd", date(2015, 7, 1), 7,
        "国务院办公厅关于运用大数据加强对市场主体服务和监管的若干意见（国办发〔2015〕51号）第十八条："
        "行政许可、行政处罚等信息自作出行政决定之日起7个工作日内上网公开；国发〔2016〕33号第十七条重申",
        verify=True,
    ),
)
NOT_APPLICABLE = "n/a"


def reporting_rule_for(decision_date: date) -> ReportingRule | None:
    """The reporting rule in force on the decision date (None before the first one took effect)."""
    found = None
    for rule in REPORTING_RULES:
        if rule.effective_from <= decision_date:
            found = rule
    return found


def is_late(working_days_elapsed: int, rule: ReportingRule) -> bool:
    """Late (迟报) when the report came more than `rule.working_days` working days after the decision.

    The decision day itself is not counted (the kernel's `working_days_between(decision, report)`
    counts the working days in (decision, report]): a Monday decision reported the Wednesday of the
    following week (7 working days later) is on time, reported the Thursday (8) is late.
    """
    return working_days_elapsed > rule.working_days


# --- Calendar months (民法典 Arts. 201–202) ------------------------------------------------------


def add_months(start: date, months: int) -> date:
    """The last day of a period of `months` months beginning the day after `start`.

    民法典 (in force 2021-01-01) Art. 201: the first day is not counted; Art. 202: the period ends
    on the corresponding day of the final month, or on that month's last day when it has none
    (2025-08-31 + 6 months → 2026-02-28).
    """
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


# --- Publication of penalty information -----------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """How long a penalty is public: `published` false means it is not published at all.

    Repair (信用修复) may be requested once `min_months` have passed; publication ends automatically
    after `max_months`. Both count from the decision date.
    """

    published: bool
    min_months: int = 0
    max_months: int = 0


@dataclass(frozen=True)
class PenaltyPublicationRule:
    code: str
    name: str
    effective_from: date | None  # None: applies to every earlier decision
    source: str
    verify: bool
    needs_severity: bool  # the department must state 一般/严重 (and 轻微) for the period to be known

    def period(self, severity: str | None, domain: str | None) -> Period:
        raise NotImplementedError


_FIVE_DOMAINS = frozenset({Domain.FOOD, Domain.DRUG, Domain.SPECIAL_EQUIPMENT, Domain.PRODUCTION_SAFETY, Domain.FIRE})


@dataclass(frozen=True)
class Notice2019(PenaltyPublicationRule):
    """General: 3 months–1 year; serious: 6 months–3 years (severity defaults to general)."""

    def period(self, severity, domain):
        if severity == Severity.SERIOUS:
            return Period(True, 6, 36)
        return Period(True, 3, 12)


@dataclass(frozen=True)
class Order58(PenaltyPublicationRule):
    """Minimum 3 months (1 year in the five domains), maximum 3 years, whatever the severity."""

    def period(self, severity, domain):
        return Period(True, 12 if domain in _FIVE_DOMAINS else 3, 36)


@dataclass(frozen=True)
class Measures2025(PenaltyPublicationRule):
    """Minor: not published; general: 3 months–1 year; serious: 1–3 years."""

    def period(self, severity, domain):
        if severity == Severity.MINOR:
            return Period(False)
        if severity == Severity.SERIOUS:
            return Period(True, 12, 36)
        return Period(True, 3, 12)


PENALTY_PUBLICATION_RULES: tuple[PenaltyPublicationRule, ...] = (
    Notice2019(
        "ndrc-2019-527", "发改办财金〔2019〕527号", None,
        "国家发展改革委办公厅关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复机制的通知"
        "（发改办财金〔2019〕527号）：一般失信行为最短3个月、最长1年；严重失信行为最短6个月、最长3年",
        verify=True, needs_severity=False,
    ),
    Order58(
        "ndrc-order-58", "国家发展改革委令第58号", date(2023, 5, 1),
        "失信行为纠正后的信用信息修复管理办法（试行）（国家发展改革委令第58号，2023-05-01施行）："
        "最短3个月、最长3年；食品、药品、特种设备、安全生产、消防领域最短1年；公示期起点为处罚决定作出之日",
        verify=True, needs_severity=False,
    ),
    Measures2025(
        "ndrc-repair-2025", "信用修复管理办法（2025）", date(2026, 4, 1),
        "国家发展改革委信用修复管理办法（2025年11月通过，2026-04-01施行）：轻微失信原则上不公示；"
        "一般失信最短3个月、最长1年；严重失信最短1年、最长3年；最短期满可申请修复，最长期满自动停止公示",
        verify=True, needs_severity=True,
    ),
)


def penalty_rule_for(decision_date: date) -> PenaltyPublicationRule:
    """The publication rule in force on the decision date."""
    found = PENALTY_PUBLICATION_RULES[0]
    for rule in PENALTY_PUBLICATION_RULES:
        if rule.effective_from is None or rule.effective_from <= decision_date:
            found = rule
    return found


@dataclass(frozen=True)
class Publication:
    rule: str
    published: bool
    repair_from: date | None  # the last day of the minimum period (repair may be asked after it)
    end: date | None  # the last public day


def penalty_publication(decision_date: date, severity: str | None, domain: str | None) -> Publication:
    """Publication of one penalty under the rule in force on its decision date.

    When one decision imposes several kinds of penalty the period is that of the longest — the
    periods here depend on severity and domain only, which the department states once per decision.
    """
    rule = penalty_rule_for(decision_date)
    period = rule.period(severity, domain)
    if not period.published:
        return Publication(rule.code, False, None, None)
    return Publication(rule.code, True, add_months(decision_date, period.min_months),
                       add_months(decision_date, period.max_months))


# --- Publication of licensing information ----------------------------------------------------------

LICENSE_PUBLICATION_SOURCE = (
    "双公示：行政许可信息自决定之日起公示，公示至许可有效期届满（有效期至为“长期”的持续公示），撤销的不再公示 "
    "— verify（各地规定不一，可配置）"
)


def license_publication_end(valid_to: date | None) -> date | None:
    """The last public day of a licence: the end of its validity (None: open-ended)."""
    return valid_to


# --- Objection (异议) and repair (信用修复): handling deadlines, repair eligibility (issue 4 §7) -------


@dataclass(frozen=True)
class HandlingRule:
    """How many working days the handling department has, counted from the filing date (not counted).

    The version in force on the *filing date* applies. Values marked verify come from secondary
    sources (the city may set shorter ones): they are data, correct them here.
    """

    code: str
    kind: str  # "objection" | "repair"
    effective_from: date | None  # None: applies to every earlier filing
    working_days: int
    source: str
    verify: bool = True


HANDLING_RULES: tuple[HandlingRule, ...] = (
    HandlingRule(
        "objection-15wd", "objection", None, 15,
        "公共信用信息异议处理：信息提供（认定）单位自收到异议申请之日起15个工作日内核实并作出处理 —— 信用中国网站及"
        "地方信用平台通行做法；榆政函〔2018〕224号明确主体享有异议申诉权利 — verify（本市可规定更短时限）",
    ),
    HandlingRule(
        "repair-ndrc-2019", "repair", None, 15,
        "发改办财金〔2019〕527号：行政处罚信息信用修复申请的核实办理 — 期限取本平台默认15个工作日 — verify",
    ),
    HandlingRule(
        "repair-order-58", "repair", date(2023, 5, 1), 5,
        "失信行为纠正后的信用信息修复管理办法（试行）（国家发展改革委令第58号，2023-05-01施行）：对符合条件的修复"
        "申请，自受理之日起5个工作日内作出决定 — verify（条款与起算点）",
    ),
)


def handling_rule_for(kind: str, filed_on: date, table: tuple[HandlingRule, ...] = HANDLING_RULES) -> HandlingRule:
    """The handling rule of `kind` in force on the filing date."""
    in_force = [r for r in table if r.kind == kind and (r.effective_from is None or r.effective_from <= filed_on)]
    found = max(in_force, key=lambda r: r.effective_from or date.min, default=None)
    if found is None:
        raise LookupError(f"no handling rule for {kind} on {filed_on}")
    return found


# Who decides a repair: the credit office for penalty information (the platform ends its publication);
# the designating department (or the credit office) for a list entry — Order No. 58 Arts. on 认定单位 — verify.
REPAIR_HANDLERS = {"penalty": "credit_office", "list_entry": "designating_department"}
REPAIR_HANDLERS_SOURCE = ("国家发展改革委令第58号（2023）：行政处罚信息修复由信用平台办理、认定单位核实；"
                          "名单由认定单位办理 — verify")


@dataclass(frozen=True)
class RepairEligibility:
    eligible: bool
    code: str  # "" when eligible, else a machine code
    message: str  # Chinese
    rule: str  # the publication rule applied (in force on the decision date)
    repair_from: date | None  # the last day of the minimum period; repair may be asked the day after
    end: date | None


def penalty_repair_eligibility(decision_date: date, severity: str | None, domain: str | None,
                               today: date) -> RepairEligibility:
    """May a penalty's publication be ended early by repair today? The rule in force on the decision
    date gives the minimum period (repair only after it) and the maximum (publication ends by itself).

    Example (Measures 2025, in force 2026-04-01): a general penalty decided 2026-04-10 has a 3-month
    minimum, so repair may be asked from 2026-07-11; a serious one from 2027-04-11.
    """
    pub = penalty_publication(decision_date, severity, domain)
    if not pub.published:
        return RepairEligibility(False, "credit.repair_not_published", "该处罚信息依规不公示，无需申请信用修复",
                                 pub.rule, None, None)
    if pub.end is not None and today > pub.end:
        return RepairEligibility(False, "credit.repair_publication_over",
                                 f"该处罚信息已于{pub.end.isoformat()}公示期满，自动停止公示，无需申请信用修复",
                                 pub.rule, pub.repair_from, pub.end)
    if pub.repair_from is not None and today <= pub.repair_from:
        return RepairEligibility(False, "credit.repair_too_early",
                                 f"最短公示期至{pub.repair_from.isoformat()}届满，届满后方可申请信用修复",
                                 pub.rule, pub.repair_from, pub.end)
    return RepairEligibility(True, "", "", pub.rule, pub.repair_from, pub.end)
