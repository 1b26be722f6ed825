"""Admin of versions: drafts are edited with their rows inline; published ones are read-only.

Publishing and retiring go through the services (actions with a date form), so the rules, the
validity windows, the search index and the audit trail stay right.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from yingshang.catalog import rules, services
from yingshang.catalog.admin.common import CatalogPermission, can_manage, run_service
from yingshang.catalog.checks import publish_problems
from yingshang.catalog.choices import ApplicantKind, Channel, Status
from yingshang.catalog.content import VERSION_FIELDS, content_of
from yingshang.catalog.models import Fee, JointDepartment, Material, ProcessStep, ServiceItemVersion
from yingshang.kernel.models import Department
from yingshang.kernel.services.audit import record

_STAFFED = (Department.Kind.DEPARTMENT, Department.Kind.CENTRE)


def _is_draft(obj) -> bool:
    return obj is None or obj.status == Status.DRAFT


class _DraftRowsInline(CatalogPermission, admin.TabularInline):
    """Rows of a version: editable while it is a draft, read-only afterwards."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return can_manage(request) and _is_draft(obj)

    def has_change_permission(self, request, obj=None):
        return can_manage(request) and _is_draft(obj)

    def has_delete_permission(self, request, obj=None):
        return can_manage(request) and _is_draft(obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "department":
            kwargs["queryset"] = Department.objects.filter(is_active=True, kind__in=_STAFFED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class JointDepartmentInline(_DraftRowsInline):
    model = JointDepartment
    fields = ("sort_order", "department", "responsibility")


class MaterialInline(_DraftRowsInline):
    model = Material
    fields = ("sort_order", "name", "form", "count", "required", "pending_allowed", "from_library", "elicense_type", "notes")


class FeeInline(_DraftRowsInline):
    model = Fee
    fields = ("sort_order", "name", "amount", "unit", "basis")


class ProcessStepInline(_DraftRowsInline):
    model = ProcessStep
    fields = ("stage", "sort_order", "name", "step_kind", "department", "limit_days")


class VersionForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(label=_("办理渠道"), choices=Channel.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)
    applicant_kinds = forms.MultipleChoiceField(label=_("服务对象"), choices=ApplicantKind.choices, required=False,
                                                widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ServiceItemVersion
        fields = (*VERSION_FIELDS, "halls", "change_note")  # the lifecycle changes only through the services


class PublishForm(forms.Form):
    valid_from = forms.DateField(label=_("生效日期"), help_text=_("不早于今天；上一版本在前一日失效"))


class RetireForm(forms.Form):
    on_date = forms.DateField(label=_("废止日期"), help_text=_("自该日起不再办理；前一日为最后有效日"))
    reason = forms.CharField(label=_("废止原因"), max_length=200, widget=forms.TextInput(attrs={"size": 60}))


CONTENT_FIELDSETS = (
    (_("事项（四同）"), {"fields": ("item", "name", "item_type", "legal_basis", "conditions", "result_name", "applicant_kinds")}),
    (_("办件类型与时限"), {"fields": ("kind", "statutory_limit_days", "committed_limit_days", "notify_and_commit")}),
    (_("四办与跑动次数"), {"fields": ("do_now", "do_online", "do_nearby", "do_once", "at_most_one_visit", "zero_visit",
                                 "visits_needed")}),
    (_("办理地点与方式"), {"fields": ("channels", "halls", "location_note", "service_hours", "consultation_phone",
                                 "complaint_phone")}),
    (_("版本"), {"fields": ("number", "status", "valid_from", "valid_to", "change_note", "publish_check",
                           "published_at", "retired_at", "retire_reason")}),
)
LIFECYCLE_READONLY = ("item", "number", "status", "valid_from", "valid_to", "publish_check", "published_at",
                      "retired_at", "retire_reason")


@admin.register(ServiceItemVersion)
class ServiceItemVersionAdmin(CatalogPermission, admin.ModelAdmin):
    form = VersionForm
    fieldsets = CONTENT_FIELDSETS
    inlines = (JointDepartmentInline, MaterialInline, FeeInline, ProcessStepInline)
    list_display = ("item", "name", "number", "item_type", "kind", "status", "valid_from", "valid_to",
                    "limits", "department")
    list_filter = ("item_type", "kind", "status", "item__level", ("item__department", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "item__code", "legal_basis")
    list_select_related = ("item", "item__department")
    filter_horizontal = ("halls",)
    actions = ("publish_versions", "retire_versions", "new_draft_from")
    ordering = ("item__code", "-number")

    def has_add_permission(self, request, obj=None):
        return False  # a version is a new draft of an item (item list action), never a free-standing row

    def has_change_permission(self, request, obj=None):
        # A published or retired version opens as a read-only view: there is nothing to save.
        return can_manage(request) and (obj is None or obj.status == Status.DRAFT)

    def has_delete_permission(self, request, obj=None):
        return can_manage(request) and (obj is None or obj.status == Status.DRAFT)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Status.DRAFT:
            return [f for _t, opts in CONTENT_FIELDSETS for f in opts["fields"]]
        return LIFECYCLE_READONLY

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "halls":
            kwargs["queryset"] = Department.objects.filter(kind=Department.Kind.HALL, is_active=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("实施部门"), ordering="item__department__name")
    def department(self, obj):
        return obj.item.department

    @admin.display(description=_("承诺/法定（工作日）"))
    def limits(self, obj):
        statutory = rules.effective_statutory_limit(obj.statutory_limit_days, obj.kind)
        saved = rules.compression(obj.statutory_limit_days, obj.committed_limit_days, obj.kind)
        default = "" if obj.statutory_limit_days is not None else "*"  # * = Art. 42's default
        return f"{obj.committed_limit_days} / {statutory}{default}（压缩 {saved:.0%}）"

    @admin.display(description=_("发布前检查"))
    def publish_check(self, obj):
        if obj is None or obj.pk is None or obj.status != Status.DRAFT:
            return "—"
        problems = publish_problems(content_of(obj), obj.item.department, obj.item.level)
        if not problems:
            return format_html('<span style="color:#17592e">{}</span>', _("符合全部规则，可以发布。"))
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((p.message,) for p in problems)))

    # --- Saving a draft: audited with its content before and after --------------------------------
    def save_model(self, request, obj, form, change):
        obj._audit_before = content_of(ServiceItemVersion.objects.get(pk=obj.pk)).comparable() if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        after = content_of(obj).comparable()
        if getattr(obj, "_audit_before", None) != after:
            record("catalog.version.update_draft", obj, before=obj._audit_before, after=after, note="后台管理")

    def delete_model(self, request, obj):
        services.do_delete_draft(obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            run_service(request, services.do_delete_draft, obj)

    # --- Actions -------------------------------------------------------------------------------------
    def _intermediate(self, request, queryset, form, title, action):
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form,
                   "queryset": queryset, "title": title, "action": action,
                   "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME}
        return TemplateResponse(request, "admin/catalog/version_action.html", context)

    @admin.action(description=_("发布所选草稿"))
    def publish_versions(self, request, queryset):
        form = PublishForm(request.POST if "apply" in request.POST else None,
                           initial={"valid_from": timezone.localdate()})
        if not form.is_valid():
            return self._intermediate(request, queryset, form, _("发布草稿"), "publish_versions")
        for version in queryset.select_related("item", "item__department"):
            run_service(request, services.do_publish, version, form.cleaned_data["valid_from"],
                        success=_("已发布 %(v)s。") % {"v": version})
        return None

    @admin.action(description=_("废止所选版本"))
    def retire_versions(self, request, queryset):
        form = RetireForm(request.POST if "apply" in request.POST else None, initial={"on_date": timezone.localdate()})
        if not form.is_valid():
            return self._intermediate(request, queryset, form, _("废止版本"), "retire_versions")
        for version in queryset:
            run_service(request, services.do_retire, version, form.cleaned_data["on_date"], form.cleaned_data["reason"],
                        success=_("已废止 %(v)s。") % {"v": version})
        return None

    @admin.action(description=_("基于所选版本新建草稿"))
    def new_draft_from(self, request, queryset):
        for version in queryset.select_related("item"):
            draft = run_service(request, services.do_create_draft, version.item, content_of(version),
                                change_note=f"基于第 {version.number} 版修订")
            if draft is not None:
                messages.success(request, _("已为 %(code)s 新建第 %(n)d 版草稿。")
                                 % {"code": version.item.code, "n": draft.number})
