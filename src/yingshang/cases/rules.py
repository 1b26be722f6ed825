"""The law of a case as data and pure functions: the status machine and the time-limit rules.

Nothing here reads the database or the clock; callers pass dates and working-day counts (computed
with the kernel calendar). Each rule cites its source. 行政许可法 = 《中华人民共和国行政许可法》,
adopted 2003-08-27, in force 2004-07-01, text as amended 2019-04-23 (in force the same day).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from yingshang.kernel.rules.workflow import Workflow

# --- Statuses --------------------------------------------------------------------------------------
DRAFT = "draft"
SUBMITTED = "submitted"
CORRECTION_REQUESTED = "correction_requested"
ACCEPTED = "accepted"
ACCEPTED_PENDING = "accepted_pending"
REFUSED = "refused"
IN_REVIEW = "in_review"
APPROVED = "approved"
DENIED = "denied"
ISSUED = "issued"
CONCLUDED = "concluded"
WITHDRAWN = "withdrawn"
STOPPED = "stopped"

STATUS_LABELS: dict[str, str] = {
    DRAFT: "草稿",
    SUBMITTED: "待受理",
    CORRECTION_REQUESTED: "待补正",
    ACCEPTED: "已受理",
    ACCEPTED_PENDING: "容缺受理",
    REFUSED: "不予受理",
    IN_REVIEW: "审查中",
    APPROVED: "准予许可",
    DENIED: "不予许可",
    ISSUED: "已出件",
    CONCLUDED: "已办结",
    WITHDRAWN: "已撤回",
    STOPPED: "已终止",
}
STATUSES = tuple(STATUS_LABELS)

# --- Actions ---------------------------------------------------------------------------------------
SUBMIT = "submit"
REQUEST_CORRECTION = "request_correction"
SUPPLEMENT = "supplement"
ACCEPT = "accept"
ACCEPT_WITH_PENDING = "accept_with_pending"
REFUSE = "refuse"
COMMITMENT_APPROVAL = "commitment_approval"
STEP_APPROVE = "step_approve"
STEP_DENY = "step_deny"
STEP_RETURN = "step_return"
DECIDE_APPROVE = "decide_approve"
DECIDE_DENY = "decide_deny"
SUSPEND = "suspend"
RESUME = "resume"
REQUEST_EXTENSION = "request_extension"
APPROVE_EXTENSION = "approve_extension"
REJECT_EXTENSION = "reject_extension"
WITHDRAW = "withdraw"
STOP = "stop"
ISSUE = "issue"  # hand-over to issuance (统一出件), implemented by the issuance work
CONCLUDE = "conclude"

ACTION_LABELS: dict[str, str] = {
    SUBMIT: "提交申请",
    REQUEST_CORRECTION: "一次性告知补正",
    SUPPLEMENT: "补正或补齐材料",
    ACCEPT: "受理",
    ACCEPT_WITH_PENDING: "容缺受理",
    REFUSE: "不予受理",
    COMMITMENT_APPROVAL: "告知承诺审批",
    STEP_APPROVE: "环节审查通过",
    STEP_DENY: "环节审查不通过",
    STEP_RETURN: "退回上一阶段",
    DECIDE_APPROVE: "作出准予许可决定",
    DECIDE_DENY: "作出不予许可决定",
    SUSPEND: "暂停计时",
    RESUME: "恢复计时",
    REQUEST_EXTENSION: "申请延期",
    APPROVE_EXTENSION: "批准延期",
    REJECT_EXTENSION: "不批准延期",
    WITHDRAW: "撤回申请",
    STOP: "终止办理",
    ISSUE: "出件",
    CONCLUDE: "办结",
}
ACTIONS = tuple(ACTION_LABELS)

# Where review happens: the case is accepted and no decision has been made yet.
UNDER_REVIEW = (ACCEPTED, ACCEPTED_PENDING, IN_REVIEW)


def _build_table() -> dict[tuple[str, str], str]:
    """(status, action) -> the status after the action. A pair that is absent is not allowed.

    Sources: 行政许可法 Art. 29–32 (application, correction, acceptance or refusal), Art. 34–38
    (review and decision), Art. 42 (time limits, extension), Art. 45 (periods not counted), Art. 26
    (joint handling); 容缺受理 and 告知承诺 per seed 002 and 国办发〔2020〕42号 (告知承诺制);
    the applicant may withdraw until a decision is made (行政许可法 Art. 32 and common practice:
    撤回申请 before the decision).
    """
    table = {
        (DRAFT, SUBMIT): SUBMITTED,
        (DRAFT, WITHDRAW): WITHDRAWN,
        (SUBMITTED, REQUEST_CORRECTION): CORRECTION_REQUESTED,
        (SUBMITTED, ACCEPT): ACCEPTED,
        (SUBMITTED, ACCEPT_WITH_PENDING): ACCEPTED_PENDING,
        (SUBMITTED, REFUSE): REFUSED,
        (SUBMITTED, COMMITMENT_APPROVAL): APPROVED,
        (SUBMITTED, WITHDRAW): WITHDRAWN,
        (CORRECTION_REQUESTED, SUPPLEMENT): SUBMITTED,
        (CORRECTION_REQUESTED, REFUSE): REFUSED,
        (CORRECTION_REQUESTED, WITHDRAW): WITHDRAWN,
        (ACCEPTED_PENDING, SUPPLEMENT): ACCEPTED,
        (IN_REVIEW, SUPPLEMENT): IN_REVIEW,  # pending (容缺) materials handed in during review
        (IN_REVIEW, STEP_RETURN): IN_REVIEW,
        (ACCEPTED, DECIDE_APPROVE): APPROVED,  # a process whose only steps are acceptance and issuance
        (IN_REVIEW, DECIDE_APPROVE): APPROVED,
        (APPROVED, ISSUE): ISSUED,
        (APPROVED, CONCLUDE): CONCLUDED,
        (ISSUED, CONCLUDE): CONCLUDED,
        (DENIED, CONCLUDE): CONCLUDED,
    }
    for status in UNDER_REVIEW:
        table |= {
            (status, STEP_APPROVE): IN_REVIEW,
            (status, STEP_DENY): DENIED,
            (status, DECIDE_DENY): DENIED,
            (status, SUSPEND): status,
            (status, RESUME): status,
            (status, REQUEST_EXTENSION): status,
            (status, APPROVE_EXTENSION): status,
            (status, REJECT_EXTENSION): status,
            (status, WITHDRAW): WITHDRAWN,
            (status, STOP): STOPPED,
        }
    return table


TRANSITIONS: dict[tuple[str, str], str] = _build_table()
FINAL_STATUSES = frozenset({REFUSED, CONCLUDED, WITHDRAWN, STOPPED})
# Statuses whose time-limit clock runs (or is suspended): accepted and not yet decided.
CLOCK_STATUSES = frozenset(UNDER_REVIEW)
OPEN_STATUSES = frozenset({DRAFT, SUBMITTED, CORRECTION_REQUESTED, *UNDER_REVIEW})


WORKFLOW = Workflow(prefix="case", noun="办件", states=STATUS_LABELS, actions=ACTION_LABELS, transitions=TRANSITIONS)
"""Allowed actions and refusals ("办件当前状态为“已受理”，不能受理。当前可以：…") come from here."""


# --- Time limits -----------------------------------------------------------------------------------
JOINT = "joint"
IMMEDIATE = "immediate"

# 行政许可法 Art. 42 ¶1: decision within 20 days of acceptance; ¶2: unified, joint or centralized
# handling (统一办理、联合办理、集中办理) within 45 days. Art. 82: counted in working days.
STATUTORY_DEFAULT_DAYS = 20
STATUTORY_DEFAULT_JOINT_DAYS = 45
# Art. 42 ¶1: +10 days with the head of the organ's approval; ¶2: +15 days with the approval of the
# head of the people's government at this level. The reasons are told to the applicant.
EXTENSION_CAP_DAYS = 10
EXTENSION_CAP_JOINT_DAYS = 15
# Art. 32 ¶1 (4): incomplete or non-conforming materials — tell the applicant once, on the spot or
# within 5 days, everything to correct; if not told in time, the application counts as accepted on
# the day the materials were received. Art. 82: working days.
CORRECTION_NOTICE_DAYS = 5
# Issue 3 §6: yellow warning at a configurable share of the limit used (default 80 %).
DEFAULT_YELLOW_SHARE = 0.8

COMMITTED, STATUTORY, STATUTORY_DEFAULT = "committed", "statutory", "statutory_default"
LIMIT_SOURCE_LABELS = {
    COMMITTED: "承诺时限",
    STATUTORY: "法定时限",
    STATUTORY_DEFAULT: "行政许可法第四十二条默认期限",
}


@dataclass(frozen=True)
class TimeLimit:
    days: int
    source: str  # COMMITTED, STATUTORY or STATUTORY_DEFAULT


def time_limit(committed: int | None, statutory: int | None, kind: str) -> TimeLimit:
    """The working days a case has: the item's committed limit, else its statutory one, else Art. 42's.

    A committed limit of 0 means "concluded on the spot" and counts only for 即办件; for other kinds 0
    means the city made no commitment. Sources: issue 3 §6 ("item's committed limit; the statutory
    default of Art. 42 where none"); 行政许可法 Art. 42 (20 days, 45 for joint handling), Art. 82.
    """
    if committed is not None and (committed > 0 or kind == IMMEDIATE):
        return TimeLimit(committed, COMMITTED)
    if statutory is not None:
        return TimeLimit(statutory, STATUTORY)
    return TimeLimit(STATUTORY_DEFAULT_JOINT_DAYS if kind == JOINT else STATUTORY_DEFAULT_DAYS, STATUTORY_DEFAULT)


def extension_cap(kind: str) -> int:
    """Most working days all extensions of one case may add: 10, or 15 for joint handling (Art. 42)."""
    return EXTENSION_CAP_JOINT_DAYS if kind == JOINT else EXTENSION_CAP_DAYS


def extension_approver_note(kind: str) -> str:
    """Who must approve under Art. 42, shown on the extension form."""
    if kind == JOINT:
        return "联合办理的事项延长期限须经本级人民政府负责人批准（行政许可法第四十二条第二款），最多延长十五个工作日"
    return "延长期限须经本行政机关负责人批准（行政许可法第四十二条第一款），最多延长十个工作日"


def correction_notice_late(working_days_since_receipt: int) -> bool:
    """Art. 32 ¶1 (4): a correction notice later than 5 working days after receipt is too late — the
    application then counts as accepted on the day of receipt."""
    return working_days_since_receipt > CORRECTION_NOTICE_DAYS


def clock_start(received_on: date, decided_on: date, working_days_since_receipt: int) -> date:
    """The day the time limit is counted from: the acceptance decision, or the day of receipt when the
    window took more than 5 working days to decide (Art. 32 ¶1 (4): deemed accepted on receipt)."""
    return received_on if correction_notice_late(working_days_since_receipt) else decided_on


def yellow_threshold(total_days: int, share: float = DEFAULT_YELLOW_SHARE) -> int:
    """Working days used at which the yellow warning starts: ⌈share × limit⌉ (issue 3 §6, default 80 %).

    A limit of 0 (即办件) is due the same day: yellow from the first day.
    """
    if not 0 < share <= 1:
        raise ValueError("share must be in (0, 1]")
    return math.ceil(round(total_days * share, 9))


def red_from(deadline: date) -> date:
    """Red warning: overdue, i.e. from the calendar day after the deadline (issue 3 §6)."""
    return deadline + timedelta(days=1)


NONE, YELLOW, RED = "none", "yellow", "red"
WARNING_LABELS = {NONE: "正常", YELLOW: "黄牌预警", RED: "红牌预警（已超期）"}


def warning_level(today: date, yellow_on: date | None, red_on: date | None) -> str:
    """none before yellow_on, yellow from yellow_on, red from red_on (the day after the deadline)."""
    if red_on is not None and today >= red_on:
        return RED
    if yellow_on is not None and today >= yellow_on:
        return YELLOW
    return NONE


def next_check(level: str, yellow_on: date | None, red_on: date | None) -> date | None:
    """The next day the warning can change (what the periodic sweep selects on), None when red."""
    if level == NONE:
        return yellow_on
    if level == YELLOW:
        return red_on
    return None


def suspension_end_on_resume(from_date: date, resumed_on: date) -> date:
    """The last suspended day when the clock resumes on `resumed_on`: the day before, but at least the
    first day (a same-day suspension still takes that one day out). The resume day counts again.

    Source: 行政许可法 Art. 45 (time for hearing, testing, expert review ... is not counted); the
    convention that the day the clock restarts counts is the platform's (documented in docs/rules.md).
    """
    return max(from_date, resumed_on - timedelta(days=1))


# --- Online pre-review (网上预审) --------------------------------------------------------------------
def prereview_allowed(status: str, channel: str) -> bool:
    """A window clerk pre-reviews an online application while it waits for acceptance (issue 3 §3).

    Passing records an opinion and changes no status; returning it is the correction request of
    Art. 32 ¶1 (4) (`request_correction`, one complete list), so the transition table governs it.
    """
    return channel == "online" and status == SUBMITTED
