"""Bids (投标文件): one per bidder and lot while live; the sealed-bid work adds the ciphertext and receipt.

The platform holds only the sealed file (YSBID1, trading/sealing.py) under DATA_DIR/bids/, its SHA-256,
size and the header's key check: the price and the bid's content stay unreadable until the bidder brings
the key to the opening (电子招标投标办法第二十八条). `price` stays empty until the opening fills it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
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
    # --- Sealed bid (issue 12 §4) ---
    sealed_path = models.CharField(_("密文存储位置"), max_length=200, blank=True,
                                   help_text=_("相对 DATA_DIR 的路径；只存密文"))
    sha256 = models.CharField(_("密文SHA-256"), max_length=64, blank=True, db_index=True)
    size = models.BigIntegerField(_("密文大小（字节）"), default=0)
    key_check = models.CharField(_("密钥校验值"), max_length=32, blank=True)
    receipt_no = models.CharField(_("回执编号"), max_length=32, blank=True, db_index=True)
    version = models.PositiveSmallIntegerField(_("递交次序"), default=1)
    replaces = models.OneToOneField("self", verbose_name=_("替换的投标文件"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="replaced_by")
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    # --- The opening (开标): decryption, the price sheet and its sign-off -----------------------------------
    decrypted_at = models.DateTimeField(_("解密时间"), null=True, blank=True)
    price_sheet = models.JSONField(_("开标一览表"), default=dict, blank=True)
    plain_file = models.CharField(_("解密后文件（存储路径）"), max_length=255, blank=True)
    plain_name = models.CharField(_("投标文件名"), max_length=255, blank=True)
    plain_sha256 = models.CharField(_("解密后文件 SHA-256"), max_length=64, blank=True)
    plain_size = models.PositiveBigIntegerField(_("解密后文件大小"), null=True, blank=True)
    not_decrypted_reason = models.CharField(_("未解密认定理由"), max_length=300, blank=True)
    decrypt_failures = models.PositiveSmallIntegerField(_("解密失败次数"), default=0)  # informs the Art. 31 decision
    sheet_signed_at = models.DateTimeField(_("开标一览表签字确认时间"), null=True, blank=True)
    sheet_signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("签字确认人"), null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("投标文件")
        verbose_name_plural = _("投标文件")
        ordering = ["lot", "submitted_at", "pk"]
        constraints = [
            # One live bid per bidder and lot: replaced and withdrawn ones are kept, only the latest counts.
            models.UniqueConstraint(fields=["lot", "bidder_uscc"], name="trading_bid_one_live",
                                    condition=~Q(status__in=["withdrawn", "replaced"])),
        ]

    def __str__(self) -> str:
        return f"{self.bidder_name}（{self.lot}）"

    @property
    def status_label(self) -> str:
        return rules.BID_STATES.get(self.status, self.status)
