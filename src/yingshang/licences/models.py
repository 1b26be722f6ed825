"""Electronic licences (电子证照): the result of an approved case, kept in the holder's wallet."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ELicense(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        REVOKED = "revoked", _("已注销")

    class HolderKind(models.TextChoices):
        PERSON = "person", _("自然人")
        ENTERPRISE = "enterprise", _("法人或其他组织")

    name = models.CharField(_("证照名称"), max_length=200)
    number = models.CharField(_("证照编号"), max_length=64, unique=True)
    # The holder is an identity, not an account: the keyed digest of the ID number or USCC, so an
    # applicant served at the window finds the licence in the wallet once they sign in.
    holder_key = models.CharField(_("持证主体摘要"), max_length=64)
    holder_kind = models.CharField(_("持证主体类型"), max_length=12, choices=HolderKind.choices)
    holder_name = models.CharField(_("持证主体"), max_length=200)
    holder_id_masked = models.CharField(_("证件号码（脱敏）"), max_length=32, blank=True)
    issuer = models.ForeignKey("kernel.Department", verbose_name=_("发证机关"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    issuer_name = models.CharField(_("发证机关名称"), max_length=100)
    issued_on = models.DateField(_("发证日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    source_type = models.CharField(_("来源类型"), max_length=32, blank=True)
    source_ref = models.CharField(_("来源编号"), max_length=64, blank=True)
    document = models.ForeignKey("kernel.IssuedDocument", verbose_name=_("证照文书"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.VALID)
    revoked_at = models.DateTimeField(_("注销时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("注销原因"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("电子证照")
        verbose_name_plural = _("电子证照")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["holder_key", "status", "-issued_on"], name="elicense_holder_idx"),
                   models.Index(fields=["source_type", "source_ref"], name="elicense_source_idx")]

    def __str__(self) -> str:
        return f"{self.name} {self.number}"
