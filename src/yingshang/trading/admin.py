"""Back office: the procedures' limits and the must-tender thresholds (rules as data, every save audited).
Projects and lots change through the services only, so they are read-only here."""

from django.contrib import admin
from django.forms.models import model_to_dict

from yingshang.kernel.admin.org import AuditedAdmin, ReadOnlyAdmin
from yingshang.trading.models import Lot, MustTenderThreshold, Procedure, TenderProject


class RulesAdmin(AuditedAdmin):
    """Rules as data: every save and delete is an audit entry with the row's fields."""

    def audit_snapshot(self, obj) -> dict:
        return {k: str(v) if v is not None else None for k, v in model_to_dict(obj).items()}


@admin.register(Procedure)
class ProcedureAdmin(RulesAdmin):
    audit_name = "trading.procedure"
    list_display = ("name", "code", "regime", "effective_from", "effective_to", "min_document_days",
                    "document_day_kind", "min_sale_days", "sale_day_kind", "prequalification_allowed", "min_bidders")
    list_filter = ("regime",)
    search_fields = ("code", "name", "source")


@admin.register(MustTenderThreshold)
class MustTenderThresholdAdmin(RulesAdmin):
    audit_name = "trading.threshold"
    list_display = ("lot_type", "amount", "effective_from", "effective_to", "source")
    list_filter = ("lot_type",)


@admin.register(TenderProject)
class TenderProjectAdmin(ReadOnlyAdmin):
    list_display = ("name", "approval_no", "tenderer_name", "regulator", "created_at")
    search_fields = ("name", "approval_no", "tenderer_name", "tenderer_uscc")
    list_select_related = ("regulator",)


@admin.register(Lot)
class LotAdmin(ReadOnlyAdmin):
    list_display = ("name", "project", "procedure", "lot_type", "estimated_price", "status", "bid_deadline")
    list_filter = ("status", "lot_type")
    search_fields = ("name", "project__name")
    list_select_related = ("project", "procedure")


# --- The opening (appended by the opening work): read-only, the hall's services change these rows ----------
from yingshang.trading.models import Attendance, OpeningObjection, OpeningPlan  # noqa: E402


@admin.register(OpeningPlan)
class OpeningPlanAdmin(ReadOnlyAdmin):
    list_display = ("lot", "opened_at", "drawn_at", "decrypt_until", "closed_at", "published_at", "failed_reason")
    list_select_related = ("lot", "lot__project")
    exclude = ("seed",)  # shown on the hall page once drawn, never here before
    search_fields = ("lot__name", "lot__project__name", "commitment")


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ("lot", "kind", "organisation", "name", "signed_in_at")
    list_filter = ("kind",)
    list_select_related = ("lot", "lot__project")


@admin.register(OpeningObjection)
class OpeningObjectionAdmin(ReadOnlyAdmin):
    list_display = ("lot", "bid", "raised_at", "answered_at")
    list_select_related = ("lot", "lot__project", "bid")
