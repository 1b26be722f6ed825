"""Admin for the organisation: departments as a tree, roles, users, API tokens.

Every save and delete writes an audit entry in the admin's transaction, with the changed fields
before and after. Passwords, ID digests and token digests never enter a summary or a page.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.db import transaction
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from yingshang.kernel import access
from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.logmask import mask_text
from yingshang.kernel.models import ApiToken, Department, Role, User
from yingshang.kernel.services.audit import record
from yingshang.kernel.services.org import check_department_parent, do_issue_api_token, do_revoke_api_token

ADMIN_NOTE = "后台管理"


def _mask_email(email: str) -> str:
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else ""


class ReadOnlyAdmin(admin.ModelAdmin):
    """Data that changes through the services only: shown, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Records `<audit_name>.create/update/delete` with the fields `audit_snapshot` returns."""

    audit_name = ""

    def audit_snapshot(self, obj) -> dict:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        obj._audit_before = self.audit_snapshot(self.model.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)  # many-to-many fields are saved only now
        obj = form.instance
        before, after = getattr(obj, "_audit_before", None), self.audit_snapshot(obj)
        if before is None:
            record(f"{self.audit_name}.create", obj, after=after, note=ADMIN_NOTE)
            return
        changed = sorted(k for k in after if before.get(k) != after[k])
        if changed:
            record(f"{self.audit_name}.update", obj, before={k: before.get(k) for k in changed},
                   after={k: after[k] for k in changed}, note=ADMIN_NOTE)

    def delete_model(self, request, obj):
        before, pk = self.audit_snapshot(obj), obj.pk
        super().delete_model(request, obj)
        record(f"{self.audit_name}.delete", object_type=obj._meta.label_lower, object_id=pk, before=before,
               note=ADMIN_NOTE)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # the bulk-delete action is not wrapped by the admin
            for obj in queryset:
                self.delete_model(request, obj)


# --- Departments ---------------------------------------------------------------------------
class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ("code", "name", "short_name", "kind", "parent", "division_code", "uscc", "address", "phone",
                  "sort_order", "is_active")

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is not None and self.instance.pk and parent.pk == self.instance.pk:
            raise forms.ValidationError(_("上级不能是本部门自己。"))
        try:
            check_department_parent(self.instance if self.instance.pk else None, parent)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.message) from exc
        return parent


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    audit_name = "kernel.department"
    form = DepartmentForm
    list_display = ("tree_name", "code", "kind", "division_code", "phone", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "short_name", "code")
    ordering = ("path",)
    list_per_page = 200
    autocomplete_fields = ("parent",)
    fieldsets = (
        (None, {"fields": ("code", "name", "short_name", "kind", "parent", "path")}),
        (_("登记信息"), {"fields": ("division_code", "uscc", "address", "phone")}),
        (_("显示"), {"fields": ("sort_order", "is_active")}),
    )

    @admin.display(description=_("名称"), ordering="path")
    def tree_name(self, obj):
        # Indent by depth so the list reads as a tree; it is ordered by the materialized path.
        return format_html('<span style="padding-left:{}em">{}{}</span>', 1.5 * (obj.depth - 1),
                           "└ " if obj.depth > 1 else "", obj.name)

    def get_readonly_fields(self, request, obj=None):
        # A code is referenced by paths, audit entries and other systems: it is fixed once created.
        return ("code", "path") if obj else ("path",)

    def audit_snapshot(self, obj) -> dict:
        return {
            "code": obj.code, "name": obj.name, "short_name": obj.short_name, "kind": obj.kind,
            "parent": obj.parent.code if obj.parent_id else None, "division_code": obj.division_code,
            "uscc": obj.uscc, "address": obj.address, "phone": obj.phone, "sort_order": obj.sort_order,
            "is_active": obj.is_active,
        }

    def save_model(self, request, obj, form, change):
        old_path = Department.objects.filter(pk=obj.pk).values_list("path", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        if old_path and old_path != obj.path:
            # Moved: every descendant's path is recomputed from its (already moved) parent, top-down.
            for child in Department.objects.filter(path__startswith=old_path).exclude(pk=obj.pk).order_by("path"):
                child.save(update_fields=["path"])


# --- Roles ---------------------------------------------------------------------------------
@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    """Role codes are what the policy layer checks (yingshang.kernel.access): only the wording is editable."""

    audit_name = "kernel.role"
    list_display = ("name", "code", "scope", "is_staff_role", "user_count", "description")
    list_filter = ("scope", "is_staff_role")
    search_fields = ("name", "code")
    fields = ("code", "name", "description", "scope", "is_staff_role", "sort_order")
    readonly_fields = ("code", "scope", "is_staff_role", "sort_order")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_users=Count("users"))

    @admin.display(description=_("用户数"), ordering="n_users")
    def user_count(self, obj):
        return obj.n_users

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def audit_snapshot(self, obj) -> dict:
        return {"code": obj.code, "name": obj.name, "description": obj.description}


# --- Users ---------------------------------------------------------------------------------
@admin.register(User)
class YsUserAdmin(AuditedAdmin, UserAdmin):
    audit_name = "kernel.user"
    list_display = ("username", "real_name", "department", "role_names", "is_active", "is_staff", "last_login")
    list_filter = ("roles", "department__kind", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "real_name", "uscc", "organization_name")
    list_select_related = ("department",)
    ordering = ("username",)
    autocomplete_fields = ("department",)
    filter_horizontal = ("roles", "groups", "user_permissions")
    readonly_fields = ("id_number_masked", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("real_name", "id_number_masked", "phone", "email")}),
        (_("单位与角色"), {"fields": ("department", "roles", "organization_name", "uscc")}),
        (_("账号状态与后台权限"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": (
            "username", "real_name", "department", "roles", "usable_password", "password1", "password2")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("roles")

    @admin.display(description=_("角色"))
    def role_names(self, obj):
        return "、".join(role.name for role in obj.roles.all())

    def audit_snapshot(self, obj) -> dict:
        return {
            "username": obj.username, "real_name": obj.real_name, "phone": mask_text(obj.phone),
            "email": _mask_email(obj.email), "department": obj.department.code if obj.department_id else None,
            "roles": sorted(obj.roles.values_list("code", flat=True)), "uscc": obj.uscc,
            "organization_name": obj.organization_name, "is_active": obj.is_active, "is_staff": obj.is_staff,
            "is_superuser": obj.is_superuser,
        }

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = User.objects.get(pk=id)
                record("kernel.user.password_change", user, after={"password_changed": True,
                       "usable": user.has_usable_password()}, note=ADMIN_NOTE)
        return response


# --- API tokens ----------------------------------------------------------------------------
class TokenStatusFilter(admin.SimpleListFilter):
    title = _("状态")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return (("active", _("有效")), ("expired", _("已过期")), ("revoked", _("已吊销")))

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True).exclude(expires_at__lte=now)
        if self.value() == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ("name", "user", "expires_at")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("请填写令牌名称。"))
        return name

    def clean_expires_at(self):
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at and expires_at <= timezone.now():
            raise forms.ValidationError(_("过期时间必须晚于当前时间。"))
        return expires_at


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are issued and revoked through the org services (which audit); a token is never edited or deleted."""

    form = ApiTokenForm
    list_display = ("name", "user", "prefix_display", "status", "created_at", "expires_at", "last_used_at")
    list_filter = (TokenStatusFilter,)
    search_fields = ("name", "prefix", "user__username")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)
    actions = ("revoke_tokens",)
    readonly_fields = ("name", "user", "prefix_display", "status", "created_at", "expires_at", "last_used_at",
                       "revoked_at")

    def _allowed(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and access.has_perm(request.user, "kernel.manage_tokens")

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request) and obj is None  # the list's revoke action; a token itself is immutable

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: who held access, and when, stays on record

    def get_fields(self, request, obj=None):
        return ("name", "user", "expires_at") if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    @admin.display(description=_("前缀"), ordering="prefix")
    def prefix_display(self, obj):
        return f"{obj.prefix}…"

    @admin.display(description=_("状态"))
    def status(self, obj):
        if obj.revoked_at:
            return _("已吊销")
        if obj.expires_at and obj.expires_at <= timezone.now():
            return _("已过期")
        return _("有效")

    def save_model(self, request, obj, form, change):
        token, raw = do_issue_api_token(obj.user, obj.name, obj.expires_at)
        # The admin continues with `obj` (change log, redirect): make it the stored token.
        obj.pk, obj.prefix, obj.digest, obj.created_at = token.pk, token.prefix, token.digest, token.created_at
        obj._state.adding = False
        request._ys_issued_token = raw

    def response_add(self, request, obj, post_url_continue=None):
        """Show the token on this one response; it is stored nowhere (no message cookie, no session)."""
        raw = getattr(request, "_ys_issued_token", None)
        if raw is None:
            return super().response_add(request, obj, post_url_continue)
        context = {**self.admin_site.each_context(request), "opts": self.opts, "token": obj, "raw_token": raw,
                   "title": _("令牌已创建")}
        response = TemplateResponse(request, "admin/kernel/apitoken/token_created.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description=_("吊销所选令牌"))
    def revoke_tokens(self, request, queryset):
        with transaction.atomic():
            revoked = [do_revoke_api_token(t) for t in queryset.select_for_update().filter(revoked_at__isnull=True)]
        self.message_user(request, ngettext("已吊销 %(n)d 个令牌。", "已吊销 %(n)d 个令牌。", len(revoked))
                          % {"n": len(revoked)}, messages.SUCCESS)
