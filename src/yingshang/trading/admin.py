"""Back office: the procedures' limits and the must-tender thresholds (rules as data, every save audited).
Projects and lots change through the services only, so they are read-only here."""

from django.contrib import admin
from django.forms.models import model_to_dict

from yingshang.kernel.admin.org import AuditedAdmin, ReadOnlyAdmin
from yingshang.trading.models import Bid, Lot, MustTenderThreshold, Procedure, TenderProject


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


# --- Bid bonds (appended by the bonds work): the rule tables as data, audited; bonds and refunds read-only ---
from yingshang.trading.models import Bond, BondCap, BondReduction, DepositRate, Refund, SimulatedGuarantee  # noqa: E402


@admin.register(BondCap)
class BondCapAdmin(RulesAdmin):
    audit_name = "trading.bondcap"
    list_display = ("lot_type", "rate", "max_amount", "effective_from", "effective_to", "source")
    list_filter = ("lot_type",)


@admin.register(BondReduction)
class BondReductionAdmin(RulesAdmin):
    audit_name = "trading.bondreduction"
    list_display = ("grade", "percent", "effective_from", "effective_to", "source")


@admin.register(DepositRate)
class DepositRateAdmin(RulesAdmin):
    audit_name = "trading.depositrate"
    list_display = ("annual_percent", "effective_from", "source")


@admin.register(SimulatedGuarantee)
class SimulatedGuaranteeAdmin(RulesAdmin):
    """The simulated issuers' registry: demo staff add guarantees here for bidders to enter."""

    audit_name = "trading.simulatedguarantee"
    list_display = ("guarantee_no", "issuer_name", "kind", "applicant_uscc", "lot_ref", "amount", "valid_to", "revoked")
    search_fields = ("guarantee_no", "applicant_uscc", "lot_ref")


@admin.register(Bond)
class BondAdmin(ReadOnlyAdmin):
    list_display = ("bidder_name", "lot", "grade", "percent", "method", "secured_at")
    search_fields = ("bidder_name", "bidder_uscc", "sub_account_no")
    list_select_related = ("lot", "lot__project")


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("bond", "reason", "due_on", "principal", "interest", "status", "overdue", "paid_at")
    list_filter = ("status", "overdue", "reason")
    list_select_related = ("bond",)

# --- The award work (§8–§9): read-only; they change through the services, and the archive never does ---------
from yingshang.trading.models import (  # noqa: E402
    Archive,
    AwardDecision,
    Complaint,
    Contract,
    Publicity,
    ResultObjection,
)


@admin.register(Publicity)
class PublicityAdmin(ReadOnlyAdmin):
    list_display = ("lot", "report_on", "starts_on", "ends_on", "award_method")
    list_select_related = ("lot__project",)


@admin.register(ResultObjection)
class ResultObjectionAdmin(ReadOnlyAdmin):
    list_display = ("lot", "bidder_name", "raised_on", "answer_due", "status")
    list_filter = ("status",)
    list_select_related = ("lot__project",)


@admin.register(AwardDecision)
class AwardDecisionAdmin(ReadOnlyAdmin):
    list_display = ("lot", "method", "winner_name", "price", "decided_on", "contract_due")
    list_filter = ("method",)
    list_select_related = ("lot__project",)


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ("lot", "signed_on", "price", "uploaded_at")
    list_select_related = ("lot__project",)


@admin.register(Archive)
class ArchiveAdmin(ReadOnlyAdmin):
    list_display = ("lot", "manifest_sha256", "audit_seq", "archived_at")
    list_select_related = ("lot__project",)


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ("complainant_name", "lot", "matter", "status", "accept_by", "decide_by", "malicious")
    list_filter = ("status", "matter", "malicious")
    search_fields = ("complainant_name", "complainant_uscc")
    list_select_related = ("lot__project",)

@admin.register(Bid)
class BidAdmin(ReadOnlyAdmin):
    """Sealed bids: the register only (who, when, hash); the content is ciphertext the platform cannot read."""

    list_display = ("receipt_no", "bidder_name", "lot", "status", "version", "submitted_at", "sha256", "size")
    list_filter = ("status",)
    search_fields = ("receipt_no", "bidder_name", "bidder_uscc", "sha256")
    list_select_related = ("lot", "lot__project")
    exclude = ("sealed_path",)

# --- Evaluation (评标): the methods are rules as data; the evaluations change through the services only ----
from yingshang.trading.models import EvaluationMethod, EvaluationPlan, EvaluationReport  # noqa: E402


@admin.register(EvaluationMethod)
class EvaluationMethodAdmin(RulesAdmin):
    audit_name = "trading.evaluation_method"
    list_display = ("name", "code", "regime", "effective_from", "effective_to", "price_formula", "min_credit_weight",
                    "outlier_share")
    list_filter = ("regime",)


@admin.register(EvaluationPlan)
class EvaluationPlanAdmin(ReadOnlyAdmin):
    list_display = ("lot", "method", "technical_weight", "commercial_weight", "price_weight", "credit_weight",
                    "ranked", "started_at")
    list_select_related = ("lot__project", "method")


@admin.register(EvaluationReport)
class EvaluationReportAdmin(ReadOnlyAdmin):
    list_display = ("lot", "status", "drafted_at", "done_at", "sha256")
    list_select_related = ("lot__project",)

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
