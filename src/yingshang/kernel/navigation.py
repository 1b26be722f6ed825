"""The site navigation as data: domain apps append items, the policy layer decides who sees them.

Apps register their entries from AppConfig.ready():

    register_nav_item("cases", _("办件"), "cases:list", permission="cases.view_case", order=100)

Templates never decide visibility; they render what `visible_items` returns.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yingshang.kernel import access

PUBLIC = "public"  # everyone
ANONYMOUS = "anonymous"  # only visitors who have not signed in
SIGNED_IN = "signed_in"  # only signed-in users
_AUDIENCES = (PUBLIC, ANONYMOUS, SIGNED_IN)


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # a lazy translation, so the label follows the active language
    url_name: str
    permission: str | None = None
    roles: frozenset[str] = frozenset()
    audience: str = SIGNED_IN
    order: int = 100
    # Home is "current" only on its own path; other items also on the pages below them.
    exact: bool = False
    # One line saying what the module does, shown on the portal's list of public services.
    description: str = ""


@dataclass(frozen=True)
class VisibleItem:
    key: str
    label: str
    url: str
    current: bool
    description: str = ""
    audience: str = SIGNED_IN


_ITEMS: dict[str, NavItem] = {}


def register_nav_item(key: str, label, url_name: str, *, permission: str | None = None, roles=(),
                      audience: str = SIGNED_IN, order: int = 100, exact: bool = False, replace: bool = False,
                      description="") -> NavItem:
    """Add an item. `permission` and `roles` both narrow it: a user must hold the permission AND one of the roles.

    `description` (a lazy translation) is the line the portal shows under a public item's name.

    The URL name is reversed when the navigation is rendered, so apps may register before URLs load.
    """
    if key in _ITEMS and not replace:
        raise ValueError(f"navigation item {key!r} is already registered")
    if audience not in _AUDIENCES:
        raise ValueError(f"audience must be one of {_AUDIENCES}, not {audience!r}")
    unknown = set(roles) - set(access.ROLE_NAMES)
    if unknown:
        raise ValueError(f"navigation item {key!r} names unknown roles {sorted(unknown)}")
    if (permission or roles) and audience != SIGNED_IN:
        raise ValueError(f"navigation item {key!r} needs a permission or role, so its audience must be {SIGNED_IN!r}")
    item = NavItem(key, label, url_name, permission, frozenset(roles), audience, order, exact, description)
    _ITEMS[key] = item
    return item


def unregister_nav_item(key: str) -> None:
    _ITEMS.pop(key, None)


def registered_items() -> list[NavItem]:
    return sorted(_ITEMS.values(), key=lambda item: (item.order, item.key))


def _allowed(item: NavItem, user) -> bool:
    signed_in = bool(user is not None and user.is_authenticated)
    if item.audience == ANONYMOUS:
        return not signed_in
    if item.audience == SIGNED_IN and not signed_in:
        return False
    if item.permission and not access.has_perm(user, item.permission):
        return False
    return not (item.roles and not access.has_role(user, *item.roles))


def visible_items(user, path: str = "") -> list[VisibleItem]:
    """The items this user may see, in order, with the one for `path` marked current."""
    visible = []
    for item in registered_items():
        if not _allowed(item, user):
            continue
        url = reverse(item.url_name)
        current = path == url if item.exact or url == "/" else path.startswith(url)
        visible.append(VisibleItem(item.key, str(item.label), url, current, str(item.description), item.audience))
    return visible


# --- The kernel's own entries; domain apps add theirs between 100 and 799 ----------------------
register_nav_item("home", _("首页"), "home", audience=PUBLIC, order=0, exact=True)
register_nav_item("inbox", _("我的消息"), "inbox", order=790)
register_nav_item("departments", _("组织机构"), "departments", permission="kernel.view_departments", order=800)
register_nav_item("audit", _("审计记录"), "audit-log", permission="kernel.view_audit", order=810)
register_nav_item("admin", _("后台管理"), "admin:index", roles=[access.ADMIN], order=900)
