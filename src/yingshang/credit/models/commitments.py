"""Credit commitments (信用承诺): promises a subject made to a department, tracked to fulfilment or breach."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.credit.choices import CommitmentStatus
from yingshang.kernel.models import Department


class Commitment(models.Model):
    """One commitment. `reference` is the source's stable id ("cases.commitment:42"), so an event
    delivered twice never records a commitment twice. A breach becomes an OtherRecord (`breach_record`)."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    subject = models.ForeignKey("credit.Subject", verbose_name=_("信用主体"), on_delete=models.PROTECT,
                                related_name="commitments")
    source = models.CharField(_("来源"), max_length=20)  # "cases" or "manual"
    reference = models.CharField(_("来源编号"), max_length=100, unique=True)
    kind = models.CharField(_("承诺类型"), max_length=40)
    kind_label = models.CharField(_("承诺类型名称"), max_length=60)
    text = models.TextField(_("承诺内容"))
    department = models.ForeignKey(Department, verbose_name=_("承诺对象部门"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    case_no = models.CharField(_("办件编号"), max_length=40, blank=True, default="")
    signed_at = models.DateTimeField(_("承诺时间"))
    due_on = models.DateField(_("履约期限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=CommitmentStatus.choices, default=CommitmentStatus.MADE)
    fulfilled_at = models.DateTimeField(_("履约时间"), null=True, blank=True)
    breached_at = models.DateTimeField(_("违诺时间"), null=True, blank=True)
    breach_reason = models.TextField(_("违诺情况"), blank=True, default="")
    breach_record = models.ForeignKey("credit.OtherRecord", verbose_name=_("失信记录"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"))
    updated_at = models.DateTimeField(_("更新时间"))

    class Meta:
        verbose_name = _("信用承诺")
        verbose_name_plural = _("信用承诺")
        ordering = ["-signed_at", "-id"]
        indexes = [models.Index(fields=["subject", "signed_at"], name="credit_commit_subject_idx"),
                   models.Index(fields=["status", "due_on"], name="credit_commit_status_idx")]

    def __str__(self) -> str:
        return f"{self.number} {self.kind_label}"
