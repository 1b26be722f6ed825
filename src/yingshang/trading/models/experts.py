"""Evaluation experts (评标专家) and the evaluation committee (评标委员会) of a lot."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.trading import rules


class Expert(models.Model):
    name = models.CharField(_("姓名"), max_length=50)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("账号"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="trading_expert")
    employer_name = models.CharField(_("工作单位"), max_length=200)
    employer_uscc = models.CharField(_("工作单位统一社会信用代码"), max_length=18, db_index=True)
    region = models.CharField(_("所在地区（行政区划代码）"), max_length=6)
    active = models.BooleanField(_("在库"), default=True)
    suspended_until = models.DateField(_("暂停抽取至"), null=True, blank=True)
    created_at = models.DateTimeField(_("入库时间"))

    class Meta:
        verbose_name = _("评标专家")
        verbose_name_plural = _("评标专家")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    lot = models.ForeignKey("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT, related_name="committee")
    role = models.CharField(_("身份"), max_length=16, choices=list(rules.COMMITTEE_ROLES.items()))
    expert = models.ForeignKey(Expert, verbose_name=_("专家"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评审账号"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=50)
    confirmed_at = models.DateTimeField(_("确认参加时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("评标委员会成员")
        verbose_name_plural = _("评标委员会成员")
        ordering = ["lot", "pk"]
        constraints = [models.UniqueConstraint(fields=["lot", "expert"], name="trading_committee_expert")]

    def __str__(self) -> str:
        return f"{self.name}（{self.lot}）"
