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
