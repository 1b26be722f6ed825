"""Rules kept as data with effective dates: procedures with their limits, must-tender thresholds.

Seeded from `trading.rules` by migration 0002; maintained in the admin (every save audited).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.trading import rules


class Procedure(models.Model):
    """One version of a procedure (公开招标, 竞争性谈判 …) and its limits, in force from `effective_from`."""

    code = models.CharField(_("编码"), max_length=32)
    name = models.CharField(_("名称"), max_length=40)
    regime = models.CharField(_("适用制度"), max_length=16, choices=list(rules.REGIMES.items()))
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("废止日期"), null=True, blank=True)
    min_document_days = models.PositiveSmallIntegerField(_("文件发出至截止最少天数"))
    document_day_kind = models.CharField(_("计日方式"), max_length=10, choices=list(rules.DAY_KINDS.items()))
    min_sale_days = models.PositiveSmallIntegerField(_("最短发售期"), default=0)
    sale_day_kind = models.CharField(_("发售期计日方式"), max_length=10, choices=list(rules.DAY_KINDS.items()))
    prequalification_allowed = models.BooleanField(_("可资格预审"), default=False)
    min_bidders = models.PositiveSmallIntegerField(_("最少投标人数"), default=3)
    source = models.CharField(_("依据"), max_length=300)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("交易方式")
        verbose_name_plural = _("交易方式及时限")
        ordering = ["sort_order", "code", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="trading_procedure_version")]

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from:%Y-%m-%d}起）"

    def limits(self) -> rules.ProcedureLimits:
        return rules.ProcedureLimits(
            self.code, self.name, self.regime, self.effective_from, self.min_document_days, self.document_day_kind,
            self.min_sale_days, self.sale_day_kind, self.prequalification_allowed, self.min_bidders, self.source,
            self.effective_to)


class MustTenderThreshold(models.Model):
    """必须招标的规模标准 of one lot type, in force from `effective_from`."""

    lot_type = models.CharField(_("标段类型"), max_length=10, choices=list(rules.LOT_TYPES.items()))
    amount = models.DecimalField(_("单项合同估算价（元）"), max_digits=16, decimal_places=2)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("废止日期"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=300)

    class Meta:
        verbose_name = _("必须招标规模标准")
        verbose_name_plural = _("必须招标规模标准")
        ordering = ["lot_type", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["lot_type", "effective_from"], name="trading_threshold_version")]

    def __str__(self) -> str:
        return f"{rules.LOT_TYPES.get(self.lot_type, self.lot_type)} ≥ {self.amount}（{self.effective_from:%Y-%m-%d}起）"

    def as_rule(self) -> rules.Threshold:
        return rules.Threshold(self.lot_type, self.amount, self.effective_from, self.source, self.effective_to)
