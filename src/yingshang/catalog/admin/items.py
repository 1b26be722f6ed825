"""Admin of service items: the list with each item's version in force, adding an item, Excel in and out."""

from __future__ import annotations

import io

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from yingshang.catalog import excel, rules, services
from yingshang.catalog.admin.common import CatalogPermission, can_manage, run_service
from yingshang.catalog.checks import department_problems
from yingshang.catalog.choices import ItemType, Kind, Status
from yingshang.catalog.content import VersionContent
from yingshang.catalog.models import ServiceItem, ServiceItemVersion
from yingshang.kernel.models import Department
from yingshang.kernel.services.audit import record

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ItemForm(forms.ModelForm):
    """Adding asks for the first draft's name and type too; the rest is edited on that draft."""

    name = forms.CharField(label=_("事项名称"), max_length=200, required=False)
    item_type = forms.ChoiceField(label=_("事项类型"), choices=ItemType.choices, required=False)

    class Meta:
        model = ServiceItem
        fields = ("code", "level", "department")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "department" in self.fields:
            self.fields["department"].queryset = Department.objects.filter(
                is_active=True, kind__in=(Department.Kind.DEPARTMENT, Department.Kind.CENTRE))

    def clean(self):
        data = super().clean()
        dept, level = data.get("department"), data.get("level") or (self.instance.level if self.instance.pk else None)
        if dept is not None and level:
            for problem in department_problems(dept, level):
                self.add_error("department", problem.message)
        if not self.instance.pk:
            if not data.get("name"):
                self.add_error("name", _("新建事项须填写事项名称"))
            if not data.get("item_type"):
                self.add_error("item_type", _("新建事项须选择事项类型"))
        return data

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if not rules.valid_item_code(code):
            raise forms.ValidationError(_("事项编码格式不正确：应为 4–64 位大写字母、数字或连字符。"))
        if ServiceItem.objects.filter(code=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("该事项编码已存在。"))
        return code


class VersionInline(CatalogPermission, admin.TabularInline):
    model = ServiceItemVersion
    fields = ("link", "name", "status", "valid_from", "valid_to", "change_note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    ordering = ("-number",)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("版本"))
    def link(self, obj):
        url = reverse("admin:catalog_serviceitemversion_change", args=[obj.pk])
        return format_html('<a href="{}">第 {} 版</a>', url, obj.number)


class _AnnotatedFilter(admin.SimpleListFilter):
    field = ""
    options: list = []  # (value, label); not `choices`, which SimpleListFilter uses for its links

    def lookups(self, request, model_admin):
        return self.options

    def queryset(self, request, queryset):
        return queryset.filter(**{self.field: self.value()}) if self.value() else queryset


class ItemTypeFilter(_AnnotatedFilter):
    title, parameter_name, field, options = _("事项类型（现行版本）"), "type", "current_type", ItemType.choices


class KindFilter(_AnnotatedFilter):
    title, parameter_name, field, options = _("办件类型（现行版本）"), "kind", "current_kind", Kind.choices


class StateFilter(admin.SimpleListFilter):
    title, parameter_name = _("状态"), "state"

    def lookups(self, request, model_admin):
        return [("in_force", _("有现行版本")), ("not_in_force", _("无现行版本（未发布或已废止）")), ("draft", _("有草稿"))]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "in_force":
            return queryset.filter(current_name__isnull=False)
        if value == "not_in_force":
            return queryset.filter(current_name__isnull=True)
        if value == "draft":
            return queryset.filter(has_draft=True)
        return queryset


@admin.register(ServiceItem)
class ServiceItemAdmin(CatalogPermission, admin.ModelAdmin):
    form = ItemForm
    inlines = (VersionInline,)
    list_display = ("code", "display_name", "department", "level", "type_label", "kind_label", "draft_flag", "n_versions")
    list_filter = (ItemTypeFilter, KindFilter, StateFilter, "level", ("department", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "versions__name", "department__name")
    list_select_related = ("department",)
    actions = ("export_selected", "new_drafts")
    change_list_template = "admin/catalog/serviceitem/change_list.html"

    def get_fields(self, request, obj=None):
        return ("code", "level", "department") if obj else ("code", "level", "department", "name", "item_type")

    def get_readonly_fields(self, request, obj=None):
        return ("code",) if obj else ()

    def get_queryset(self, request):
        current = (ServiceItemVersion.objects.filter(services.in_force_q(timezone.localdate()), item=OuterRef("pk"))
                   .order_by("-valid_from", "-number"))
        latest = ServiceItemVersion.objects.filter(item=OuterRef("pk")).order_by("-number")
        return super().get_queryset(request).annotate(
            current_name=Subquery(current.values("name")[:1]), current_type=Subquery(current.values("item_type")[:1]),
            current_kind=Subquery(current.values("kind")[:1]), latest_name=Subquery(latest.values("name")[:1]),
            has_draft=Exists(ServiceItemVersion.objects.filter(item=OuterRef("pk"), status=Status.DRAFT)),
            n=Count("versions", distinct=True))

    @admin.display(description=_("事项名称（现行版本）"), ordering="current_name")
    def display_name(self, obj):
        return obj.current_name or format_html("<em>{}</em>（{}）", obj.latest_name or "—", _("无现行版本"))

    @admin.display(description=_("事项类型"))
    def type_label(self, obj):
        return ItemType(obj.current_type).label if obj.current_type else "—"

    @admin.display(description=_("办件类型"))
    def kind_label(self, obj):
        return Kind(obj.current_kind).label if obj.current_kind else "—"

    @admin.display(description=_("草稿"), boolean=True)
    def draft_flag(self, obj):
        return obj.has_draft

    @admin.display(description=_("版本数"), ordering="n")
    def n_versions(self, obj):
        return obj.n

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            content = VersionContent(fields={"name": data["name"], "item_type": data["item_type"]})
            version = services.do_create_item(obj.code, obj.level, obj.department, content, "后台新建")
            obj.pk, obj._state.adding = version.item_id, False
            return
        before = ServiceItem.objects.select_related("department").get(pk=obj.pk)
        super().save_model(request, obj, form, change)
        if (before.department_id, before.level) != (obj.department_id, obj.level):
            record("catalog.item.update", obj, before={"department": before.department.code, "level": before.level},
                   after={"department": obj.department.code, "level": obj.level}, note="后台管理")

    def has_delete_permission(self, request, obj=None):
        # Cases and statistics point at items; an item that was never published just stays out of the guide.
        return False

    # --- Actions ------------------------------------------------------------------------------------
    @admin.action(description=_("导出所选事项的现行版本（Excel）"))
    def export_selected(self, request, queryset):
        return _xlsx_response(list(queryset.values_list("code", flat=True)))

    @admin.action(description=_("为所选事项新建草稿（复制最新版本）"))
    def new_drafts(self, request, queryset):
        made = 0
        for item in queryset:
            if run_service(request, services.do_create_draft, item, change_note="后台新建草稿") is not None:
                made += 1
        if made:
            messages.success(request, _("已新建 %(n)d 个草稿。") % {"n": made})

    # --- Excel pages ----------------------------------------------------------------------------------
    def get_urls(self):
        view = self.admin_site.admin_view
        return [path("import/", view(self.import_view), name="catalog_serviceitem_import"),
                path("export/", view(self.export_view), name="catalog_serviceitem_export"), *super().get_urls()]

    def export_view(self, request):
        if not can_manage(request):
            raise PermissionDenied
        return _xlsx_response(None)

    def import_view(self, request):
        if not can_manage(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = excel.import_catalog(upload, publish=form.cleaned_data["publish"],
                                              dry_run=form.cleaned_data["dry_run"])
            except excel.WorkbookUnreadable as exc:
                form.add_error("file", str(exc))
            if report is not None and report.ok and not report.dry_run:
                data = report.as_dict()
                messages.success(request, _("导入完成：新建 %(c)d，新草稿 %(n)d，更新草稿 %(u)d，未变化 %(s)d，发布 %(p)d。") % {
                    "c": data["created"], "n": data["new_drafts"], "u": data["updated_drafts"], "s": data["unchanged"],
                    "p": data["published"]})
                return redirect("admin:catalog_serviceitem_changelist")
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "form": form, "report": report,
                   "summary": report.as_dict() if report else None, "title": _("从 Excel 导入事项")}
        return TemplateResponse(request, "admin/catalog/import.html", context)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"), help_text=_("格式与“导出”的文件相同；先导出一份作为模板。"))
    publish = forms.BooleanField(label=_("导入后立即发布（生效日期为今天）"), required=False)
    dry_run = forms.BooleanField(label=_("仅校验，不写入"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("文件超过 20 MB。"))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("请上传 .xlsx 格式的文件。"))
        return upload


def _xlsx_response(codes: list[str] | None) -> HttpResponse:
    buffer = io.BytesIO()
    excel.export_catalog(buffer, codes=codes)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    name = f"catalog-{timezone.localdate().isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
