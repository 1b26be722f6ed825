"""Admin for the audit trail: read-only for everyone, with a button that verifies the whole chain."""

from __future__ import annotations

import time

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from yingshang.kernel import access
from yingshang.kernel.models import AuditEntry
from yingshang.kernel.services import audit as audit_service


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("seq", "created_at", "actor_name", "actor_role", "department_code", "action", "object_type",
                    "object_id", "client_ip")
    list_display_links = ("seq",)
    list_filter = ("action", "object_type", ("created_at", admin.DateFieldListFilter))
    # Prefix and exact matches use the indexes; a chain can hold millions of entries.
    search_fields = ("^action", "=object_id", "^actor_name")
    ordering = ("-seq",)
    list_per_page = 50
    show_full_result_count = False
    change_list_template = "admin/kernel/auditentry/change_list.html"
    fields = ("seq", "created_at", "actor_name", "actor_id", "actor_role", "department_code", "client_ip", "action",
              "object_type", "object_id", "summary", "prev_hash", "hash")
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        user = request.user
        return user.is_active and user.is_staff and access.has_perm(user, "kernel.view_audit")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    # Append-only: nobody adds, edits or deletes an entry here, superusers included.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        verify = self.admin_site.admin_view(require_POST(self.verify_view))
        return [path("verify/", verify, name="kernel_auditentry_verify"), *super().get_urls()]

    def verify_view(self, request):
        """Walk the chain (`yingshang audit verify` does the same) and report the first broken entry."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        started = time.perf_counter()
        result = audit_service.verify()
        seconds = time.perf_counter() - started
        if result.ok:
            messages.success(request, gettext("审计链完整：已校验 %(n)d 条记录，用时 %(s).1f 秒。")
                             % {"n": result.checked, "s": seconds})
        else:
            messages.error(request, gettext("审计链已被破坏：%(reason)s（已校验 %(n)d 条，首个异常为第 %(seq)s 条）。")
                           % {"reason": result.reason, "n": result.checked, "seq": result.broken_seq})
        return redirect("admin:kernel_auditentry_changelist")
