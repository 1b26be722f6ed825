"""BidClarification requests to bidders during evaluation (REG Art. 52) and the evaluation report (评标报告,
REG Art. 53) with its recommended candidates and the members' signatures."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BidClarification(models.Model):
    bid = models.ForeignKey("trading.Bid", verbose_name=_("投标文件"), on_delete=models.CASCADE,
                            related_name="clarifications")
    question = models.TextField(_("澄清事项"), max_length=2000)
    asked_by = models.ForeignKey("trading.CommitteeMember", verbose_name=_("提出人"), on_delete=models.PROTECT,
                                 related_name="+")
    asked_at = models.DateTimeField(_("发出时间"))
    due_at = models.DateTimeField(_("答复截止时间"))
    answer = models.TextField(_("澄清答复"), max_length=4000, blank=True)
    # The bidder's statement that the answer changes neither the price nor the bid's substance (REG Art. 52).
    no_change_statement = models.BooleanField(_("声明不改变报价和实质性内容"), default=False)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("评标澄清")
        verbose_name_plural = _("评标澄清")
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.bid.bidder_name}：{self.question[:30]}"


class EvaluationReport(models.Model):
    SIGNING, DONE = "signing", "done"
    STATES = {SIGNING: "签署中", DONE: "已完成"}
    lot = models.OneToOneField("trading.Lot", verbose_name=_("标段"), on_delete=models.CASCADE,
                               related_name="evaluation_report")
    status = models.CharField(_("状态"), max_length=10, choices=list(STATES.items()), default=SIGNING)
    summary = models.TextField(_("评标情况说明"), max_length=4000)
    drafted_by = models.ForeignKey("trading.CommitteeMember", verbose_name=_("起草人"), on_delete=models.PROTECT,
                                   related_name="+")
    drafted_at = models.DateTimeField(_("起草时间"))
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    document = models.ForeignKey("kernel.IssuedDocument", verbose_name=_("评标报告文件"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("评标报告")
        verbose_name_plural = _("评标报告")

    def __str__(self) -> str:
        return f"{self.lot} 评标报告"

    @property
    def status_label(self) -> str:
        return self.STATES.get(self.status, self.status)


class ReportCandidate(models.Model):
    report = models.ForeignKey(EvaluationReport, on_delete=models.CASCADE, related_name="candidates")
    bid = models.ForeignKey("trading.Bid", verbose_name=_("投标文件"), on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveSmallIntegerField(_("排序"), null=True, blank=True)  # only if the plan is ranked
    total_score = models.DecimalField(_("综合得分"), max_digits=7, decimal_places=2, null=True, blank=True)
    strengths = models.TextField(_("优势"), max_length=2000)
    risks = models.TextField(_("风险"), max_length=2000)

    class Meta:
        verbose_name = _("推荐中标候选人")
        verbose_name_plural = _("推荐中标候选人")
        ordering = ["report", "rank", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "bid"], name="trading_report_candidate")]

    def __str__(self) -> str:
        return self.bid.bidder_name


class ReportSignature(models.Model):
    report = models.ForeignKey(EvaluationReport, on_delete=models.CASCADE, related_name="signatures")
    member = models.ForeignKey("trading.CommitteeMember", verbose_name=_("成员"), on_delete=models.PROTECT,
                               related_name="+")
    signed_at = models.DateTimeField(_("签署时间"))
    dissent = models.TextField(_("不同意见及理由"), max_length=2000, blank=True)  # REG Art. 53

    class Meta:
        verbose_name = _("评标报告签署")
        verbose_name_plural = _("评标报告签署")
        constraints = [models.UniqueConstraint(fields=["report", "member"], name="trading_report_signature")]

    def __str__(self) -> str:
        return f"{self.member.name} {self.signed_at:%Y-%m-%d %H:%M}"
