"""Bids (投标文件): one per bidder and lot while live; the sealed-bid work adds the ciphertext and receipt."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.trading import rules


class Bid(models.Model):
    lot = models.ForeignKey("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT, related_name="bids")
    bidder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("递交人"), on_delete=models.PROTECT,
                               related_name="+")
    bidder_uscc = models.CharField(_("投标人统一社会信用代码"), max_length=18, db_index=True)
    bidder_name = models.CharField(_("投标人"), max_length=200)
    status = models.CharField(_("状态"), max_length=16, choices=list(rules.BID_STATES.items()),
                              default=rules.BID_SUBMITTED, db_index=True)
    submitted_at = models.DateTimeField(_("递交时间"))
    price = models.DecimalField(_("投标报价（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("投标文件")
        verbose_name_plural = _("投标文件")
        ordering = ["lot", "submitted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.bidder_name}（{self.lot}）"

    @property
    def status_label(self) -> str:
        return rules.BID_STATES.get(self.status, self.status)
