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


# --- Announcements, documents, downloads, clarifications, objections (issue 12 §2): read-only, the
# services change them (a published announcement or a download log is never edited).
from yingshang.trading.models import (  # noqa: E402
    Announcement,
    Clarification,
    DocumentDownload,
    DocumentObjection,
    TenderDocument,
)


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "procedure_name", "division_code", "published_at")
    list_filter = ("kind", "lot_type")
    search_fields = ("title", "tenderer_name")
    raw_id_fields = ("lot",)


@admin.register(TenderDocument)
class TenderDocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "lot", "version", "current", "sha256", "created_at")
    list_select_related = ("lot", "lot__project")


@admin.register(DocumentDownload)
class DocumentDownloadAdmin(ReadOnlyAdmin):
    list_display = ("organization_name", "uscc", "lot", "sha256", "downloaded_at")
    search_fields = ("uscc", "organization_name")
    list_select_related = ("lot", "lot__project")


@admin.register(Clarification)
class ClarificationAdmin(ReadOnlyAdmin):
    list_display = ("lot", "affects_preparation", "deadline_before", "deadline_after", "issued_at")
    list_select_related = ("lot", "lot__project")


@admin.register(DocumentObjection)
class DocumentObjectionAdmin(ReadOnlyAdmin):
    list_display = ("lot", "organization_name", "status", "answer_due", "answered_at")
    list_filter = ("status",)
    list_select_related = ("lot", "lot__project")
