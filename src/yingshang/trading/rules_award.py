"""Rules of §8 (award under 评定分离, publicity, notice, contract, archive) and §9 (complaints): pure
functions, each with its source; day counting as in `trading.rules` (民法典 Art. 201).

The award methods are data (`AWARD_METHODS`): the tender documents name one, and the decision uses it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from yingshang.kernel.rules import draw
from yingshang.kernel.rules.workflow import Workflow
from yingshang.trading.rules import REG, TBL, AddWorkingDays, Breach

SEED004 = "东营市招标投标领域优化营商环境工作方案（评定分离）"

# --- Publicity objections (对评标结果的异议, Reg. Art. 54) ----------------------------------------------
RESULT_OBJECTION_ANSWER_DAYS = 3


def check_result_objection(raised_on: date, starts_on: date, ends_on: date) -> Breach | None:
    """Objections to the evaluation result are raised during the publicity period (Reg. Art. 54)."""
    if starts_on <= raised_on <= ends_on:
        return None
    return Breach("trading.objection_outside_publicity", "对评标结果有异议的，应当在中标候选人公示期间提出",
                  f"{REG}第五十四条", "raised_on")


PENDING, ANSWERED, ANSWER = "pending", "answered", "answer"
OBJECTION_FLOW = Workflow(prefix="trading", noun="异议", not_found="trading.objection_not_found",
                          states={PENDING: "待答复", ANSWERED: "已答复"}, actions={ANSWER: "答复异议"},
                          transitions={(PENDING, ANSWER): ANSWERED})


def result_objection_answer_due(raised_on: date) -> date:
    """Answered within 3 days of receipt; until then the procedure is suspended (Reg. Art. 54)."""
    return raised_on + timedelta(days=RESULT_OBJECTION_ANSWER_DAYS)


# --- The award decision (定标, seed 004) ---------------------------------------------------------------
AWARD_DAYS = 20
MIN_AWARD_COMMITTEE = 3  # platform rule: a committee decides collectively (seed 004 sets no number)
VOTE, DRAW, PRICE, DELIBERATION = "vote", "draw", "price", "deliberation"
AWARD_METHODS = {VOTE: "票决定标", DRAW: "抽签定标", PRICE: "价格竞争定标", DELIBERATION: "集体议事定标"}
AWARD_METHOD_NOTES = {
    VOTE: "定标委员会成员每人一票，得票过半数的候选人中标",
    DRAW: "招标人事先公布随机种子的哈希（承诺），定标时公开种子，任何人可复算抽签结果",
    PRICE: "候选人中投标报价最低者中标；报价相同则须改用其他方法",
    DELIBERATION: "定标委员会集体议事，逐一说明理由后确定中标人",
}


def award_due(report_on: date) -> date:
    return report_on + timedelta(days=AWARD_DAYS)


def check_award_deadline(report_on: date, decided_on: date) -> Breach | None:
    """The tenderer decides within 20 days of receiving the evaluation report (seed 004 item 10)."""
    if decided_on <= award_due(report_on):
        return None
    last = award_due(report_on)
    return Breach("trading.award_late", f"招标人应当自收到评标报告之日起二十日内确定中标人（最迟 {last:%Y-%m-%d}）",
                  SEED004, "decided_on")


def check_award_ready(today: date, publicity_ends_on: date, pending_objections: int, suspended: bool) -> Breach | None:
    """Only after the publicity ended, with no objection pending and the procedure not suspended (Reg. Art. 54)."""
    if today <= publicity_ends_on:
        return Breach("trading.publicity_not_ended", f"中标候选人公示期至 {publicity_ends_on:%Y-%m-%d} 结束，公示期满后方可定标",
                      f"{REG}第五十四条")
    if pending_objections:
        return Breach("trading.objection_pending", "有尚未答复的异议，答复前应当暂停招标投标活动", f"{REG}第五十四条")
    if suspended:
        return Breach("trading.lot_suspended", "该标段的招标投标活动已暂停（异议或投诉处理中），暂不能定标",
                      f"{REG}第五十四条、第六十二条")
    return None


def check_award_committee(members: int) -> Breach | None:
    if members >= MIN_AWARD_COMMITTEE:
        return None
    return Breach("trading.award_committee_too_small", f"定标委员会成员不得少于{MIN_AWARD_COMMITTEE}人，现为{members}人",
                  f"{SEED004}；平台规则", "members")


def vote_winner(votes: Mapping[str, int], members: int) -> tuple[int | None, Breach | None]:
    """The candidate with more than half of the members' votes (票决)."""
    tally: dict[int, int] = {}
    for candidate in votes.values():
        tally[candidate] = tally.get(candidate, 0) + 1
    best = max(tally.items(), key=lambda kv: kv[1], default=(None, 0))
    if best[1] * 2 > members:
        return best[0], None
    return None, Breach("trading.vote_no_majority", f"没有候选人获得定标委员会过半数（{members // 2 + 1}票）同意",
                        SEED004, "votes")


def price_winner(prices: Mapping[int, Decimal | None]) -> tuple[int | None, Breach | None]:
    """The lowest price among the candidates (价格竞争); a tie or a missing price cannot decide."""
    if not prices or any(p is None for p in prices.values()):
        return None, Breach("trading.price_missing", "候选人报价不全，不能以价格竞争定标", SEED004)
    low = min(prices.values())
    lowest = [c for c, p in prices.items() if p == low]
    if len(lowest) > 1:
        return None, Breach("trading.price_tie", "最低报价相同的候选人不止一个，须改用其他定标方法", SEED004)
    return lowest[0], None


def draw_context(lot_id: int) -> str:
    return f"lot:{lot_id}/award"


def draw_winner(seed: str, candidate_ids: Sequence[int], lot_id: int) -> int:
    """抽签: one of the candidates (ordered by id, the published pool) from the revealed seed."""
    return draw.choice(seed, sorted(candidate_ids), draw_context(lot_id))


# --- Contract and archive -------------------------------------------------------------------------------
def check_contract_day(notice_on: date, signed_on: date, today: date) -> Breach | None:
    if signed_on < notice_on:
        return Breach("trading.contract_before_notice", "合同签订日期不能早于中标通知书发出日期", f"{TBL}第四十六条",
                      "signed_on")
    if signed_on > today:
        return Breach("trading.contract_in_future", "合同签订日期不能晚于今天", f"{TBL}第四十六条", "signed_on")
    return None


# --- Complaints (投诉, Reg. Art. 60–62) ------------------------------------------------------------------
DOCUMENTS, OPENING, RESULT, OTHER = "documents", "opening", "result", "other"
COMPLAINT_MATTERS = {DOCUMENTS: "资格预审文件或招标文件（第二十二条）", OPENING: "开标（第四十四条）",
                     RESULT: "评标结果（第五十四条）", OTHER: "其他违法行为"}
OBJECTION_FIRST = {DOCUMENTS: "第二十二条", OPENING: "第四十四条", RESULT: "第五十四条"}


def check_objection_first(matter: str, objected: bool) -> Breach | None:
    """For matters of Art. 22, 44 and 54 the complainant must first have objected (Reg. Art. 60 para 2)."""
    if matter not in OBJECTION_FIRST or objected:
        return None
    return Breach("trading.objection_first", f"就{REG}{OBJECTION_FIRST[matter]}规定事项投诉的，应当先向招标人提出异议",
                  f"{REG}第六十条第二款", "matter")


def complaint_accept_by(received_on: date, add_working_days: AddWorkingDays) -> date:
    return add_working_days(received_on, 3)  # Reg. Art. 61: 3 working days to decide on acceptance


def complaint_decide_by(accepted_on: date, add_working_days: AddWorkingDays) -> date:
    """30 working days from acceptance; `add_working_days` already leaves out the clock-stops for testing,
    appraisal and expert review (Reg. Art. 61 para 2: 所需时间不计算在内)."""
    return add_working_days(accepted_on, 30)


def clock_stop_end_on_resume(from_date: date, resumed_on: date) -> date:
    """The last stopped day when the clock resumes on `resumed_on` (the resume day counts again)."""
    return max(from_date, resumed_on - timedelta(days=1))


FILED, ACCEPTED, NOT_ACCEPTED, DECIDED, WITHDRAWN = "filed", "accepted", "not_accepted", "decided", "withdrawn"
ACCEPT, REJECT, DECIDE, WITHDRAW = "accept", "reject", "decide", "withdraw"
COMPLAINT_FLOW = Workflow(
    prefix="trading", noun="投诉", not_found="trading.complaint_not_found",
    states={FILED: "待审查受理", ACCEPTED: "已受理", NOT_ACCEPTED: "不予受理", DECIDED: "已作出处理决定",
            WITHDRAWN: "已撤回"},
    actions={ACCEPT: "受理", REJECT: "不予受理", DECIDE: "作出处理决定", WITHDRAW: "撤回投诉"},
    transitions={(FILED, ACCEPT): ACCEPTED, (FILED, REJECT): NOT_ACCEPTED, (ACCEPTED, DECIDE): DECIDED,
                 (FILED, WITHDRAW): WITHDRAWN, (ACCEPTED, WITHDRAW): WITHDRAWN},
)
UPHELD, PARTLY, DISMISSED = "upheld", "partly", "dismissed"
OUTCOMES = {UPHELD: "投诉成立", PARTLY: "投诉部分成立", DISMISSED: "投诉不成立，驳回"}
TESTING, APPRAISAL, EXPERT_REVIEW = "testing", "appraisal", "expert_review"
CLOCK_STOP_KINDS = {TESTING: "检验、检测", APPRAISAL: "鉴定", EXPERT_REVIEW: "专家评审"}


@dataclass(frozen=True)
class Overdue:
    label: str
    due: date


def complaint_overdue(status: str, today: date, accept_by: date, decide_by: date | None) -> Overdue | None:
    if status == FILED and today > accept_by:
        return Overdue("受理审查已超期", accept_by)
    if status == ACCEPTED and decide_by is not None and today > decide_by:
        return Overdue("处理决定已超期", decide_by)
    return None
