"""Candidates (中标候选人) recommended by the evaluation report; the award work decides among them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Candidate(models.Model):
    lot = models.ForeignKey("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT, related_name="candidates")
    bid = models.ForeignKey("trading.Bid", verbose_name=_("投标文件"), on_delete=models.PROTECT, related_name="+")
    total_score = models.DecimalField(_("综合得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    strengths = models.TextField(_("优势"), blank=True)
    risks = models.TextField(_("风险"), blank=True)
    created_at = models.DateTimeField(_("推荐时间"))

    class Meta:
        verbose_name = _("中标候选人")
        verbose_name_plural = _("中标候选人")
        ordering = ["lot", "pk"]
        constraints = [models.UniqueConstraint(fields=["lot", "bid"], name="trading_candidate_bid")]

    def __str__(self) -> str:
        return f"{self.bid.bidder_name}（{self.lot}）"
