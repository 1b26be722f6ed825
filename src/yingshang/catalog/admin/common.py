"""What the catalog's admin pages share: the permission, and running a service with its errors shown."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction

from yingshang.kernel import access
from yingshang.kernel.errors import ServiceError

MANAGE = "catalog.manage"


def can_manage(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and access.has_perm(user, MANAGE))


class CatalogPermission:
    """Only catalog managers see and change catalog data in the admin."""

    def has_module_permission(self, request):
        return can_manage(request)

    def has_view_permission(self, request, obj=None):
        return can_manage(request)

    def has_add_permission(self, request, obj=None):
        return can_manage(request)

    def has_change_permission(self, request, obj=None):
        return can_manage(request)

    def has_delete_permission(self, request, obj=None):
        return can_manage(request)


def run_service(request, func, *args, success: str = "", **kwargs):
    """Call a service in its own transaction; show its Chinese error (and each detail) instead of failing."""
    try:
        with transaction.atomic():
            result = func(*args, **kwargs)
    except ServiceError as exc:
        messages.error(request, exc.message)
        for detail in (exc.details if isinstance(exc.details, list) else [])[:20]:
            if isinstance(detail, dict) and detail.get("message"):
                messages.warning(request, detail["message"])
        return None
    if success:
        messages.success(request, success)
    return result
