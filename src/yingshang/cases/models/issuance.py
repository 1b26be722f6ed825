"""Issuance (统一出件) of an approved case and delivery (送达) of its result to the applicant."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Issuance(models.Model):
    """The licence or certificate made for an approved case: its number, PDF and e-licence.

    One per case (the database enforces it). The e-licence lives in the licences app: only its id is
    kept here (domains do not share models).
    """

    case = models.OneToOneField("cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="issuance")
    result_name = models.CharField(_("证照名称"), max_length=200)
    number = models.CharField(_("证照编号"), max_length=64, unique=True)
    valid_from = models.DateField(_("有效期自"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("空表示长期有效"))
    issuer = models.ForeignKey("kernel.Department", verbose_name=_("发证机关"), on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("出件时间"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("制证人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    issued_by_name = models.CharField(_("制证人姓名"), max_length=100, blank=True)
    licence_document = models.ForeignKey("kernel.IssuedDocument", verbose_name=_("证照文书"), on_delete=models.PROTECT,
                                         related_name="+")
    # 准予行政许可决定书: queued with the action, linked once rendered (notices outbox).
    decision_document = models.ForeignKey("kernel.IssuedDocument", verbose_name=_("准予许可决定书"), null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="+")
    elicense_id = models.PositiveBigIntegerField(_("电子证照"), null=True, blank=True)

    class Meta:
        verbose_name = _("出件")
        verbose_name_plural = _("出件")
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"{self.result_name} {self.number}"


class Delivery(models.Model):
    """How the result (licence, or the denial notice) reached the applicant; recording it concludes the case."""

    class Method(models.TextChoices):
        PICKUP = "pickup", _("窗口领取")
        EXPRESS = "express", _("快递送达")

    case = models.OneToOneField("cases.Case", verbose_name=_("办件"), on_delete=models.PROTECT, related_name="delivery")
    method = models.CharField(_("送达方式"), max_length=8, choices=Method.choices)
    recorded_at = models.DateTimeField(_("登记时间"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_by_name = models.CharField(_("经办人姓名"), max_length=100, blank=True)
    # Pickup in any hall (同城通办): who collected it, their ID checked at the window (kept masked only).
    hall = models.ForeignKey("kernel.Department", verbose_name=_("领取大厅"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    picked_up_by = models.CharField(_("领取人"), max_length=100, blank=True)
    picked_up_id_masked = models.CharField(_("领取人证件号码（脱敏）"), max_length=32, blank=True)
    by_agent = models.BooleanField(_("委托代领"), default=False)
    picked_up_at = models.DateTimeField(_("领取时间"), null=True, blank=True)
    # Express (seed 002: 免费快递送证).
    carrier = models.CharField(_("快递公司"), max_length=16, blank=True)
    tracking_no = models.CharField(_("运单号"), max_length=40, blank=True)
    recipient = models.CharField(_("收件人"), max_length=100, blank=True)
    recipient_phone = models.CharField(_("收件人电话"), max_length=20, blank=True)
    address = models.CharField(_("收件地址"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("寄出时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("送达")
        verbose_name_plural = _("送达")
        ordering = ["-recorded_at"]
        constraints = [models.UniqueConstraint(fields=["carrier", "tracking_no"], name="delivery_tracking_unique",
                                               condition=models.Q(method="express"))]

    def __str__(self) -> str:
        return f"{self.get_method_display()}（{self.case}）"
