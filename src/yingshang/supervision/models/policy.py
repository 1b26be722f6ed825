"""The city's supervision policy as data with an effective date: rectification days, ranking weights."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.supervision import rules


class SupervisionPolicy(models.Model):
    """One version of the city's rules, in force from `valid_from` until the next version.

    Without any row the defaults of `supervision.rules` apply. The weights are the city's decision
    (e.g. its annual e-supervision assessment measures); `source` names the document that set them.
    """

    valid_from = models.DateField(_("生效日期"), unique=True)
    rectification_days = models.PositiveSmallIntegerField(
        _("差评整改期限（工作日）"), default=rules.DEFAULT_RECTIFICATION_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(rules.MAX_RECTIFICATION_DAYS)])
    weight_on_time = models.PositiveSmallIntegerField(_("权重：限时办结率（%）"),
                                                      default=rules.DEFAULT_WEIGHTS[rules.ON_TIME],
                                                      validators=[MaxValueValidator(100)])
    weight_satisfaction = models.PositiveSmallIntegerField(_("权重：满意率（%）"),
                                                           default=rules.DEFAULT_WEIGHTS[rules.SATISFACTION],
                                                           validators=[MaxValueValidator(100)])
    weight_rectification = models.PositiveSmallIntegerField(_("权重：整改及时率（%）"),
                                                            default=rules.DEFAULT_WEIGHTS[rules.RECTIFICATION],
                                                            validators=[MaxValueValidator(100)])
    source = models.CharField(_("依据"), max_length=200,
                              help_text=_("确定这些参数的文件，如：市政府办公室关于印发电子监察考核办法的通知"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("电子监察参数")
        verbose_name_plural = _("电子监察参数")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"自 {self.valid_from} 起"

    @property
    def weights(self) -> dict[str, int]:
        return {rules.ON_TIME: self.weight_on_time, rules.SATISFACTION: self.weight_satisfaction,
                rules.RECTIFICATION: self.weight_rectification}

    def clean(self) -> None:
        if sum(self.weights.values()) != 100:
            raise ValidationError(_("三项权重之和须为 100"))
