"""What the trading services share: permissions (registered in apps.py), the validator, snapshots, scoping."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from yingshang.kernel import access
from yingshang.kernel.errors import Forbidden, InvalidInput
from yingshang.kernel.services.validation import Validator

VIEW = "trading.view"  # projects and lots of the user's scope
REGISTER = "trading.register"  # create projects, submit entry registration (tenderer or its agency)
REVIEW = "trading.review"  # the trading centre accepts or returns registrations

PERMISSIONS = {
    VIEW: {access.TRADING_STAFF, access.TENDERER, access.AGENCY, access.DEPT_REVIEWER, access.DEPT_HEAD,
           access.SUPERVISOR, access.LEADER, access.ADMIN},
    REGISTER: {access.TENDERER, access.AGENCY},
    REVIEW: {access.TRADING_STAFF},
}
PERMISSION_LABELS = {VIEW: "查看交易项目", REGISTER: "登记招标项目", REVIEW: "审核进场登记"}
# Sealed bids (issue 12 §4): bidders submit; the centre sees who and when (never the content).
BID = "trading.bid"
BID_REGISTER = "trading.bid_register"
PERMISSIONS |= {BID: {access.BIDDER}, BID_REGISTER: {access.TRADING_STAFF}}
PERMISSION_LABELS |= {BID: "递交投标文件", BID_REGISTER: "查看投标文件递交记录"}
fields = Validator("trading")


def check_perm(user, permission: str) -> None:
    if not access.has_perm(user, permission):
        raise Forbidden("trading.forbidden", f"您没有“{PERMISSION_LABELS[permission]}”的权限")


def moment(value, field: str, label: str) -> datetime:
    """An aware datetime from a datetime or ISO text ("2026-05-20T09:30", local time when no offset)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidInput(f"trading.{field}_required", f"请填写{label}", details={"field": field})
    if isinstance(value, str):
        text = value.strip()
        try:
            value = datetime.fromisoformat(text) if 16 <= len(text) <= 32 and text[4] == "-" else None
        except ValueError:
            value = None
    if not isinstance(value, datetime) or not 2000 <= value.year <= 2999:
        raise InvalidInput(f"trading.{field}_invalid", f"{label}须为日期时间，格式如 2026-05-20 09:30",
                           details={"field": field})
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def own_filter(user, prefix: str = "") -> Q:
    """Projects the user's organisation is tenderer or agency of (matched by the account's USCC)."""
    uscc = getattr(user, "uscc", "") or ""
    if not uscc or not access.has_role(user, access.TENDERER, access.AGENCY):
        return Q(pk__in=[])
    return Q(**{f"{prefix}tenderer_uscc": uscc}) | Q(**{f"{prefix}agency_uscc": uscc})


def lot_scope(user) -> Q:
    """What lots a user sees: the centre (and city-wide roles) all, a regulator its industry's (the
    projects it supervises, by department scope), a tenderer or agency its own projects'."""
    check_perm(user, VIEW)
    return _either(access.department_filter(user, "project__regulator"), own_filter(user, "project__"))


def project_scope(user) -> Q:
    check_perm(user, VIEW)
    return _either(access.department_filter(user, "regulator"), own_filter(user))


def _either(by_department: Q, own: Q) -> Q:
    # An empty Q is the city scope (everything); OR-ing it would silently drop it.
    return Q() if not by_department else by_department | own


# --- Bid bonds (appended by the bonds work) -------------------------------------------------------------
BOND_SET = "trading.bond_set"  # the tenderer (or its agency) sets the lot's bond requirement
BOND_SECURE = "trading.bond_secure"  # a bidder opens its sub-account, enters its e-guarantee
BOND_MANAGE = "trading.bond_manage"  # the centre: bonds of a lot, refunds, same-account screen
PERMISSIONS |= {BOND_SET: {access.TENDERER, access.AGENCY}, BOND_SECURE: {access.BIDDER},
                BOND_MANAGE: {access.TRADING_STAFF}}
PERMISSION_LABELS |= {BOND_SET: "设置投标保证金", BOND_SECURE: "缴纳投标保证金", BOND_MANAGE: "管理投标保证金及退付"}

# --- The award work (issue 12 §8, §9) -------------------------------------------------------------------
AWARD = "trading.award"  # publicity, objection answers, award decision, contract (tenderer or its agency)
OBJECT = "trading.object"  # a bidder's objections to the result and complaints
COMPLAINTS = "trading.complaints"  # the industry regulator handles complaints of its projects
ARCHIVE = "trading.archive"  # the centre: transaction certificates, the archive, overdue contracts
ARCHIVE_READ = "trading.archive_read"  # download an archived file (the centre and the regulator)
MALICIOUS = "trading.malicious"  # the list of malicious complaints (the credit office)
PERMISSIONS.update({
    AWARD: {access.TENDERER, access.AGENCY},
    OBJECT: {access.BIDDER},
    COMPLAINTS: {access.DEPT_REVIEWER, access.DEPT_HEAD},
    ARCHIVE: {access.TRADING_STAFF},
    ARCHIVE_READ: {access.TRADING_STAFF, access.DEPT_REVIEWER, access.DEPT_HEAD, access.SUPERVISOR},
    MALICIOUS: {access.CREDIT_OFFICER, access.TRADING_STAFF, access.DEPT_REVIEWER, access.DEPT_HEAD},
})
PERMISSION_LABELS.update({AWARD: "办理公示、定标和合同", OBJECT: "提出异议和投诉", COMPLAINTS: "处理投诉",
                          ARCHIVE: "出具交易凭证和归档", ARCHIVE_READ: "调阅交易档案", MALICIOUS: "查看恶意投诉记录"})

# --- Evaluation (评标, issue 12 §7) ------------------------------------------------------------------------
EVALUATE = "trading.evaluate"  # committee work: score, propose and vote disqualifications, ask, draft and sign
MANAGE_EVALUATION = "trading.manage_evaluation"  # the centre starts the evaluation and follows its progress
ANSWER_CLARIFICATION = "trading.answer_clarification"  # a bidder answers the committee's clarification requests
PERMISSIONS |= {EVALUATE: {access.EXPERT, access.TENDERER}, MANAGE_EVALUATION: {access.TRADING_STAFF},
                ANSWER_CLARIFICATION: {access.BIDDER}}
PERMISSION_LABELS |= {EVALUATE: "参与评标", MANAGE_EVALUATION: "组织评标", ANSWER_CLARIFICATION: "答复评标澄清"}

# --- Announcements, documents, objections (issue 12 §2) ---------------------------------------------
ANNOUNCE = "trading.announce"  # publish the tender, clarify, answer objections (tenderer or its agency)
DOWNLOAD = "trading.download"  # download tender documents and object to them (a registered bidder)
PERMISSIONS.update({ANNOUNCE: {access.TENDERER, access.AGENCY}, DOWNLOAD: {access.BIDDER}})
PERMISSION_LABELS.update({ANNOUNCE: "发布公告和澄清、答复异议", DOWNLOAD: "下载招标文件、提出异议"})


def is_own_lot(user, lot) -> bool:
    """The user acts for the lot's tenderer or agency (by the account's USCC)."""
    uscc = getattr(user, "uscc", "") or ""
    return bool(uscc) and access.has_role(user, access.TENDERER, access.AGENCY) and uscc in (
        lot.project.tenderer_uscc, lot.project.agency_uscc)


def sees_all_lots(user) -> bool:
    """The trading centre sees every lot's downloaders and objections."""
    return access.has_role(user, access.TRADING_STAFF)

# --- The opening (开标, appended by the opening work) ------------------------------------------------
HALL = "trading.opening_hall"  # enter the opening hall of a lot one is party to (the service checks which)
RUN_OPENING = "trading.opening_run"  # the centre opens, closes the decryption window, decides, publishes, records
BID_AT_OPENING = "trading.opening_bid"  # a bidder signs in, decrypts, draws, signs its line, objects
PERMISSIONS.update({
    HALL: {access.TRADING_STAFF, access.TENDERER, access.AGENCY, access.BIDDER, access.DEPT_REVIEWER, access.DEPT_HEAD,
           access.SUPERVISOR, access.LEADER, access.ADMIN},
    RUN_OPENING: {access.TRADING_STAFF},
    BID_AT_OPENING: {access.BIDDER},
})
PERMISSION_LABELS.update({HALL: "进入开标大厅", RUN_OPENING: "主持开标", BID_AT_OPENING: "参加开标（投标人）"})

# --- Expert database and draw (issue 12 §6) -------------------------------------------------------------
EXPERTS = "trading.experts"  # the centre keeps the expert database (register, edit, sanction)
DRAW = "trading.draw"  # the centre's draw officer: runs draws, sees the drawn names before evaluation
DRAW_REQUEST = "trading.draw_request"  # the tenderer or its agency requests and runs the draw of its own lot
EXPERT_SELF = "trading.expert_self"  # an expert: own profile, invitations and evaluations
PERMISSIONS.update({EXPERTS: {access.TRADING_STAFF}, DRAW: {access.TRADING_STAFF},
                    DRAW_REQUEST: {access.TRADING_STAFF, access.TENDERER, access.AGENCY},
                    EXPERT_SELF: {access.EXPERT}})
PERMISSION_LABELS.update({EXPERTS: "管理评标专家库", DRAW: "专家抽取（交易中心）", DRAW_REQUEST: "申请专家抽取",
                          EXPERT_SELF: "评标专家本人事务"})
