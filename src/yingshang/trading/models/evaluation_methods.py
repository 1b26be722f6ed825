"""Evaluation methods (评标办法) as data with effective dates; seeded from `rules_evaluation.METHODS` by
`services/rulebook.ensure_rules_data`, maintained in the admin (every save audited)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.trading import rules
from yingshang.trading import rules_evaluation as er


class EvaluationMethod(models.Model):
    code = models.CharField(_("编码"), max_length=32)
    name = models.CharField(_("名称"), max_length=60)
    regime = models.CharField(_("适用制度"), max_length=16, choices=list(rules.REGIMES.items()))
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("废止日期"), null=True, blank=True)
    price_formula = models.CharField(_("价格分计算方法"), max_length=20, choices=list(er.PRICE_FORMULAS.items()))
    scored = models.BooleanField(_("技术商务信用打分"), default=True)
    min_credit_weight = models.PositiveSmallIntegerField(_("信用权重下限（%）"), default=0)
    # {"goods": [30, 60], "services": [10, 30]}: lot type → price weight bounds (%); empty: no bound.
    price_weight_range = models.JSONField(_("价格权重范围"), default=dict, blank=True)
    # {"A": 100, "B": 80, ...}: the share (%) of the credit weight each grade earns; "" = no grade.
    credit_shares = models.JSONField(_("信用等级得分比例"), default=dict)
    outlier_share = models.PositiveSmallIntegerField(_("评分偏离阈值（分值%）"), default=20)
    deviation_above = models.DecimalField(_("高于基准价每1%扣分"), max_digits=5, decimal_places=2, default=Decimal(2))
    deviation_below = models.DecimalField(_("低于基准价每1%扣分"), max_digits=5, decimal_places=2, default=Decimal(1))
    source = models.CharField(_("依据"), max_length=300)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("评标办法")
        verbose_name_plural = _("评标办法")
        ordering = ["sort_order", "code", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["code", "effective_from"], name="trading_evalmethod_version")]

    def __str__(self) -> str:
        return f"{self.name}（{self.effective_from:%Y-%m-%d}起）"

    def as_rule(self) -> er.Method:
        return er.Method(
            self.code, self.name, self.regime, self.effective_from, self.price_formula, self.scored,
            self.min_credit_weight, self.source,
            {k: (int(v[0]), int(v[1])) for k, v in (self.price_weight_range or {}).items()},
            {str(k): int(v) for k, v in (self.credit_shares or {}).items()}, self.outlier_share,
            self.deviation_above, self.deviation_below, self.effective_to)
