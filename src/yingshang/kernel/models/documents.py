"""Issued documents: every PDF the platform issues carries a verification code checkable online."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IssuedDocument(models.Model):
    verification_code = models.CharField(_("核验码"), max_length=20, unique=True)
    kind = models.CharField(_("文书种类"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    number = models.CharField(_("文号"), max_length=64, blank=True)
    holder_name = models.CharField(_("持有人"), max_length=100, blank=True)
    # A person's name is shown masked on the public verification page; an organisation's in full.
    holder_is_person = models.BooleanField(_("持有人为自然人"), default=False)
    issuer = models.ForeignKey(
        "kernel.Department", verbose_name=_("出具单位"), null=True, blank=True, on_delete=models.PROTECT
    )
    # The issuer's name as printed on the document: departments get renamed, issued documents do not.
    issuer_name = models.CharField(_("出具单位名称"), max_length=100, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    file = models.CharField(_("文件"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("大小"), default=0)
    issued_at = models.DateTimeField(_("出具时间"))
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("作废原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("出具文书")
        verbose_name_plural = _("出具文书")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="document_object_idx")]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
