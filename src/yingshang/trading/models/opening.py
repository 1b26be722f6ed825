"""The opening (开标): the lot's opening plan and hall state, who signed in, objections raised at the opening."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.trading import rules_opening


class OpeningPlan(models.Model):
    """What the documents fix for the opening (the ranges drawn from, the decryption window) and what happened in
    the hall (opened, drawn, window closed, price sheet published, record issued)."""

    lot = models.OneToOneField("trading.Lot", verbose_name=_("标段"), on_delete=models.CASCADE, related_name="opening")
    # Ranges published in the tender documents (seed 004): 招标控制价下浮率 and its weight in the benchmark price.
    float_low = models.DecimalField(_("下浮率下限（%）"), max_digits=6, decimal_places=3, null=True, blank=True)
    float_high = models.DecimalField(_("下浮率上限（%）"), max_digits=6, decimal_places=3, null=True, blank=True)
    float_step = models.DecimalField(_("下浮率步长（%）"), max_digits=6, decimal_places=3, null=True, blank=True)
    weight_low = models.DecimalField(_("控制价权重下限（%）"), max_digits=6, decimal_places=3, null=True, blank=True)
    weight_high = models.DecimalField(_("控制价权重上限（%）"), max_digits=6, decimal_places=3, null=True, blank=True)
    weight_step = models.DecimalField(_("控制价权重步长（%）"), max_digits=6, decimal_places=3, null=True, blank=True)
    decrypt_minutes = models.PositiveSmallIntegerField(_("解密时限（分钟）"), default=rules_opening.DECRYPT_MINUTES)
    drawer_bid = models.ForeignKey("trading.Bid", verbose_name=_("抽取代表（投标人推选）"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # Commit–reveal: the commitment is public from the opening; the seed is shown only once drawn_at is set.
    commitment = models.CharField(_("种子承诺值（SHA-256）"), max_length=64, blank=True)
    seed = models.CharField(_("随机种子"), max_length=64, blank=True)
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("抽取人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    drawn_weight = models.DecimalField(_("抽取的控制价权重（%）"), max_digits=6, decimal_places=3, null=True, blank=True)
    opened_at = models.DateTimeField(_("开标时间"), null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("开标人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    failed_reason = models.CharField(_("未开标原因"), max_length=300, blank=True)
    decrypt_from = models.DateTimeField(_("解密开始"), null=True, blank=True)
    decrypt_until = models.DateTimeField(_("解密截止"), null=True, blank=True)
    closed_at = models.DateTimeField(_("解密结束时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("唱标时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("唱标人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    record = models.ForeignKey("kernel.IssuedDocument", verbose_name=_("开标记录"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("开标安排")
        verbose_name_plural = _("开标安排")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"开标：{self.lot_id}"

    @property
    def has_float_range(self) -> bool:
        return self.float_low is not None

    @property
    def has_weight_range(self) -> bool:
        return self.weight_low is not None

    @property
    def needs_draw(self) -> bool:
        return self.has_float_range or self.has_weight_range


class Attendance(models.Model):
    """A sign-in (签到) at the opening hall: a bidder's representative, the tenderer or agency, the centre."""

    BIDDER, TENDERER, CENTRE, OBSERVER = "bidder", "tenderer", "centre", "observer"
    KINDS = {BIDDER: "投标人代表", TENDERER: "招标人（代理机构）", CENTRE: "交易中心", OBSERVER: "监督"}

    lot = models.ForeignKey("trading.Lot", verbose_name=_("标段"), on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("账号"), on_delete=models.PROTECT,
                             related_name="+")
    kind = models.CharField(_("身份"), max_length=12, choices=list(KINDS.items()))
    bid = models.ForeignKey("trading.Bid", verbose_name=_("投标文件"), null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    organisation = models.CharField(_("单位"), max_length=200, blank=True)
    signed_in_at = models.DateTimeField(_("签到时间"))

    class Meta:
        verbose_name = _("开标签到")
        verbose_name_plural = _("开标签到")
        ordering = ["lot", "signed_in_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["lot", "user"], name="trading_attendance_user")]

    def __str__(self) -> str:
        return f"{self.name}（{self.organisation}）"

    @property
    def kind_label(self) -> str:
        return self.KINDS.get(self.kind, self.kind)


class OpeningObjection(models.Model):
    """An objection to the opening (REG Art. 44): raised by a bidder in the hall, answered by the tenderer on the spot."""

    lot = models.ForeignKey("trading.Lot", verbose_name=_("标段"), on_delete=models.CASCADE,
                            related_name="opening_objections")
    bid = models.ForeignKey("trading.Bid", verbose_name=_("投标文件"), on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT,
                                  related_name="+")
    content = models.TextField(_("异议内容"), max_length=rules_opening.MAX_OBJECTION)
    raised_at = models.DateTimeField(_("提出时间"))
    answer = models.TextField(_("答复"), max_length=rules_opening.MAX_OBJECTION, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("开标异议")
        verbose_name_plural = _("开标异议")
        ordering = ["lot", "raised_at", "pk"]

    def __str__(self) -> str:
        return f"{self.bid.bidder_name}：{self.content[:20]}"
