"""Scores and grades (issue 4 §9): schemes with tiers and point rules as versioned data, and the latest
result per subject (recomputed lazily when stale; see services.scores and rules_scores)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.credit.choices import ListKind, ScoreAudience, ScoreSource


class ScoringScheme(models.Model):
    """One version of the personal score or the enterprise grade: the version in force on the day of
    evaluation (latest `effective_from` not after it, active) applies."""

    audience = models.CharField(_("适用对象"), max_length=16, choices=ScoreAudience.choices)
    code = models.SlugField(_("编码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    effective_from = models.DateField(_("生效日期"))
    base_score = models.DecimalField(_("基础分"), max_digits=6, decimal_places=1)
    min_score = models.DecimalField(_("最低分"), max_digits=6, decimal_places=1, default=0)
    max_score = models.DecimalField(_("最高分"), max_digits=6, decimal_places=1)
    source = models.TextField(_("依据"), blank=True, default="")
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("信用评价方案")
        verbose_name_plural = _("信用评价方案")
        ordering = ["audience", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["audience", "effective_from"], name="credit_scheme_version")]

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from:%Y-%m-%d}起）"


class ScoreTier(models.Model):
    """A tier (个人: 信用极好 … 信用极差) or a grade (企业: A–D), reached at `min_score`."""

    scheme = models.ForeignKey(ScoringScheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="tiers")
    code = models.CharField(_("编码"), max_length=20)
    name = models.CharField(_("名称"), max_length=40)
    min_score = models.DecimalField(_("最低分（含）"), max_digits=6, decimal_places=1)

    class Meta:
        verbose_name = _("档次")
        verbose_name_plural = _("档次")
        ordering = ["scheme", "-min_score"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="credit_tier_code")]

    def __str__(self) -> str:
        return self.name


class ScoreRule(models.Model):
    """A point rule: what it counts (source and conditions), how many points, for how long, up to what."""

    scheme = models.ForeignKey(ScoringScheme, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="rules")
    code = models.SlugField(_("编码"), max_length=60)
    name = models.CharField(_("名称"), max_length=100)
    source = models.CharField(_("计分对象"), max_length=20, choices=ScoreSource.choices)
    points = models.DecimalField(_("每项分值"), max_digits=6, decimal_places=1, help_text=_("加分为正，减分为负"))
    max_points = models.DecimalField(_("该项累计上限（绝对值）"), max_digits=6, decimal_places=1, null=True, blank=True)
    window_months = models.PositiveIntegerField(_("计分期（月）"), null=True, blank=True,
                                                help_text=_("自记录日期起计分的月数；为空表示在列或长期计分。"
                                                            "长期无失信记录：每满该月数计一次"))
    priority = models.PositiveIntegerField(_("优先级"), default=100,
                                           help_text=_("数字小者先匹配；一条记录只按第一条匹配的规则计分"))
    severities = models.CharField(_("失信严重程度"), max_length=60, blank=True, default="",
                                  help_text=_("逗号分隔：minor、general、serious；为空不限"))
    penalty_categories = models.CharField(_("处罚类别包含"), max_length=200, blank=True, default="",
                                          help_text=_("逗号分隔，任一出现即匹配（用于“较重”处罚）"))
    list_kind = models.CharField(_("名单类别"), max_length=8, choices=ListKind.choices, blank=True, default="")
    list_type_code = models.CharField(_("名单类型编码"), max_length=60, blank=True, default="")
    record_kind = models.CharField(_("信息类别"), max_length=24, blank=True, default="")
    grades = models.CharField(_("纳税信用等级"), max_length=20, blank=True, default="", help_text=_("逗号分隔，如 A 或 C,D"))
    tier_cap = models.CharField(_("最高档次"), max_length=20, blank=True, default="",
                                help_text=_("命中时结果不高于该档次（档次编码），如黑名单企业最高为D级"))
    is_active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("计分规则")
        verbose_name_plural = _("计分规则")
        ordering = ["scheme", "priority", "code"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="credit_score_rule_code")]

    def __str__(self) -> str:
        return self.name


class SubjectScore(models.Model):
    """The latest result for a subject, with its explanation. `stale` is set when its inputs change
    (signals, imports, scheme edits); `changes_on` is the first day time alone changes it."""

    subject = models.OneToOneField("credit.Subject", verbose_name=_("信用主体"), on_delete=models.CASCADE,
                                   related_name="score", primary_key=True)
    audience = models.CharField(_("类型"), max_length=16, choices=ScoreAudience.choices)
    scheme = models.ForeignKey(ScoringScheme, verbose_name=_("方案"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    score = models.DecimalField(_("分数"), max_digits=6, decimal_places=1)
    tier_code = models.CharField(_("档次编码"), max_length=20)
    tier_name = models.CharField(_("档次"), max_length=40)
    capped_by = models.CharField(_("档次上限原因"), max_length=100, blank=True, default="")
    lines = models.JSONField(_("计分明细"), default=list)
    computed_at = models.DateTimeField(_("计算时间"))
    computed_on = models.DateField(_("计算日期"))
    changes_on = models.DateField(_("到期重算日"), null=True, blank=True)
    stale = models.BooleanField(_("待重算"), default=False)

    class Meta:
        verbose_name = _("信用评价结果")
        verbose_name_plural = _("信用评价结果")
        indexes = [models.Index(fields=["stale"], name="credit_score_stale_idx"),
                   models.Index(fields=["changes_on"], name="credit_score_changes_idx"),
                   models.Index(fields=["audience", "tier_code"], name="credit_score_tier_idx")]

    def __str__(self) -> str:
        return f"{self.subject_id} {self.tier_name} {self.score}"
