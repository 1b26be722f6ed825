"""What every page's layout needs: the city, the navigation this user may see, who is signed in.

Everything is lazy: a page that does not show the layout (the admin, a JSON error) runs no query for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from yingshang.kernel import access, navigation

SITE_NAME = _("营商平台")


@dataclass(frozen=True)
class Identity:
    name: str
    role: str
    department: str


def city_name() -> str:
    """The name of the organisation's root (the city), or "" before the organisation is set up."""
    from yingshang.kernel.models import Department

    return (
        Department.objects.filter(kind=Department.Kind.CITY, parent__isnull=True, is_active=True)
        .order_by("sort_order", "path")
        .values_list("name", flat=True)
        .first()
        or ""
    )


def identity(user) -> Identity | None:
    """Name, role and department as the header shows them (the role name as an administrator set it)."""
    from yingshang.kernel.models import Role

    if user is None or not user.is_authenticated:
        return None
    role = access.primary_role(user)
    role_name = Role.objects.filter(code=role).values_list("name", flat=True).first() if role else ""
    department = user.department.name if user.department_id else ""
    return Identity(user.display_name, role_name or access.ROLE_NAMES.get(role, ""), department)


def shell(request):
    user = getattr(request, "user", None)
    return {
        "ys_site_name": SITE_NAME,
        "ys_city": SimpleLazyObject(city_name),
        "ys_nav": SimpleLazyObject(lambda: navigation.visible_items(user, request.path)),
        "ys_identity": SimpleLazyObject(lambda: identity(user)),
    }
