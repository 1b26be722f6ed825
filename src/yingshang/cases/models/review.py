"""Back-office handling of a case: its steps, clock suspensions and extensions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yingshang.cases.choices import ExtensionStatus, StepStatus, SuspensionKind


class CaseStep(models.Model):
    """A step of the case, instantiated at acceptance from the item version's ProcessSteps.

    Steps of one stage run in parallel, stages in order; each department acts only on its own steps.
    A step's latest decision is on the row; its history is in the timeline and the audit trail.
    """

    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), on_delete=models.CASCADE, related_name="steps",
                             db_index=False)  # case_step_stage_idx starts with it
    process_step = models.ForeignKey("catalog.ProcessStep", verbose_name=_("事项环节"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    stage = models.PositiveSmallIntegerField(_("阶段"))
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    name = models.CharField(_("环节名称"), max_length=100)
    step_kind = models.CharField(_("环节类型"), max_length=16)
    department = models.ForeignKey("kernel.Department", verbose_name=_("办理部门"), on_delete=models.PROTECT,
                                   related_name="case_steps", db_index=False)
    limit_days = models.PositiveSmallIntegerField(_("环节时限（工作日）"), default=0)
    # A copy of the case's deadline, kept in step by every action, so the inbox (most urgent first)
    # is one index range scan per department instead of a join and a sort.
    case_deadline = models.DateField(_("办结期限"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=StepStatus.choices, default=StepStatus.WAITING)
    activated_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("办理时间"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_by_name = models.CharField(_("办理人姓名"), max_length=100, blank=True)
    reason = models.TextField(_("意见"), blank=True)
    legal_basis = models.TextField(_("依据"), blank=True)

    class Meta:
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        ordering = ["case", "stage", "sort_order", "id"]
        indexes = [
            models.Index(fields=["department", "status", "case_deadline", "case", "id"], name="case_step_inbox_idx"),
            models.Index(fields=["case", "stage"], name="case_step_stage_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.department}）"


class ClockSuspension(models.Model):
    """A period the time limit does not count (暂停计时): both dates inclusive; open while to_date is null.

    Source: 行政许可法 Art. 45 (hearing, bidding, auction, inspection, testing, quarantine, appraisal
    and expert review are not counted; the applicant is told in writing) and the correction of
    materials during review.
    """

    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), on_delete=models.CASCADE,
                             related_name="suspensions")
    kind = models.CharField(_("情形"), max_length=16, choices=SuspensionKind.choices)
    from_date = models.DateField(_("开始日期"))
    to_date = models.DateField(_("结束日期"), null=True, blank=True, help_text=_("空表示仍在暂停"))
    reason = models.TextField(_("理由"))
    step = models.ForeignKey(CaseStep, verbose_name=_("环节"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    notice = models.ForeignKey("kernel.IssuedDocument", verbose_name=_("告知书"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    resumed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("恢复人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("暂停计时")
        verbose_name_plural = _("暂停计时")
        ordering = ["case", "from_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(to_date__isnull=True), name="case_one_open_suspension"),
            models.CheckConstraint(condition=Q(to_date__isnull=True) | Q(to_date__gte=models.F("from_date")),
                                   name="case_suspension_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.from_date}–{self.to_date or '…'}"


class Extension(models.Model):
    """A request to extend the time limit and its decision (行政许可法 Art. 42)."""

    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), on_delete=models.CASCADE,
                             related_name="extensions")
    days = models.PositiveSmallIntegerField(_("延长工作日"))
    reason = models.TextField(_("理由"))
    status = models.CharField(_("状态"), max_length=10, choices=ExtensionStatus.choices,
                              default=ExtensionStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    class Meta:
        verbose_name = _("延期")
        verbose_name_plural = _("延期")
        ordering = ["case", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(status="requested"), name="case_one_open_extension"),
        ]

    def __str__(self) -> str:
        return f"延期 {self.days} 个工作日（{self.get_status_display()}）"
