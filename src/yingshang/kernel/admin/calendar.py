"""Admin for the working-day calendar: each official year with its holidays and 调休 days inline.

Only holders of `kernel.manage_calendar` see it. Every save and delete writes an audit entry with the
year's schedule before and after, in the admin's transaction; the signals in
`services.calendar_index` make this process rebuild its working-day index at once (other processes
notice within CALENDAR_RECHECK_SECONDS).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from yingshang.kernel import access
from yingshang.kernel.models import CalendarDay, CalendarYear
from yingshang.kernel.rules import calendar as rules
from yingshang.kernel.services.audit import record
from yingshang.kernel.services.calendar import WEEKDAYS, WORKDAY

ADMIN_NOTE = "后台管理"


def _day_error(day, kind, year: int | None) -> str | None:
    """The same checks as a file import (services.calendar.check_rows), for one admin row."""
    if day is None:
        return None
    if year is not None and day.year != year:
        return _("日期 %(date)s 不属于 %(year)s 年。") % {"date": day.isoformat(), "year": year}
    if kind == WORKDAY and day.weekday() < 5:
        return _("%(date)s 是星期%(wd)s，本来就是工作日；只有星期六、星期日才能标为调休上班。") % {
            "date": day.isoformat(), "wd": WEEKDAYS[day.weekday()]}
    return None


def _snapshot(year: CalendarYear) -> dict:
    rows = year.days.order_by("date").values_list("date", "kind", "name")
    return {"year": year.year, "source": year.source,
            "days": [f"{d.isoformat()} {k} {n}".strip() for d, k, n in rows]}


class _CalendarPermission:
    def _allowed(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and access.has_perm(user, "kernel.manage_calendar")

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


class CalendarDayFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        year = self.instance.year
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("DELETE"):
                continue
            message = _day_error(data.get("date"), data.get("kind"), year)
            if message:
                form.add_error("date", message)


class CalendarDayInline(_CalendarPermission, admin.TabularInline):
    model = CalendarDay
    formset = CalendarDayFormSet
    fields = ("date", "kind", "name")
    ordering = ("date",)
    extra = 0


class CalendarYearForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ("year", "source")

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not rules.FIRST_YEAR <= year <= rules.LAST_YEAR:
            raise forms.ValidationError(_("年份应在 %(first)s 至 %(last)s 之间。")
                                        % {"first": rules.FIRST_YEAR, "last": rules.LAST_YEAR})
        return year


class _Audited:
    """Snapshot before the save, record after the inline rows are saved too (save_related)."""

    audit_name = ""

    def snapshot(self, obj) -> dict:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        obj._audit_before = self.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before, after = getattr(obj, "_audit_before", None), self.snapshot(obj)
        if before != after:
            action = "update" if before is not None else "create"
            record(f"{self.audit_name}.{action}", obj, before=before, after=after, note=ADMIN_NOTE)

    def delete_model(self, request, obj):
        before, pk = self.snapshot(obj), obj.pk
        super().delete_model(request, obj)
        record(f"{self.audit_name}.delete", object_type=obj._meta.label_lower, object_id=pk, before=before,
               note=ADMIN_NOTE)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():  # the bulk-delete action is not wrapped by the admin
            for obj in queryset:
                self.delete_model(request, obj)


@admin.register(CalendarYear)
class CalendarYearAdmin(_CalendarPermission, _Audited, admin.ModelAdmin):
    audit_name = "kernel.calendar.year"
    form = CalendarYearForm
    inlines = (CalendarDayInline,)
    list_display = ("year", "source", "holiday_count", "workday_count", "imported_at")
    list_filter = (("imported_at", admin.DateFieldListFilter), "source")
    search_fields = ("=year", "source", "days__name")
    readonly_fields = ("imported_at",)
    ordering = ("-year",)

    def snapshot(self, obj) -> dict:
        return _snapshot(obj)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            n_holidays=Count("days", filter=Q(days__kind=CalendarDay.Kind.HOLIDAY)),
            n_workdays=Count("days", filter=Q(days__kind=CalendarDay.Kind.WORKDAY)),
        )

    @admin.display(description=_("休息日"), ordering="n_holidays")
    def holiday_count(self, obj):
        return obj.n_holidays

    @admin.display(description=_("调休上班"), ordering="n_workdays")
    def workday_count(self, obj):
        return obj.n_workdays


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ("year", "date", "kind", "name")

    def clean(self):
        data = super().clean()
        year = data.get("year")
        message = _day_error(data.get("date"), data.get("kind"), year.year if year else None)
        if message:
            self.add_error("date", message)
        return data


@admin.register(CalendarDay)
class CalendarDayAdmin(_CalendarPermission, _Audited, admin.ModelAdmin):
    audit_name = "kernel.calendar.day"
    form = CalendarDayForm
    list_display = ("date", "weekday", "kind", "name", "year")
    list_filter = ("kind", "year", "name")
    search_fields = ("name", "=date")
    date_hierarchy = "date"
    list_select_related = ("year",)
    ordering = ("-date",)

    def snapshot(self, obj) -> dict:
        return {"date": obj.date.isoformat(), "kind": obj.kind, "name": obj.name, "year": obj.year.year}

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return "周" + WEEKDAYS[obj.date.weekday()]
