"""Ratings (好差评) of concluded cases and the rectification (差评整改) a bad one opens."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yingshang.supervision import rules

GRADE_CHOICES = [(score, _(label)) for score, label in rules.GRADES.items()]
RECTIFICATION_STATUS_CHOICES = [(value, _(label)) for value, label in rules.RECTIFICATION_STATUS_LABELS.items()]


class Rating(models.Model):
    """The applicant's one rating of a concluded case (1–5 with an optional comment).

    `department` and `item` are copied from the case when it is rated, so that the statistics group
    ratings without joining a million cases.
    """

    class Channel(models.TextChoices):
        ONLINE = "online", _("申请人账号评价")
        LOOKUP = "lookup", _("凭办件编号和证件号码后四位评价")

    case = models.OneToOneField("cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="rating")
    department = models.ForeignKey("kernel.Department", verbose_name=_("主办部门"), on_delete=models.PROTECT,
                                   related_name="+", db_index=False)  # rating_department_idx starts with it
    item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("评价等级"), choices=GRADE_CHOICES)
    comment = models.TextField(_("评价内容"), blank=True)
    channel = models.CharField(_("评价渠道"), max_length=8, choices=Channel.choices)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评价账号"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    rated_at = models.DateTimeField(_("评价时间"))
    rated_on = models.DateField(_("评价日期"))

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")
        ordering = ["-id"]
        constraints = [models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5")]
        indexes = [
            models.Index(fields=["rated_on"], name="rating_rated_on_idx"),  # the rollup's incremental window
            models.Index(fields=["department", "-id"], name="rating_department_idx"),  # staff lists
        ]

    def __str__(self) -> str:
        return f"{self.case}：{self.grade_label}"

    @property
    def grade_label(self) -> str:
        return rules.grade_label(self.score)

    @property
    def is_bad(self) -> bool:
        return rules.is_bad(self.score)


class Rectification(models.Model):
    """A bad rating's rectification task: the department answers by `due_on`, a supervisor closes it or
    returns it. `late` is set for good once it was overdue or answered after its due day."""

    rating = models.OneToOneField(Rating, verbose_name=_("差评"), on_delete=models.PROTECT,
                                  related_name="rectification")
    department = models.ForeignKey("kernel.Department", verbose_name=_("整改部门"), on_delete=models.PROTECT,
                                   related_name="+", db_index=False)  # rectification_department_idx
    # Copied from the rating, so that statistics by item need no join.
    item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("事项"), on_delete=models.PROTECT, related_name="+",
                             db_index=False)
    status = models.CharField(_("状态"), max_length=10, choices=RECTIFICATION_STATUS_CHOICES, default=rules.OPEN)
    row_version = models.PositiveIntegerField(_("版本"), default=1)
    opened_at = models.DateTimeField(_("派发时间"))
    opened_on = models.DateField(_("派发日期"))
    due_on = models.DateField(_("整改期限"))
    due_provisional = models.BooleanField(_("期限为临时计算"), default=False)
    late = models.BooleanField(_("逾期"), default=False)
    returns = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    response = models.TextField(_("核实情况"), blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    responded_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("反馈人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    review_note = models.TextField(_("审核意见"), blank=True)
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["department", "status", "-id"], name="rectification_department_idx"),
            models.Index(fields=["status", "due_on"], name="rectification_due_idx"),  # the overdue sweep
            models.Index(fields=["opened_on"], name="rectification_opened_idx"),  # statistics by period
        ]

    def __str__(self) -> str:
        return f"差评整改 #{self.pk}"

    @property
    def status_label(self) -> str:
        return rules.RECTIFICATION_STATUS_LABELS.get(self.status, self.status)


class RectificationEntry(models.Model):
    """The rectification's history as people read it: opened, answered, returned, overdue, closed."""

    rectification = models.ForeignKey(Rectification, verbose_name=_("整改任务"), on_delete=models.CASCADE,
                                      related_name="entries")
    kind = models.CharField(_("类型"), max_length=16)
    text = models.TextField(_("内容"))
    actor_name = models.CharField(_("办理人"), max_length=100, blank=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")
        ordering = ["rectification", "at", "id"]

    def __str__(self) -> str:
        return self.text[:40]
