"""Back office: the procedures' limits and the must-tender thresholds (rules as data, every save audited).
Projects and lots change through the services only, so they are read-only here."""

from django.contrib import admin
from django.forms.models import model_to_dict

from yingshang.kernel.services.audit import record
from yingshang.trading.models import Lot, MustTenderThreshold, Procedure, TenderProject


class AuditedAdmin(admin.ModelAdmin):
    audit_name = ""

    def _summary(self, obj) -> dict:
        return {k: str(v) if v is not None else None for k, v in model_to_dict(obj).items()}

    def save_model(self, request, obj, form, change):
        stored = type(obj).objects.filter(pk=obj.pk).first() if change else None
        before = self._summary(stored) if stored else None
        super().save_model(request, obj, form, change)
        record(f"trading.{self.audit_name}.{'update' if change else 'create'}", obj, before=before,
               after=self._summary(obj))

    def delete_model(self, request, obj):
        record(f"trading.{self.audit_name}.delete", obj, before=self._summary(obj))
        super().delete_model(request, obj)


@admin.register(Procedure)
class ProcedureAdmin(AuditedAdmin):
    audit_name = "procedure"
    list_display = ("name", "code", "regime", "effective_from", "effective_to", "min_document_days",
                    "document_day_kind", "min_sale_days", "sale_day_kind", "prequalification_allowed", "min_bidders")
    list_filter = ("regime",)
    search_fields = ("code", "name", "source")


@admin.register(MustTenderThreshold)
class MustTenderThresholdAdmin(AuditedAdmin):
    audit_name = "threshold"
    list_display = ("lot_type", "amount", "effective_from", "effective_to", "source")
    list_filter = ("lot_type",)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TenderProject)
class TenderProjectAdmin(ReadOnly):
    list_display = ("name", "approval_no", "tenderer_name", "regulator", "created_at")
    search_fields = ("name", "approval_no", "tenderer_name", "tenderer_uscc")
    list_select_related = ("regulator",)


@admin.register(Lot)
class LotAdmin(ReadOnly):
    list_display = ("name", "project", "procedure", "lot_type", "estimated_price", "status", "bid_deadline")
    list_filter = ("status", "lot_type")
    search_fields = ("name", "project__name")
    list_select_related = ("project", "procedure")
