"""The evaluation of a lot (评标): its plan (method, weights, scoring items), the computed price and credit
points of each bid, disqualifications with the committee's votes, and each member's score sheets."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.trading import rules_evaluation as er

_POINTS = {"max_digits": 7, "decimal_places": 2}


class EvaluationPlan(models.Model):
    """Set by the tenderer or its agency before the bid deadline; fixed once the evaluation starts."""

    lot = models.OneToOneField("trading.Lot", verbose_name=_("标段"), on_delete=models.CASCADE,
                               related_name="evaluation_plan")
    method = models.ForeignKey("trading.EvaluationMethod", verbose_name=_("评标办法"), on_delete=models.PROTECT,
                               related_name="+")
    technical_weight = models.DecimalField(_("技术权重（分）"), **_POINTS)
    commercial_weight = models.DecimalField(_("商务权重（分）"), **_POINTS)
    price_weight = models.DecimalField(_("价格权重（分）"), **_POINTS)
    credit_weight = models.DecimalField(_("信用权重（分）"), **_POINTS)
    ranked = models.BooleanField(_("候选人排序"), default=False)  # 评定分离: unranked unless the documents say so
    clarification_hours = models.PositiveSmallIntegerField(_("澄清答复时限（小时）"), default=24)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("设置人"), null=True, on_delete=models.SET_NULL,
                               related_name="+")
    set_at = models.DateTimeField(_("设置时间"))
    started_at = models.DateTimeField(_("评标开始时间"), null=True, blank=True)
    benchmark = models.DecimalField(_("评标基准价（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("评标计划")
        verbose_name_plural = _("评标计划")

    def __str__(self) -> str:
        return f"{self.lot}：{self.method.name}"

    def weights(self) -> er.Weights:
        return er.Weights(self.technical_weight, self.commercial_weight, self.price_weight, self.credit_weight)


class ScoringItem(models.Model):
    plan = models.ForeignKey(EvaluationPlan, verbose_name=_("评标计划"), on_delete=models.CASCADE, related_name="items")
    part = models.CharField(_("类别"), max_length=12, choices=list(er.PARTS.items()))
    seq = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("评分项"), max_length=100)
    max_points = models.DecimalField(_("分值"), **_POINTS)

    class Meta:
        verbose_name = _("评分项")
        verbose_name_plural = _("评分项")
        ordering = ["plan", "seq"]

    def __str__(self) -> str:
        return f"{self.name}（{self.max_points}分）"

    @property
    def part_label(self) -> str:
        return er.PARTS.get(self.part, self.part)


class BidResult(models.Model):
    """The computed part of a bid's evaluation: price points (recomputed as bids are rejected) and credit
    points from the grade the credit pillar held when the evaluation started."""

    bid = models.OneToOneField("trading.Bid", verbose_name=_("投标文件"), on_delete=models.CASCADE,
                               related_name="evaluation")
    credit_grade = models.CharField(_("信用等级（评标时）"), max_length=2, blank=True)
    credit_read_at = models.DateTimeField(_("信用读取时间"))
    credit_score = models.DecimalField(_("信用得分"), **_POINTS)
    price_score = models.DecimalField(_("价格得分"), null=True, blank=True, **_POINTS)

    class Meta:
        verbose_name = _("投标评审结果")
        verbose_name_plural = _("投标评审结果")

    def __str__(self) -> str:
        return f"{self.bid.bidder_name}：价格 {self.price_score}，信用 {self.credit_score}"


class Disqualification(models.Model):
    PROPOSED, UPHELD, DISMISSED = "proposed", "upheld", "dismissed"
    STATES = {PROPOSED: "表决中", UPHELD: "已否决", DISMISSED: "未通过"}
    bid = models.ForeignKey("trading.Bid", verbose_name=_("投标文件"), on_delete=models.CASCADE,
                            related_name="disqualifications")
    ground = models.CharField(_("否决理由"), max_length=32, choices=list(er.GROUNDS.items()))
    note = models.CharField(_("说明"), max_length=500)
    proposed_by = models.ForeignKey("trading.CommitteeMember", verbose_name=_("提议人"), on_delete=models.PROTECT,
                                    related_name="+")
    proposed_at = models.DateTimeField(_("提议时间"))
    status = models.CharField(_("状态"), max_length=12, choices=list(STATES.items()), default=PROPOSED)
    decided_at = models.DateTimeField(_("表决结果时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("否决投标")
        verbose_name_plural = _("否决投标")
        ordering = ["proposed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.bid.bidder_name}：{self.ground_label}"

    @property
    def ground_label(self) -> str:
        return er.GROUNDS.get(self.ground, self.ground)

    @property
    def status_label(self) -> str:
        return self.STATES.get(self.status, self.status)


class DisqualificationVote(models.Model):
    disqualification = models.ForeignKey(Disqualification, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey("trading.CommitteeMember", verbose_name=_("成员"), on_delete=models.PROTECT,
                               related_name="+")
    agree = models.BooleanField(_("同意否决"))
    voted_at = models.DateTimeField(_("表决时间"))

    class Meta:
        verbose_name = _("否决表决")
        verbose_name_plural = _("否决表决")
        constraints = [models.UniqueConstraint(fields=["disqualification", "member"], name="trading_disq_vote")]

    def __str__(self) -> str:
        return f"{self.member.name}：{'同意' if self.agree else '不同意'}"


class ScoreSheet(models.Model):
    """One member's scores of one bid; final once submitted (a correction needs a reason and is audited)."""

    member = models.ForeignKey("trading.CommitteeMember", verbose_name=_("成员"), on_delete=models.PROTECT,
                               related_name="score_sheets")
    bid = models.ForeignKey("trading.Bid", verbose_name=_("投标文件"), on_delete=models.CASCADE,
                            related_name="score_sheets")
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("评分表")
        verbose_name_plural = _("评分表")
        constraints = [models.UniqueConstraint(fields=["member", "bid"], name="trading_score_sheet")]

    def __str__(self) -> str:
        return f"{self.member.name} → {self.bid.bidder_name}"


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ScoringItem, verbose_name=_("评分项"), on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("得分"), **_POINTS)
    outlier_reason = models.CharField(_("偏离说明"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [models.UniqueConstraint(fields=["sheet", "item"], name="trading_score_item")]

    def __str__(self) -> str:
        return f"{self.item.name}：{self.points}"


class FailureVote(models.Model):
    """A member's vote to reject all bids for lack of competition (TBL Art. 42); a majority fails the tender."""

    lot = models.ForeignKey("trading.Lot", verbose_name=_("标段"), on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey("trading.CommitteeMember", verbose_name=_("成员"), on_delete=models.PROTECT,
                               related_name="+")
    reason = models.CharField(_("理由"), max_length=500)
    voted_at = models.DateTimeField(_("表决时间"))

    class Meta:
        verbose_name = _("否决全部投标表决")
        verbose_name_plural = _("否决全部投标表决")
        constraints = [models.UniqueConstraint(fields=["lot", "member"], name="trading_failure_vote")]

    def __str__(self) -> str:
        return f"{self.member.name}：{self.reason[:30]}"
