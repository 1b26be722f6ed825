"""Clarifications and amendments (澄清、修改) of the documents, and objections to them (异议, REG Art. 22)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Clarification(models.Model):
    lot = models.ForeignKey("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT,
                            related_name="clarifications")
    text = models.TextField(_("澄清或修改内容"))
    affects_preparation = models.BooleanField(_("可能影响投标文件编制"), default=True)
    document = models.ForeignKey("trading.TenderDocument", verbose_name=_("修改后的招标文件"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    deadline_before = models.DateTimeField(_("原截止时间"))
    deadline_after = models.DateTimeField(_("截止时间"))
    announcement = models.ForeignKey("trading.Announcement", verbose_name=_("公告"), on_delete=models.PROTECT,
                                     related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发出人"), null=True,
                                  on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("发出时间"))

    class Meta:
        verbose_name = _("澄清或修改")
        verbose_name_plural = _("澄清或修改")
        ordering = ["lot", "issued_at", "pk"]

    def __str__(self) -> str:
        return f"{self.lot} 澄清 {self.issued_at:%Y-%m-%d}"

    @property
    def moved(self) -> bool:
        return self.deadline_after != self.deadline_before


class DocumentObjection(models.Model):
    PENDING, ANSWERED = "pending", "answered"
    STATES = {PENDING: "待答复", ANSWERED: "已答复"}

    lot = models.ForeignKey("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT, related_name="objections")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT,
                                  related_name="+")
    uscc = models.CharField(_("异议人统一社会信用代码"), max_length=18)
    organization_name = models.CharField(_("异议人"), max_length=200)
    text = models.TextField(_("异议内容"))
    raised_at = models.DateTimeField(_("提出时间"))
    answer_due = models.DateField(_("答复期限"), db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=list(STATES.items()), default=PENDING, db_index=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    clarification = models.ForeignKey(Clarification, verbose_name=_("据此发出的澄清或修改"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("招标文件异议")
        verbose_name_plural = _("招标文件异议")
        ordering = ["lot", "raised_at", "pk"]

    def __str__(self) -> str:
        return f"{self.organization_name}对{self.lot}的异议"

    @property
    def status_label(self) -> str:
        return self.STATES.get(self.status, self.status)
