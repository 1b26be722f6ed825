"""Back-office admin of the credit data (zh-hans).

List types and memoranda with their measures are edited here (audited). Collected records, import
batches, list entries and feedback are read-only: they change only through the services (import,
designation, removal), which validate, lock and audit. Personal numbers are never shown: subjects
show the masked form; digests and ciphertexts are not displayed at all.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yingshang.credit.choices import PUNISHMENT_ACTIONS, REWARD_ACTIONS, Effect, ListKind, Scenario
from yingshang.credit.models import (
    Feedback,
    ImportBatch,
    LicenseRecord,
    ListEntry,
    ListType,
    Measure,
    Memorandum,
    OtherRecord,
    PenaltyRecord,
    Subject,
)
from yingshang.credit.services import common
from yingshang.kernel import access
from yingshang.kernel.admin.org import AuditedAdmin


def _allowed(request, permission: str) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and access.has_perm(user, permission))


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible to credit staff with admin access; nothing added, changed or deleted here."""

    permission = common.VIEW

    def has_module_permission(self, request):
        return _allowed(request, self.permission)

    def has_view_permission(self, request, obj=None):
        return _allowed(request, self.permission)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ManagedAdmin(AuditedAdmin):
    """Edited by the credit office (credit.manage_lists); deleting is refused (referenced history)."""

    def has_module_permission(self, request):
        return _allowed(request, common.MANAGE_LISTS)

    def has_view_permission(self, request, obj=None):
        return _allowed(request, common.MANAGE_LISTS)

    def has_add_permission(self, request, obj=None):
        return _allowed(request, common.MANAGE_LISTS)

    def has_change_permission(self, request, obj=None):
        return _allowed(request, common.MANAGE_LISTS)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Subject)
class SubjectAdmin(ReadOnlyAdmin):
    list_display = ("display_name", "kind", "id_kind", "id_display", "updated_at")
    list_filter = ("kind", "id_kind")
    search_fields = ("=id_display", "name")
    fields = ("kind", "display_name", "id_kind", "id_display", "created_at", "updated_at")
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("名称"))
    def display_name(self, obj):
        return obj.display_name


class RecordAdmin(ReadOnlyAdmin):
    list_display = ("document_no", "subject_name_shown", "department", "decision_date", "is_late", "published",
                    "publication_end")
    list_filter = ("is_late", "published", "record_status")
    search_fields = ("=document_no",)
    list_select_related = ("department", "subject")
    exclude = ("legal_rep_id_digest", "subject_name")
    readonly_fields = ("subject_name_shown",)
    show_full_result_count = False
    date_hierarchy = "decision_date"

    @admin.display(description=_("行政相对人名称"))
    def subject_name_shown(self, obj):
        return obj.subject.display_name if obj.subject.kind == "natural_person" else obj.subject_name


@admin.register(LicenseRecord)
class LicenseRecordAdmin(RecordAdmin):
    pass


@admin.register(PenaltyRecord)
class PenaltyRecordAdmin(RecordAdmin):
    list_display = (*RecordAdmin.list_display, "severity", "publication_rule")
    list_filter = (*RecordAdmin.list_filter, "severity", "domain")


@admin.register(OtherRecord)
class OtherRecordAdmin(RecordAdmin):
    exclude = ("subject_name",)
    list_filter = (*RecordAdmin.list_filter, "kind")


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ("pk", "department", "kind", "source", "file_name", "status", "accepted", "rejected", "late",
                    "created_at")
    list_filter = ("status", "kind", "source")
    list_select_related = ("department",)
    exclude = ("stored_path", "corrections_path")


@admin.register(ListType)
class ListTypeAdmin(ManagedAdmin):
    audit_name = "credit.list_type"
    list_display = ("name", "code", "list_kind", "domain", "designating_authority", "designating_department",
                    "default_validity_months", "published", "is_active")
    list_filter = ("list_kind", "is_active", "published")
    search_fields = ("name", "code")

    def audit_snapshot(self, obj) -> dict:
        return {"code": obj.code, "name": obj.name, "list_kind": obj.list_kind, "domain": obj.domain,
                "designating_authority": obj.designating_authority,
                "designating_department": obj.designating_department_id, "legal_basis": obj.legal_basis,
                "default_validity_months": obj.default_validity_months, "published": obj.published,
                "is_active": obj.is_active}


@admin.register(ListEntry)
class ListEntryAdmin(ReadOnlyAdmin):
    list_display = ("list_type", "subject_shown", "department", "status", "valid_from", "valid_until", "published")
    list_filter = ("list_kind", "status", "list_type")
    list_select_related = ("list_type", "subject", "department")
    exclude = ("subject",)
    readonly_fields = ("subject_shown",)
    show_full_result_count = False

    @admin.display(description=_("信用主体"))
    def subject_shown(self, obj):
        return f"{obj.subject.display_name}（{obj.subject.id_display}）"


class MeasureForm(forms.ModelForm):
    scenarios = forms.MultipleChoiceField(label=_("适用场景"), choices=Scenario.choices,
                                          widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Measure
        fields = ("number", "content", "effect", "action", "scenarios", "applying_departments", "departments",
                  "legal_basis", "is_active")

    def clean(self):
        data = super().clean()
        effect, action = data.get("effect"), data.get("action")
        if effect == Effect.REWARD and action and action not in REWARD_ACTIONS:
            self.add_error("action", _("激励措施的处理方式应为优先办理、绿色通道或简化程序"))
        if effect == Effect.PUNISHMENT and action and action not in PUNISHMENT_ACTIONS:
            self.add_error("action", _("惩戒措施的处理方式应为限制或禁止、提示与审慎核查"))
        return data


class MeasureInline(admin.StackedInline):
    model = Measure
    form = MeasureForm
    extra = 0
    filter_horizontal = ("departments",)

    def has_delete_permission(self, request, obj=None):
        return False  # feedback refers to measures: switch one off instead


class MemorandumForm(forms.ModelForm):
    class Meta:
        model = Memorandum
        fields = ("code", "title", "document_no", "issuers", "signed_on", "effective_from", "effective_to", "list_types",
                  "is_active", "notes")

    def clean_list_types(self):
        types = self.cleaned_data.get("list_types")
        kinds = {t.list_kind for t in types or ()}
        if ListKind.RED in kinds and kinds - {ListKind.RED}:
            raise forms.ValidationError(_("同一备忘录不能同时适用红名单与黑名单/重点关注名单"))
        return types


@admin.register(Memorandum)
class MemorandumAdmin(ManagedAdmin):
    audit_name = "credit.memorandum"
    form = MemorandumForm
    inlines = (MeasureInline,)
    list_display = ("title", "code", "document_no", "effective_from", "is_active")
    list_filter = ("is_active",)
    search_fields = ("title", "code", "document_no")
    filter_horizontal = ("list_types",)

    def audit_snapshot(self, obj) -> dict:
        return {"code": obj.code, "title": obj.title, "document_no": obj.document_no, "is_active": obj.is_active,
                "effective_from": obj.effective_from, "effective_to": obj.effective_to,
                "list_types": sorted(obj.list_types.values_list("code", flat=True)) if obj.pk else [],
                "measures": [(m.number, m.effect, m.action, sorted(m.scenarios), m.is_active)
                             for m in obj.measures.all()] if obj.pk else []}


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ("recorded_at", "measure", "department", "scenario", "outcome", "reference")
    list_filter = ("scenario", "outcome")
    list_select_related = ("measure", "measure__memorandum", "department")
    exclude = ("subject",)


# Scoring tables (issue 4 §9) live in their own module, registered on import.
from yingshang.credit import admin_scores  # noqa: E402,F401


def _register_objections() -> None:
    """Objections, repairs and commitments (issue 4 §7, §10): read-only, in their own module."""
    from yingshang.credit import admin_objections  # noqa: F401


_register_objections()
