"""Complaints (投诉, Reg. Art. 60–62): filed online by a bidder with the template's facts, grounds and
request and evidence; handled by the project's industry regulator on the working-day clock, with
clock-stops for testing, appraisal and expert review; the decision published; malicious ones recorded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.trading import rules_award
from yingshang.trading.models.award import FrozenWhenArchived


class Complaint(FrozenWhenArchived):
    lot = models.ForeignKey("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT, related_name="complaints")
    regulator = models.ForeignKey("kernel.Department", verbose_name=_("处理部门"), on_delete=models.PROTECT,
                                  related_name="+")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("投诉人账号"), on_delete=models.PROTECT,
                                 related_name="+")
    complainant_uscc = models.CharField(_("投诉人统一社会信用代码"), max_length=18, db_index=True)
    complainant_name = models.CharField(_("投诉人"), max_length=200)
    matter = models.CharField(_("投诉事项"), max_length=16, choices=list(rules_award.COMPLAINT_MATTERS.items()))
    objection = models.ForeignKey("trading.ResultObjection", verbose_name=_("在先异议"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    prior_objection_on = models.DateField(_("在先异议提出日期"), null=True, blank=True)
    facts = models.TextField(_("投诉事实"), max_length=4000)
    grounds = models.TextField(_("法律依据"), max_length=2000)
    request = models.TextField(_("投诉请求"), max_length=2000)
    known_on = models.DateField(_("知道或应当知道之日"))
    received_on = models.DateField(_("收到投诉日期"))
    accept_by = models.DateField(_("受理审查期限"))
    status = models.CharField(_("状态"), max_length=16, choices=list(rules_award.COMPLAINT_FLOW.states.items()),
                              default=rules_award.FILED, db_index=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    decide_by = models.DateField(_("处理决定期限"), null=True, blank=True)
    acceptance_note = models.CharField(_("受理审查意见"), max_length=1000, blank=True)
    suspends_procedure = models.BooleanField(_("暂停招标投标活动"), default=False)
    outcome = models.CharField(_("处理结果"), max_length=16, choices=list(rules_award.OUTCOMES.items()), blank=True)
    decision = models.TextField(_("处理决定"), max_length=4000, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    published_at = models.DateTimeField(_("处理决定公开时间"), null=True, blank=True)
    malicious = models.BooleanField(_("恶意投诉"), default=False)
    malicious_reason = models.CharField(_("恶意投诉认定理由"), max_length=1000, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("投诉")
        verbose_name_plural = _("投诉")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.complainant_name}对{self.lot_id}号标段的投诉"

    @property
    def status_label(self) -> str:
        return rules_award.COMPLAINT_FLOW.states.get(self.status, self.status)

    @property
    def matter_label(self) -> str:
        return rules_award.COMPLAINT_MATTERS.get(self.matter, self.matter)

    @property
    def outcome_label(self) -> str:
        return rules_award.OUTCOMES.get(self.outcome, "")


class ComplaintEvidence(FrozenWhenArchived):
    complaint = models.ForeignKey(Complaint, verbose_name=_("投诉"), on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("证据名称"), max_length=100)
    file = models.ForeignKey("kernel.StoredFile", verbose_name=_("文件"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("投诉证据")
        verbose_name_plural = _("投诉证据")
        ordering = ["pk"]

    def _lot_id(self):
        return self.complaint.lot_id


class ComplaintClockStop(FrozenWhenArchived):
    """暂停计时: time for testing, appraisal or expert review is not counted (Reg. Art. 61 para 2)."""

    complaint = models.ForeignKey(Complaint, verbose_name=_("投诉"), on_delete=models.CASCADE, related_name="clock_stops")
    kind = models.CharField(_("情形"), max_length=16, choices=list(rules_award.CLOCK_STOP_KINDS.items()))
    from_date = models.DateField(_("暂停自"))
    to_date = models.DateField(_("暂停至"), null=True, blank=True)
    reason = models.CharField(_("说明"), max_length=500)

    class Meta:
        verbose_name = _("投诉处理暂停计时")
        verbose_name_plural = _("投诉处理暂停计时")
        ordering = ["from_date", "pk"]

    def _lot_id(self):
        return self.complaint.lot_id
