"""Back-office views of objections, repairs and commitments: read-only (they change only through the
services, which lock the row, check the state and audit). Personal numbers appear masked only."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yingshang.credit.admin import ReadOnlyAdmin
from yingshang.credit.models import Commitment, Objection, Repair


class SubjectShown:
    @admin.display(description=_("信用主体"))
    def subject_shown(self, obj):
        return f"{obj.subject.display_name}（{obj.subject.id_display}）"


class HandlingAdmin(SubjectShown, ReadOnlyAdmin):
    list_display = ("number", "subject_shown", "target_label", "department", "status", "filed_at", "deadline")
    list_filter = ("status", "target_kind")
    list_select_related = ("subject", "department")
    search_fields = ("number",)
    exclude = ("subject", "evidence")
    readonly_fields = ("subject_shown",)
    ordering = ("status", "deadline")


@admin.register(Objection)
class ObjectionAdmin(HandlingAdmin):
    pass


@admin.register(Repair)
class RepairAdmin(HandlingAdmin):
    pass


@admin.register(Commitment)
class CommitmentAdmin(SubjectShown, ReadOnlyAdmin):
    list_display = ("number", "subject_shown", "kind_label", "department", "status", "signed_at", "due_on")
    list_filter = ("status", "source", "kind")
    list_select_related = ("subject", "department")
    search_fields = ("number", "case_no", "reference")
    exclude = ("subject", "breach_record")
    readonly_fields = ("subject_shown",)
