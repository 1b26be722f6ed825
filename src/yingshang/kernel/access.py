"""The one policy layer: roles, permissions, and department-scoped querysets.

Views, the API and commands ask here; templates only show what these functions allowed.
Domain apps add their permissions with `register_permissions` from their AppConfig.ready().
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

CITIZEN = "citizen"
ENTERPRISE = "enterprise"
WINDOW_CLERK = "window_clerk"
DEPT_REVIEWER = "dept_reviewer"
DEPT_HEAD = "dept_head"
SUPERVISOR = "supervisor"
CREDIT_OFFICER = "credit_officer"
TRADING_STAFF = "trading_staff"
EXPERT = "expert"
BIDDER = "bidder"
TENDERER = "tenderer"
AGENCY = "agency"
HOTLINE_OPERATOR = "hotline_operator"
LEADER = "leader"
ADMIN = "admin"


@dataclass(frozen=True)
class RoleDef:
    code: str
    name: str
    scope: str  # own | department | subtree | city
    is_staff_role: bool
    description: str


# Roles are data (synced to the Role table after every migrate); order is the display order.
ROLES: tuple[RoleDef, ...] = (
    RoleDef(CITIZEN, "个人用户", "own", False, "办事群众：网上申报、查询进度、评价"),
    RoleDef(ENTERPRISE, "企业用户", "own", False, "企业经办人：以企业名义申报和查询"),
    RoleDef(WINDOW_CLERK, "综合窗口人员", "city", True, "综合受理：任一大厅受理任一事项（同城通办）"),
    RoleDef(DEPT_REVIEWER, "部门审批人员", "department", True, "后台审查本部门办件"),
    RoleDef(DEPT_HEAD, "部门负责人", "subtree", True, "审批延期、决定，查看本部门及下级"),
    RoleDef(SUPERVISOR, "电子监察人员", "city", True, "全市时效、评价与投诉监督"),
    RoleDef(CREDIT_OFFICER, "信用工作人员", "city", True, "信用信息归集、名单认定、异议与修复"),
    RoleDef(TRADING_STAFF, "交易中心工作人员", "city", True, "公共资源交易项目、开标与专家抽取"),
    RoleDef(EXPERT, "评标专家", "own", False, "参与评标"),
    RoleDef(BIDDER, "投标人", "own", False, "投标、开标与异议"),
    RoleDef(TENDERER, "招标人", "own", False, "登记本单位的招标项目（进场登记）"),
    RoleDef(AGENCY, "招标代理机构", "own", False, "受招标人委托登记和办理招标项目"),
    RoleDef(HOTLINE_OPERATOR, "12345热线话务员", "city", True, "受理来电、派发工单"),
    RoleDef(LEADER, "市领导", "city", True, "查看全市运行情况"),
    RoleDef(ADMIN, "系统管理员", "city", True, "维护组织、用户、事项与规则"),
)
ROLE_NAMES = {r.code: r.name for r in ROLES}
_SCOPE_RANK = {"own": 0, "department": 1, "subtree": 2, "city": 3}

# permission code -> roles that hold it. Domain apps extend this through register_permissions.
PERMISSIONS: dict[str, frozenset[str]] = {
    "kernel.view_audit": frozenset({SUPERVISOR, ADMIN}),
    "kernel.view_departments": frozenset(r.code for r in ROLES if r.is_staff_role),
    "kernel.manage_calendar": frozenset({ADMIN}),
    "kernel.issue_document": frozenset({WINDOW_CLERK, DEPT_REVIEWER, DEPT_HEAD, CREDIT_OFFICER, TRADING_STAFF, ADMIN}),
    "kernel.send_notification": frozenset(r.code for r in ROLES if r.is_staff_role),
    "kernel.manage_tokens": frozenset({ADMIN}),
}


def register_permissions(permissions: dict[str, set[str] | frozenset[str]]) -> None:
    for code, roles in permissions.items():
        unknown = set(roles) - set(ROLE_NAMES)
        if unknown:
            raise ValueError(f"permission {code} names unknown roles {sorted(unknown)}")
        PERMISSIONS[code] = PERMISSIONS.get(code, frozenset()) | frozenset(roles)


def role_codes(user) -> frozenset[str]:
    """The user's role codes, read once per user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_ys_role_codes", None)
    if cached is None:
        codes = set(user.roles.values_list("code", flat=True)) if user.pk else set()
        if user.is_superuser:
            codes.add(ADMIN)
        cached = frozenset(codes)
        user._ys_role_codes = cached
    return cached


def has_role(user, *codes: str) -> bool:
    return bool(role_codes(user) & set(codes))


def primary_role(user) -> str:
    """The role shown for the user (the first in display order)."""
    codes = role_codes(user)
    return next((r.code for r in ROLES if r.code in codes), "")


def has_perm(user, permission: str) -> bool:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission}")
    return bool(role_codes(user) & PERMISSIONS[permission])


def check_perm(user, permission: str) -> None:
    """Raise PermissionDenied (shown as 403 with a Chinese message) unless the user holds the permission."""
    if not has_perm(user, permission):
        raise PermissionDenied("您没有执行此操作的权限")


def data_scope(user) -> str:
    """The widest scope among the user's roles: own < department < subtree < city."""
    from yingshang.kernel.models import Role

    codes = role_codes(user)
    if not codes:
        return "own"
    if ADMIN in codes:
        return "city"
    scopes = getattr(user, "_ys_scopes", None)
    if scopes is None:
        scopes = list(Role.objects.filter(code__in=codes).values_list("scope", flat=True))
        user._ys_scopes = scopes
    return max(scopes, key=_SCOPE_RANK.__getitem__, default="own")


def department_filter(user, field: str = "department") -> Q:
    """A Q restricting `field` (a Department FK) to what the user may see."""
    scope = data_scope(user)
    if scope == "city":
        return Q()
    dept = getattr(user, "department", None)
    if dept is None:
        return Q(pk__in=[])
    if scope == "subtree":
        return Q(**{f"{field}__path__startswith": dept.path})
    if scope == "department":
        return Q(**{f"{field}_id": dept.pk})
    return Q(pk__in=[])  # "own": callers scope by owner, not by department


def scope_by_department(queryset: QuerySet, user, field: str = "department") -> QuerySet:
    return queryset.filter(department_filter(user, field))


def access_department(user, department) -> None:
    """Raise PermissionDenied unless the department is within the user's scope."""
    if not visible_departments(user).filter(pk=department.pk).exists():
        raise PermissionDenied("该部门不在您的管辖范围内")


def _self_filter(user) -> Q:
    scope = data_scope(user)
    if scope == "city":
        return Q()
    dept = getattr(user, "department", None)
    if dept is None or scope == "own":
        return Q(pk__in=[])
    if scope == "subtree":
        return Q(path__startswith=dept.path)
    return Q(pk=dept.pk)


def visible_departments(user) -> QuerySet:
    from yingshang.kernel.models import Department

    return Department.objects.filter(_self_filter(user))
