"""Admin of themes (主题服务): name, audience, order and the items a theme groups; every save is audited."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from yingshang.catalog.admin.common import CatalogPermission
from yingshang.catalog.models import Theme
from yingshang.catalog.services import theme_summary
from yingshang.kernel.services.audit import record


@admin.register(Theme)
class ThemeAdmin(CatalogPermission, admin.ModelAdmin):
    list_display = ("name", "code", "audience", "sort_order", "is_active", "n_items")
    list_display_links = ("name",)
    list_editable = ("sort_order", "is_active")
    list_filter = ("audience", "is_active")
    search_fields = ("name", "code", "summary")
    autocomplete_fields = ("items",)
    fields = ("code", "name", "audience", "summary", "sort_order", "is_active", "items")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("items"))

    @admin.display(description=_("事项数"), ordering="n")
    def n_items(self, obj):
        return obj.n

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()  # the code is in links (/guide/?theme=…)

    # The items are saved after the theme (save_related), so the audit entry is written there.
    def save_model(self, request, obj, form, change):
        obj._audit_before = theme_summary(Theme.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        after = theme_summary(obj)
        if after != obj._audit_before:
            record("catalog.theme.update" if change else "catalog.theme.create", obj, before=obj._audit_before,
                   after=after, note="后台管理")

    def delete_model(self, request, obj):
        before = theme_summary(obj)
        pk = obj.pk
        super().delete_model(request, obj)
        record("catalog.theme.delete", object_type="catalog.theme", object_id=pk, before=before, note="后台管理")

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
