"""Admin of the scoring tables (issue 4 §9): schemes with their tiers and point rules, edited by the
credit office and audited (the snapshot covers the inlines); stored results are read-only."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from yingshang.credit.admin import ManagedAdmin, ReadOnlyAdmin
from yingshang.credit.choices import ScoreSource
from yingshang.credit.models import ScoreRule, ScoreTier, ScoringScheme, SubjectScore


class ScoreRuleForm(forms.ModelForm):
    class Meta:
        model = ScoreRule
        fields = ("code", "name", "is_active", "source", "points", "max_points", "window_months", "priority", "severities",
                  "penalty_categories", "list_kind", "list_type_code", "record_kind", "grades", "tier_cap", "note")

    def clean(self):
        data = super().clean()
        if data.get("points") == 0:
            self.add_error("points", _("分值不能为0"))
        if data.get("source") == ScoreSource.CLEAN_RECORD and not data.get("window_months"):
            self.add_error("window_months", _("长期无失信记录须填写计分期（每满多少个月计一次）"))
        if data.get("max_points") is not None and data["max_points"] < 0:
            self.add_error("max_points", _("上限填写绝对值"))
        return data


class TierInline(admin.TabularInline):
    model = ScoreTier
    extra = 0
    fields = ("code", "name", "min_score")


class RuleInline(admin.StackedInline):
    model = ScoreRule
    form = ScoreRuleForm
    extra = 0
    fields = (("code", "name", "is_active"), ("source", "points", "max_points", "window_months", "priority"),
              ("severities", "penalty_categories"), ("list_kind", "list_type_code"), ("record_kind", "grades"),
              ("tier_cap", "note"))


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(ManagedAdmin):
    audit_name = "credit.scoring_scheme"
    list_display = ("name", "audience", "effective_from", "base_score", "max_score", "is_active")
    list_filter = ("audience", "is_active")
    inlines = (TierInline, RuleInline)

    def audit_snapshot(self, obj) -> dict:
        return {
            "code": obj.code, "name": obj.name, "audience": obj.audience, "effective_from": str(obj.effective_from),
            "base": str(obj.base_score), "min": str(obj.min_score), "max": str(obj.max_score), "active": obj.is_active,
            "tiers": sorted(f"{t.code}:{t.name}>={t.min_score}" for t in obj.tiers.all()) if obj.pk else [],
            "rules": sorted(f"{r.code}:{r.source}:{r.points}:{r.max_points}:{r.window_months}:{r.priority}:{r.severities}:"
                            f"{r.penalty_categories}:{r.list_kind}:{r.list_type_code}:{r.record_kind}:{r.grades}:"
                            f"{r.tier_cap}:{r.is_active}" for r in obj.rules.all()) if obj.pk else [],
        }


@admin.register(SubjectScore)
class SubjectScoreAdmin(ReadOnlyAdmin):
    list_display = ("subject", "audience", "score", "tier_name", "computed_at", "stale")
    list_filter = ("audience", "tier_code", "stale")
    list_select_related = ("subject",)
    fields = ("subject", "audience", "scheme", "score", "tier_name", "capped_by", "lines", "computed_at", "changes_on",
              "stale")
