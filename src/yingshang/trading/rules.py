"""Public resource trading (公共资源交易) rules: pure functions and versioned data, each with its source.

Day counting follows 民法典 Art. 201 (periods in days start on the day after the event): a period
of N days from day S is satisfied by an end day E with (E − S) ≥ N days. Working-day periods take
the kernel calendar's `add_working_days` as an argument, so these functions stay free of I/O.
Sources are the Tendering and Bidding Law (招标投标法, 2017 revision) "TBL", its implementing
regulations (招标投标法实施条例, 2019 revision) "Reg.", and the orders named in each row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from yingshang.kernel.rules.workflow import Workflow

TBL = "《招标投标法》"
REG = "《招标投标法实施条例》"

# --- Lot types, qualification modes, funding --------------------------------------------------------
WORKS, GOODS, SERVICES = "works", "goods", "services"
LOT_TYPES = {WORKS: "工程", GOODS: "货物", SERVICES: "服务"}
PREQUALIFICATION, POST_QUALIFICATION = "pre", "post"
QUALIFICATION_MODES = {PREQUALIFICATION: "资格预审", POST_QUALIFICATION: "资格后审"}
FUNDING_SOURCES = {"fiscal": "财政资金", "state_owned": "国有资金", "self_raised": "自筹资金", "mixed": "混合资金",
                   "other": "其他"}
TENDERING, PROCUREMENT = "tendering", "procurement"
REGIMES = {TENDERING: "招标投标", PROCUREMENT: "政府采购"}
CALENDAR_DAYS, WORKING_DAYS = "calendar", "working"
DAY_KINDS = {CALENDAR_DAYS: "日", WORKING_DAYS: "个工作日"}


@dataclass(frozen=True)
class Breach:
    """A violated rule: a machine-readable code, a Chinese message and the article it comes from."""

    code: str
    message: str
    source: str
    field: str = ""

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "source": self.source, "field": self.field}


# --- Procedures as data (per-procedure limits, ProZorro style) ------------------------------------
@dataclass(frozen=True)
class ProcedureLimits:
    """One version of a procedure's limits; the platform stores these rows (admin-maintained)."""

    code: str
    name: str
    regime: str
    effective_from: date
    min_document_days: int  # documents first issued → submission deadline
    document_day_kind: str
    min_sale_days: int  # documents on sale (0: no sale period)
    sale_day_kind: str
    prequalification_allowed: bool
    min_bidders: int
    source: str
    effective_to: date | None = None


_D2000, _D2003, _D2014, _D2017 = date(2000, 1, 1), date(2003, 1, 1), date(2014, 2, 1), date(2018, 1, 1)
PROCEDURES: tuple[ProcedureLimits, ...] = (
    ProcedureLimits("open_tender", "公开招标", TENDERING, _D2000, 20, CALENDAR_DAYS, 5, CALENDAR_DAYS, True, 3,
                    f"{TBL}第二十四条、第二十八条；{REG}第十六条、第四十四条"),
    ProcedureLimits("invited_tender", "邀请招标", TENDERING, _D2000, 20, CALENDAR_DAYS, 5, CALENDAR_DAYS, False, 3,
                    f"{TBL}第十七条、第二十四条；{REG}第十六条"),
    ProcedureLimits("gp_open_tender", "公开招标（政府采购）", PROCUREMENT, _D2017, 20, CALENDAR_DAYS, 5, WORKING_DAYS, True,
                    3, "《政府采购法》第三十五条；《政府采购货物和服务招标投标管理办法》（财政部令第87号）第十八条"),
    ProcedureLimits("gp_negotiation", "竞争性谈判", PROCUREMENT, _D2014, 3, WORKING_DAYS, 0, CALENDAR_DAYS, False, 3,
                    "《政府采购法》第三十八条；《政府采购非招标采购方式管理办法》（财政部令第74号）第二十九条"),
    ProcedureLimits("gp_consultation", "竞争性磋商", PROCUREMENT, _D2014, 10, CALENDAR_DAYS, 5, WORKING_DAYS, False, 3,
                    "《政府采购竞争性磋商采购方式管理暂行办法》（财库〔2014〕214号）第十条"),
    ProcedureLimits("gp_inquiry", "询价", PROCUREMENT, _D2014, 3, WORKING_DAYS, 0, CALENDAR_DAYS, False, 3,
                    "《政府采购法》第四十条；《政府采购非招标采购方式管理办法》（财政部令第74号）第四十五条"),
    ProcedureLimits("gp_single_source", "单一来源", PROCUREMENT, _D2003, 0, CALENDAR_DAYS, 0, CALENDAR_DAYS, False, 1,
                    "《政府采购法》第三十一条、第三十九条"),
)


def limits_in_force(versions: Sequence[ProcedureLimits], code: str, on: date) -> ProcedureLimits | None:
    """The version of procedure `code` in force on `on` (the latest that started on or before it)."""
    candidates = [v for v in versions if v.code == code and v.effective_from <= on
                  and (v.effective_to is None or on < v.effective_to)]
    return max(candidates, key=lambda v: v.effective_from, default=None)


# --- Must-tender thresholds (必须招标的工程项目规定) ------------------------------------------------
@dataclass(frozen=True)
class Threshold:
    lot_type: str
    amount: Decimal  # yuan: estimated price of the single contract at or above which tendering is mandatory
    effective_from: date
    source: str
    effective_to: date | None = None


_ORDER3 = "《工程建设项目招标范围和规模标准规定》（国家计委令第3号，2000-05-01施行）第七条"
_ORDER16 = "《必须招标的工程项目规定》（国家发展改革委令第16号，2018-06-01施行）第五条"
THRESHOLDS: tuple[Threshold, ...] = (
    Threshold(WORKS, Decimal("2000000"), date(2000, 5, 1), _ORDER3, date(2018, 6, 1)),
    Threshold(GOODS, Decimal("1000000"), date(2000, 5, 1), _ORDER3, date(2018, 6, 1)),
    Threshold(SERVICES, Decimal("500000"), date(2000, 5, 1), _ORDER3, date(2018, 6, 1)),
    Threshold(WORKS, Decimal("4000000"), date(2018, 6, 1), _ORDER16),
    Threshold(GOODS, Decimal("2000000"), date(2018, 6, 1), _ORDER16),
    Threshold(SERVICES, Decimal("1000000"), date(2018, 6, 1), _ORDER16),
)


@dataclass(frozen=True)
class MustTender:
    required: bool
    threshold: Decimal | None
    source: str
    note: str


def _wan(amount: Decimal) -> str:
    return f"{(amount / 10000).normalize():f}万元"


def must_tender(lot_type: str, estimated_price: Decimal, on: date,
                versions: Sequence[Threshold] = THRESHOLDS) -> MustTender:
    """Whether a lot of an in-scope project must be tendered: its single-contract estimate at or above
    the threshold in force on `on`. Below it the platform must not demand tendering (seed 004)."""
    rows = [t for t in versions if t.lot_type == lot_type and t.effective_from <= on
            and (t.effective_to is None or on < t.effective_to)]
    row = max(rows, key=lambda t: t.effective_from, default=None)
    label = LOT_TYPES.get(lot_type, lot_type)
    if row is None:
        return MustTender(False, None, "", f"{on:%Y-%m-%d}没有施行中的{label}类必须招标规模标准，不强制招标。")
    if estimated_price >= row.amount:
        return MustTender(True, row.amount, row.source,
                          f"{label}单项合同估算价 {_wan(estimated_price)} 达到 {_wan(row.amount)}，属于依法必须招标的项目。")
    return MustTender(False, row.amount, row.source,
                      f"{label}单项合同估算价 {_wan(estimated_price)} 低于 {_wan(row.amount)}，不属于依法必须招标的项目，"
                      "招标人可自主决定是否招标，平台不强制要求招标。")


def check_ceiling(estimated_price: Decimal, ceiling_price: Decimal | None) -> Breach | None:
    """Platform rule: a ceiling price (最高投标限价, set under Reg. Art. 27) is positive and within the estimate."""
    if ceiling_price is None:
        return None
    if ceiling_price <= 0:
        return Breach("trading.ceiling_not_positive", "最高投标限价须大于 0", f"{REG}第二十七条", "ceiling_price")
    if ceiling_price > estimated_price:
        return Breach("trading.ceiling_above_estimate", "最高投标限价不能高于标段估算价", f"{REG}第二十七条",
                      "ceiling_price")
    return None


# --- Periods ------------------------------------------------------------------------------------------
AddWorkingDays = Callable[[date, int], date]


def _after(start: date, n: int, kind: str, add_working_days: AddWorkingDays | None) -> date:
    if kind == WORKING_DAYS:
        if add_working_days is None:
            raise ValueError("working-day periods need add_working_days")
        return add_working_days(start, n)
    return start + timedelta(days=n)


def _count(n: int, kind: str) -> str:
    return f"{n}{DAY_KINDS[kind]}"


def check_periods(limits: ProcedureLimits, sale_start: date, sale_end: date, deadline: datetime,
                  add_working_days: AddWorkingDays | None = None) -> list[Breach]:
    """Documents → deadline and the sale period against the procedure's limits (TBL Art. 24, Reg. Art. 16)."""
    breaches: list[Breach] = []
    if sale_end < sale_start:
        breaches.append(Breach("trading.sale_end_before_start", "文件发售截止日不能早于发售开始日", f"{REG}第十六条",
                               "sale_end"))
        return breaches
    if limits.min_sale_days and sale_end < _after(sale_start, limits.min_sale_days, limits.sale_day_kind,
                                                  add_working_days):
        breaches.append(Breach("trading.sale_too_short",
                               f"{limits.name}的文件发售期不得少于{_count(limits.min_sale_days, limits.sale_day_kind)}",
                               limits.source, "sale_end"))
    if deadline.date() < sale_end:
        breaches.append(Breach("trading.deadline_before_sale_end", "投标截止时间不能早于文件发售截止日", limits.source,
                               "bid_deadline"))
    if limits.min_document_days and deadline.date() < _after(sale_start, limits.min_document_days,
                                                             limits.document_day_kind, add_working_days):
        breaches.append(Breach("trading.deadline_too_soon",
                               f"自{limits.name}文件开始发出之日起至投标截止之日止，不得少于"
                               f"{_count(limits.min_document_days, limits.document_day_kind)}", limits.source,
                               "bid_deadline"))
    return breaches


CLARIFICATION_DAYS, PREQUALIFICATION_CLARIFICATION_DAYS = 15, 3  # TBL Art. 23; Reg. Art. 21


def deadline_after_clarification(deadline: datetime, issued_on: date, *, affects_preparation: bool = True,
                                 prequalification: bool = False) -> tuple[datetime, Breach | None]:
    """The deadline after a clarification or amendment issued on `issued_on` (TBL Art. 23, Reg. Art. 21).

    One that may affect bid preparation must come at least 15 days (3 days before a prequalification
    deadline) before the deadline; otherwise the deadline moves to that many days after issue, at
    the same time of day. The Breach (code trading.deadline_moved) says so; None when it holds.
    """
    if not affects_preparation:
        return deadline, None
    days = PREQUALIFICATION_CLARIFICATION_DAYS if prequalification else CLARIFICATION_DAYS
    earliest = issued_on + timedelta(days=days)
    if deadline.date() >= earliest:
        return deadline, None
    moved = deadline + timedelta(days=(earliest - deadline.date()).days)  # same time of day
    what = "资格预审申请文件截止时间" if prequalification else "投标截止时间"
    return moved, Breach("trading.deadline_moved",
                         f"澄清或修改可能影响{'资格预审申请文件' if prequalification else '投标文件'}编制，发出时距{what}不足"
                         f"{days}日，{what}顺延至 {moved:%Y-%m-%d %H:%M}", f"{TBL}第二十三条；{REG}第二十一条",
                         "bid_deadline")


OBJECTION_DAYS, PREQUALIFICATION_OBJECTION_DAYS, OBJECTION_ANSWER_DAYS = 10, 2, 3  # Reg. Art. 22


def objection_last_day(deadline: datetime, *, prequalification: bool = False) -> date:
    """The last day to object to the documents: 10 days (prequalification: 2 days) before the deadline."""
    return deadline.date() - timedelta(days=PREQUALIFICATION_OBJECTION_DAYS if prequalification else OBJECTION_DAYS)


def check_objection(raised_on: date, deadline: datetime, *, prequalification: bool = False) -> Breach | None:
    last = objection_last_day(deadline, prequalification=prequalification)
    if raised_on <= last:
        return None
    days = PREQUALIFICATION_OBJECTION_DAYS if prequalification else OBJECTION_DAYS
    return Breach("trading.objection_too_late",
                  f"对{'资格预审文件' if prequalification else '招标文件'}的异议应在截止时间{days}日前提出"
                  f"（最迟 {last:%Y-%m-%d}）",
                  f"{REG}第二十二条", "raised_on")


def objection_answer_due(raised_on: date) -> date:
    """The tenderer answers within 3 days of receiving the objection; until then the procedure is suspended."""
    return raised_on + timedelta(days=OBJECTION_ANSWER_DAYS)


PUBLICITY_START_DAYS, PUBLICITY_MIN_DAYS = 3, 3  # Reg. Art. 54


def check_publicity(report_on: date, start: date, end: date) -> Breach | None:
    """Candidates published within 3 days of the evaluation report, for at least 3 days (Reg. Art. 54)."""
    if start > report_on + timedelta(days=PUBLICITY_START_DAYS):
        return Breach("trading.publicity_late", "应当自收到评标报告之日起3日内公示中标候选人", f"{REG}第五十四条", "start")
    if end < start + timedelta(days=PUBLICITY_MIN_DAYS):
        return Breach("trading.publicity_too_short", "中标候选人公示期不得少于3日", f"{REG}第五十四条", "end")
    return None


CONTRACT_DAYS = 30  # TBL Art. 46


def contract_due(notice_on: date) -> date:
    return notice_on + timedelta(days=CONTRACT_DAYS)


def check_contract(notice_on: date, signed_on: date) -> Breach | None:
    if signed_on <= contract_due(notice_on):
        return None
    return Breach("trading.contract_late", "招标人和中标人应当自中标通知书发出之日起30日内订立书面合同", f"{TBL}第四十六条",
                  "signed_on")


COMPLAINT_DAYS, COMPLAINT_ACCEPT_WORKING_DAYS, COMPLAINT_DECIDE_WORKING_DAYS = 10, 3, 30  # Reg. Art. 60, 61


@dataclass(frozen=True)
class ComplaintDates:
    file_by: date  # calendar days from knowing
    accept_by: date  # working days from receipt
    decide_by: date  # working days from acceptance (suspensions for testing etc. not counted: later issue)


def complaint_dates(known_on: date, received_on: date, add_working_days: AddWorkingDays) -> ComplaintDates:
    """Reg. Art. 60: complain within 10 days of knowing; Art. 61: accept or not within 3 working days,
    decide within 30 working days of acceptance (counted here from the latest acceptance day)."""
    accept_by = add_working_days(received_on, COMPLAINT_ACCEPT_WORKING_DAYS)
    return ComplaintDates(known_on + timedelta(days=COMPLAINT_DAYS), accept_by,
                          add_working_days(accept_by, COMPLAINT_DECIDE_WORKING_DAYS))


def check_complaint(known_on: date, filed_on: date) -> Breach | None:
    if filed_on <= known_on + timedelta(days=COMPLAINT_DAYS):
        return None
    return Breach("trading.complaint_too_late", "投诉应当自知道或者应当知道之日起10日内提出", f"{REG}第六十条", "filed_on")


# --- The timeline -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    kind: str
    label: str
    start: date | datetime | None
    end: date | datetime | None
    source: str
    note: str = ""


def timeline(limits: ProcedureLimits, sale_start: date, sale_end: date, deadline: datetime) -> list[Period]:
    """Every period of a lot, from its planned sale and deadline; the later ones as the rule that will fix them."""
    rows = [
        Period("sale", "文件发售期", sale_start, sale_end, limits.source,
               f"不少于{_count(limits.min_sale_days, limits.sale_day_kind)}" if limits.min_sale_days else ""),
        Period("clarification", "澄清修改期", sale_start, deadline.date() - timedelta(days=CLARIFICATION_DAYS),
               f"{TBL}第二十三条；{REG}第二十一条", "影响投标文件编制的澄清或修改须在截止前15日发出，否则截止时间顺延"),
        Period("objection", "招标文件异议期", sale_start, objection_last_day(deadline), f"{REG}第二十二条",
               "截止前10日提出，招标人3日内答复，答复前暂停招标投标活动"),
        Period("submission", "投标文件递交期", sale_start, deadline, limits.source,
               f"发出文件至截止不少于{_count(limits.min_document_days, limits.document_day_kind)}"
               if limits.min_document_days else ""),
        Period("opening", "开标", deadline, deadline, f"{TBL}第三十四条；{REG}第四十四条",
               "在投标截止时间公开进行；投标人少于3个的，不得开标"),
        Period("evaluation", "评标", deadline, None, f"{TBL}第三十七条", "评标委员会评审并提交评标报告"),
        Period("publicity", "中标候选人公示期", None, None, f"{REG}第五十四条", "收到评标报告后3日内公示，不少于3日"),
        Period("complaint", "投诉期", None, None, f"{REG}第六十条、第六十一条",
               "知道或应当知道之日起10日内投诉；3个工作日内决定是否受理，30个工作日内作出处理决定"),
        Period("contract", "合同签订", None, None, f"{TBL}第四十六条", "中标通知书发出之日起30日内订立书面合同"),
    ]
    return rows


# --- The lot's life -------------------------------------------------------------------------------------
DRAFT, REGISTERED, ACCEPTED, RETURNED, WITHDRAWN = "draft", "registered", "accepted", "returned", "withdrawn"
ANNOUNCED, OPENING, EVALUATING, PUBLICITY = "announced", "opening", "evaluating", "publicity"
AWARDED, CONTRACTED, ARCHIVED, FAILED, TERMINATED = "awarded", "contracted", "archived", "failed", "terminated"
SUBMIT, ACCEPT, RETURN, WITHDRAW = "submit", "accept", "return", "withdraw"
ANNOUNCE, OPEN, EVALUATE, PUBLICIZE, AWARD = "announce", "open", "evaluate", "publicize", "award"
SIGN_CONTRACT, ARCHIVE, FAIL, TERMINATE = "sign_contract", "archive", "fail", "terminate"
# Entry registration (进场登记): submitted by the tenderer or its agency, checked by the trading centre
# (《公共资源交易平台管理暂行办法》 Art. 17, 2016). Then the tender: announced (documents on sale, bids
# received until the deadline), opening (at the deadline, TBL Art. 34), evaluating, publicity of the
# candidates (REG Art. 54), awarded (评定分离: the tenderer decides, seed 004), contracted, archived.
# A lot fails (流标) with fewer than 3 bids (TBL Art. 28) or when every bid is rejected (REG Art. 51).
# Suspension (objection, complaint) is not a state: it is the lot's `suspended` flag, set and lifted by
# the objection and complaint services, and every timed transition waits while it is set.
_LIVE = (ANNOUNCED, OPENING, EVALUATING, PUBLICITY, AWARDED)
LOT_FLOW = Workflow(
    prefix="trading", noun="标段",
    states={DRAFT: "草稿", REGISTERED: "已提交进场登记", ACCEPTED: "已进场", RETURNED: "已退回", WITHDRAWN: "已撤回",
            ANNOUNCED: "招标中", OPENING: "开标中", EVALUATING: "评标中", PUBLICITY: "中标候选人公示中",
            AWARDED: "已定标", CONTRACTED: "已签订合同", ARCHIVED: "已归档", FAILED: "流标", TERMINATED: "已终止"},
    actions={SUBMIT: "提交进场登记", ACCEPT: "受理进场", RETURN: "退回", WITHDRAW: "撤回", ANNOUNCE: "发布招标公告",
             OPEN: "开标", EVALUATE: "开始评标", PUBLICIZE: "公示中标候选人", AWARD: "定标",
             SIGN_CONTRACT: "签订合同", ARCHIVE: "归档", FAIL: "流标", TERMINATE: "终止招标"},
    transitions={(DRAFT, SUBMIT): REGISTERED, (DRAFT, WITHDRAW): WITHDRAWN,
                 (REGISTERED, ACCEPT): ACCEPTED, (REGISTERED, RETURN): RETURNED,
                 (RETURNED, SUBMIT): REGISTERED, (RETURNED, WITHDRAW): WITHDRAWN,
                 (ACCEPTED, ANNOUNCE): ANNOUNCED, (ANNOUNCED, OPEN): OPENING, (ANNOUNCED, FAIL): FAILED,
                 (OPENING, EVALUATE): EVALUATING, (OPENING, FAIL): FAILED,
                 (EVALUATING, PUBLICIZE): PUBLICITY, (EVALUATING, FAIL): FAILED,
                 (PUBLICITY, AWARD): AWARDED, (AWARDED, SIGN_CONTRACT): CONTRACTED,
                 (CONTRACTED, ARCHIVE): ARCHIVED, (FAILED, ARCHIVE): ARCHIVED, (TERMINATED, ARCHIVE): ARCHIVED,
                 **{(state, TERMINATE): TERMINATED for state in (ACCEPTED, *_LIVE)}},
)


# --- Bids, committee, candidates (the states the later sections build on) --------------------------------
BID_SUBMITTED, BID_WITHDRAWN, BID_DECRYPTED, BID_REVOKED, BID_REJECTED = (
    "submitted", "withdrawn", "decrypted", "revoked", "rejected")
BID_STATES = {BID_SUBMITTED: "已递交", BID_WITHDRAWN: "已撤回", BID_DECRYPTED: "已解密", BID_REVOKED: "未解密（撤销）",
              BID_REJECTED: "否决投标"}
# A bid superseded by a later submission before the deadline (招标投标法第二十九条): kept, no longer counted.
BID_REPLACED = "replaced"
BID_STATES[BID_REPLACED] = "已替换"
EXPERT, TENDERER_REP = "expert", "tenderer_rep"
COMMITTEE_ROLES = {EXPERT: "评标专家", TENDERER_REP: "招标人代表"}


def next_check(status: str, sale_start: date, sale_end: date, deadline: datetime, now: datetime) -> datetime | None:
    """The next moment something timed happens to the lot from its own periods (ProZorro's next_check), or None.

    Registered lots wait for the centre until their sale starts (a stale plan must be reviewed then); an
    accepted lot not yet announced is checked at its planned sale start; an announced lot moves at the end of
    the sale day and at the bid deadline (the opening, TBL Art. 34). The later stages' moments (decryption
    window, publicity end, answers due …) come from their parts through hooks.NEXT_MOMENTS; drafts,
    returned and withdrawn lots wait for people only.
    """
    tz = now.tzinfo
    start = datetime.combine(sale_start, time.min, tz)
    if status in (REGISTERED, ACCEPTED):
        return start if start > now else None
    if status == ANNOUNCED:
        moments = (start, datetime.combine(sale_end + timedelta(days=1), time.min, tz), deadline)
        return next((m for m in moments if m > now), None)
    return None


# --- The evaluation committee -------------------------------------------------------------------------
MIN_COMMITTEE = 5  # TBL Art. 37: five or more, an odd number; experts at least two thirds


def check_committee(experts: int, tenderer_reps: int) -> Breach | None:
    """The committee's composition (《招标投标法》第三十七条; 实施条例第四十六条: experts drawn at random)."""
    total = experts + tenderer_reps
    source = f"{TBL}第三十七条"
    if total < MIN_COMMITTEE:
        return Breach("trading.committee_too_small", f"评标委员会成员须为5人以上单数，现为{total}人", source)
    if total % 2 == 0:
        return Breach("trading.committee_even", f"评标委员会成员须为单数，现为{total}人", source)
    if experts * 3 < total * 2:
        return Breach("trading.committee_experts_share", f"技术、经济等方面的专家不得少于成员总数的三分之二，现为"
                      f"{experts}/{total}", source)
    return None
