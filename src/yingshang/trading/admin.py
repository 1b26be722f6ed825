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


# --- Expert database and draw (issue 12 §6) --------------------------------------------------------------
from yingshang.trading.models import Expert as _Expert  # noqa: E402
from yingshang.trading.models import ExpertDraw, ExpertSanction, Specialty  # noqa: E402


@admin.register(Specialty)
class SpecialtyAdmin(RulesAdmin):
    """The classification is data: the centre edits it here, every save audited."""

    audit_name = "trading.specialty"
    list_display = ("code", "name", "parent", "active")
    list_filter = ("active",)
    search_fields = ("code", "name")
    list_select_related = ("parent",)


@admin.register(_Expert)
class ExpertAdmin(ReadOnlyAdmin):
    """Experts change through the services (verification, audit); the ID number is never here, only its mask."""

    list_display = ("name", "id_masked", "employer_name", "region", "status", "verification", "suspended_until")
    list_filter = ("status", "verification")
    search_fields = ("name", "employer_name", "employer_uscc")
    exclude = ("id_digest", "phone")


@admin.register(ExpertSanction)
class ExpertSanctionAdmin(ReadOnlyAdmin):
    list_display = ("expert", "kind", "document_no", "starts_on", "ends_on")
    list_filter = ("kind",)
    list_select_related = ("expert",)


@admin.register(ExpertDraw)
class ExpertDrawAdmin(ReadOnlyAdmin):
    list_display = ("lot", "status", "evaluation_on", "created_at")
    list_filter = ("status",)
    exclude = ("requirements",)
