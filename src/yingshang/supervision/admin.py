"""Admin: the city's supervision policy (administrators), and read-only views of ratings for support."""

from django.contrib import admin

from yingshang.kernel import access
from yingshang.kernel.services.audit import record
from yingshang.supervision.models import SupervisionPolicy


def _is_admin(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and access.has_role(user, access.ADMIN))


@admin.register(SupervisionPolicy)
class SupervisionPolicyAdmin(admin.ModelAdmin):
    """Rows are versions with an effective date: add a new one rather than editing the past."""

    list_display = ("valid_from", "rectification_days", "weight_on_time", "weight_satisfaction", "weight_rectification",
                    "source")
    ordering = ("-valid_from",)

    def has_module_permission(self, request):
        return _is_admin(request)

    def has_view_permission(self, request, obj=None):
        return _is_admin(request)

    def has_add_permission(self, request):
        return _is_admin(request)

    def has_change_permission(self, request, obj=None):
        return _is_admin(request)

    def has_delete_permission(self, request, obj=None):
        return _is_admin(request)

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            stored = SupervisionPolicy.objects.filter(pk=obj.pk).first()
            before = _summary(stored) if stored else None
        super().save_model(request, obj, form, change)
        record("supervision.policy.update" if change else "supervision.policy.create", obj, before=before,
               after=_summary(obj))

    def delete_model(self, request, obj):
        record("supervision.policy.delete", obj, before=_summary(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record("supervision.policy.delete", obj, before=_summary(obj))
        super().delete_queryset(request, queryset)


def _summary(policy: SupervisionPolicy) -> dict:
    return {"valid_from": policy.valid_from, "rectification_days": policy.rectification_days,
            "weights": policy.weights, "source": policy.source}
