"""Objections (异议) and repairs (信用修复): a subject disputes one of its records, or asks to end a
penalty's publication early / to leave a black list. Rows are never deleted; every change is audited."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yingshang.credit.choices import HandlingStatus, TargetKind
from yingshang.kernel.models import Department


class HandlingBase(models.Model):
    """What an objection and a repair share: who filed what about which record, the deadline, the decision."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    subject = models.ForeignKey("credit.Subject", verbose_name=_("信用主体"), on_delete=models.PROTECT, related_name="+")
    target_kind = models.CharField(_("信息类型"), max_length=12, choices=TargetKind.choices)
    target_id = models.PositiveBigIntegerField(_("信息ID"))
    target_label = models.CharField(_("信息摘要"), max_length=300)
    # The department that handles it (the record's department, or the credit office for a repair).
    department = models.ForeignKey(Department, verbose_name=_("办理部门"), on_delete=models.PROTECT, related_name="+")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    filed_by_name = models.CharField(_("提交人姓名"), max_length=100, blank=True, default="")
    on_behalf = models.BooleanField(_("窗口代为提交"), default=False)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True, default="")
    # Evidence files: [{"upload_id", "name", "size", "sha256", "content_type"}] (kernel upload service).
    evidence = models.JSONField(_("证明材料"), default=list, blank=True)
    filed_at = models.DateTimeField(_("提交时间"))
    filed_on = models.DateField(_("提交日期"))
    deadline = models.DateField(_("办理期限"))
    deadline_rule = models.CharField(_("期限规则"), max_length=40)
    status = models.CharField(_("状态"), max_length=12, choices=HandlingStatus.choices, default=HandlingStatus.OPEN)
    decision_note = models.TextField(_("处理意见"), blank=True, default="")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_by_name = models.CharField(_("处理人姓名"), max_length=100, blank=True, default="")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    row_version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.number} {self.target_label}"

    @property
    def is_open(self) -> bool:
        return self.status == HandlingStatus.OPEN


class Objection(HandlingBase):
    reason = models.TextField(_("异议理由"))
    resolution = models.CharField(_("处理结果"), max_length=16, blank=True, default="",
                                  help_text=_("corrected 更正 / withdrawn 撤回 / removed 移出名单"))

    class Meta:
        verbose_name = _("信用异议")
        verbose_name_plural = _("信用异议")
        ordering = ["-filed_at", "-id"]
        constraints = [
            # One open objection per record: a second one waits for the first decision.
            models.UniqueConstraint(fields=["target_kind", "target_id"], condition=Q(status="open"),
                                    name="credit_one_open_objection"),
        ]
        indexes = [
            models.Index(fields=["target_kind", "target_id", "status"], name="credit_obj_target_idx"),
            models.Index(fields=["status", "deadline"], name="credit_obj_queue_idx"),
            models.Index(fields=["subject", "filed_at"], name="credit_obj_subject_idx"),
        ]


class Repair(HandlingBase):
    rectification = models.TextField(_("失信行为纠正情况"))
    commitment_text = models.TextField(_("信用修复承诺"))
    eligibility_rule = models.CharField(_("适用公示规则"), max_length=40, blank=True, default="")
    eligible_after = models.DateField(_("最短公示期届满日"), null=True, blank=True)

    class Meta:
        verbose_name = _("信用修复")
        verbose_name_plural = _("信用修复")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["target_kind", "target_id"], condition=Q(status="open"),
                                    name="credit_one_open_repair"),
        ]
        indexes = [
            models.Index(fields=["status", "deadline"], name="credit_rep_queue_idx"),
            models.Index(fields=["subject", "filed_at"], name="credit_rep_subject_idx"),
        ]
