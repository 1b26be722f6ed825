"""Joint rewards and punishments: memoranda, their measures, and feedback on measures applied."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.credit.choices import Action, Effect, FeedbackOutcome, Scenario
from yingshang.kernel.models import Department


class Memorandum(models.Model):
    """A joint reward/punishment memorandum (备忘录) and the list types that trigger its measures."""

    code = models.SlugField(_("编码"), max_length=60, unique=True)
    title = models.CharField(_("名称"), max_length=300)
    document_no = models.CharField(_("文号"), max_length=100, blank=True, default="")
    issuers = models.TextField(_("签署部门"), blank=True, default="")
    signed_on = models.DateField(_("签署日期"), null=True, blank=True)
    effective_from = models.DateField(_("施行日期"), null=True, blank=True)
    effective_to = models.DateField(_("废止日期"), null=True, blank=True)
    list_types = models.ManyToManyField("credit.ListType", verbose_name=_("适用名单"), related_name="memoranda")
    is_active = models.BooleanField(_("启用"), default=True)
    notes = models.TextField(_("说明"), blank=True, default="")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("联合奖惩备忘录")
        verbose_name_plural = _("联合奖惩备忘录")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title


class Measure(models.Model):
    """One measure of a memorandum: reward or punishment, where it applies and what it does."""

    memorandum = models.ForeignKey(Memorandum, verbose_name=_("备忘录"), on_delete=models.PROTECT,
                                   related_name="measures")
    number = models.PositiveIntegerField(_("序号"), default=1)
    content = models.TextField(_("措施内容"))
    effect = models.CharField(_("奖惩类型"), max_length=12, choices=Effect.choices)
    action = models.CharField(_("处理方式"), max_length=16, choices=Action.choices)
    # Scenario codes (credit.choices.Scenario); a JSON list keeps the check a single in-memory filter.
    scenarios = models.JSONField(_("适用场景"), default=list)
    applying_departments = models.TextField(_("实施部门"), blank=True, default="",
                                            help_text=_("按备忘录填写的实施单位，如“各级行政审批部门”"))
    departments = models.ManyToManyField(Department, verbose_name=_("本市实施部门"), blank=True, related_name="+")
    legal_basis = models.TextField(_("措施依据"), blank=True, default="")
    is_active = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("奖惩措施")
        verbose_name_plural = _("奖惩措施")
        ordering = ["memorandum", "number", "id"]

    def __str__(self) -> str:
        return f"{self.memorandum.code}-{self.number} {self.get_action_display()}"

    def scenario_labels(self) -> str:
        return "、".join(str(Scenario(s).label) for s in self.scenarios if s in Scenario.values)


class Feedback(models.Model):
    """反馈: a measure applied (or deliberately not) to a subject in one piece of business."""

    subject = models.ForeignKey("credit.Subject", verbose_name=_("信用主体"), on_delete=models.PROTECT, related_name="+")
    list_entry = models.ForeignKey("credit.ListEntry", verbose_name=_("名单记录"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="feedback")
    measure = models.ForeignKey(Measure, verbose_name=_("措施"), on_delete=models.PROTECT, related_name="feedback")
    scenario = models.CharField(_("场景"), max_length=32, choices=Scenario.choices)
    department = models.ForeignKey(Department, verbose_name=_("实施部门"), on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("实施情况"), max_length=16, choices=FeedbackOutcome.choices)
    reference = models.CharField(_("业务编号"), max_length=100, blank=True, default="",
                                 help_text=_("如办件编号、项目编号"))
    note = models.TextField(_("说明"), blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("奖惩反馈")
        verbose_name_plural = _("奖惩反馈")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["department", "recorded_at"], name="credit_feedback_dept_idx")]

    def __str__(self) -> str:
        return f"{self.measure} → {self.subject}"
