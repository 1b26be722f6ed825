"""The award file of a lot (§8): the candidates' publicity and its objections, the award decision of the
tenderer's committee (评定分离) with its members, votes and draw, the contract, the transaction
certificate and the archive. Every row is frozen once the lot is archived (`Archived` refuses saves)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.kernel.errors import Conflict
from yingshang.trading import rules_award


class FrozenWhenArchived(models.Model):
    """Refuses any save or delete once the lot's archive exists: the archived file is immutable."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._refuse_if_archived()
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_archived()
        return super().delete(*args, **kwargs)

    def _lot_id(self):
        return self.lot_id

    def _refuse_if_archived(self):
        if Archive.objects.filter(lot_id=self._lot_id()).exists():
            raise Conflict("trading.archived", "该标段已归档，归档后的交易档案不得修改")


class Publicity(FrozenWhenArchived):
    """中标候选人公示 (Reg. Art. 54); also where the documents' award method is stated."""

    lot = models.OneToOneField("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT, related_name="publicity")
    report_on = models.DateField(_("收到评标报告日期"))
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示结束"))
    award_method = models.CharField(_("定标方法（招标文件载明）"), max_length=16,
                                    choices=list(rules_award.AWARD_METHODS.items()))
    published_at = models.DateTimeField(_("发布时间"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("中标候选人公示")
        verbose_name_plural = _("中标候选人公示")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.lot_id}号标段中标候选人公示（{self.starts_on}至{self.ends_on}）"

    @property
    def award_method_label(self) -> str:
        return rules_award.AWARD_METHODS.get(self.award_method, self.award_method)


class ResultObjection(FrozenWhenArchived):
    """A bidder's objection to the evaluation result during publicity, answered within 3 days."""

    PENDING, ANSWERED = "pending", "answered"
    lot = models.ForeignKey("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT, related_name="result_objections")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT,
                                  related_name="+")
    bidder_uscc = models.CharField(_("投标人统一社会信用代码"), max_length=18, db_index=True)
    bidder_name = models.CharField(_("投标人"), max_length=200)
    content = models.TextField(_("异议内容"), max_length=2000)
    raised_on = models.DateField(_("提出日期"))
    answer_due = models.DateField(_("答复期限"))
    status = models.CharField(_("状态"), max_length=10, default=PENDING,
                              choices=[(PENDING, "待答复"), (ANSWERED, "已答复")], db_index=True)
    answer = models.TextField(_("答复"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("评标结果异议")
        verbose_name_plural = _("评标结果异议")
        ordering = ["lot_id", "pk"]

    def __str__(self) -> str:
        return f"{self.bidder_name}的异议"

    @property
    def status_label(self) -> str:
        return dict(self._meta.get_field("status").choices)[self.status]


class AwardDraw(FrozenWhenArchived):
    """抽签定标's commitment: the seed's SHA-256 published before the decision, the seed revealed at it."""

    lot = models.OneToOneField("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT, related_name="award_draw")
    commitment = models.CharField(_("随机种子承诺（SHA-256）"), max_length=64)
    seed = models.CharField(_("随机种子"), max_length=64)  # shown only once revealed_at is set
    pool = models.JSONField(_("候选人池（按编号排序）"), default=list)
    committed_at = models.DateTimeField(_("承诺时间"))
    revealed_at = models.DateTimeField(_("公开时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("抽签定标承诺")
        verbose_name_plural = _("抽签定标承诺")

    def __str__(self) -> str:
        return f"{self.lot_id}号标段抽签承诺 {self.commitment[:12]}"


class AwardDecision(FrozenWhenArchived):
    """定标: the committee's decision, its reasons, the notice of award and the published result."""

    lot = models.OneToOneField("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT, related_name="award")
    method = models.CharField(_("定标方法"), max_length=16, choices=list(rules_award.AWARD_METHODS.items()))
    winner = models.ForeignKey("trading.Candidate", verbose_name=_("中标人"), on_delete=models.PROTECT, related_name="+")
    winner_name = models.CharField(_("中标人名称"), max_length=200)
    winner_uscc = models.CharField(_("中标人统一社会信用代码"), max_length=18)
    price = models.DecimalField(_("中标价（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    reasons = models.TextField(_("定标理由"), max_length=4000)
    decided_on = models.DateField(_("定标日期"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT,
                                   related_name="+")
    notice = models.ForeignKey("kernel.IssuedDocument", verbose_name=_("中标通知书"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    notice_on = models.DateField(_("中标通知书发出日期"))
    contract_due = models.DateField(_("合同签订期限"))
    published_at = models.DateTimeField(_("结果公告时间"))

    class Meta:
        verbose_name = _("定标结果")
        verbose_name_plural = _("定标结果")
        ordering = ["-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.lot_id}号标段定标：{self.winner_name}"

    @property
    def method_label(self) -> str:
        return rules_award.AWARD_METHODS.get(self.method, self.method)


class AwardCommitteeMember(FrozenWhenArchived):
    """A member of the tenderer's award committee (定标委员会) and, under 票决, the candidate voted for."""

    decision = models.ForeignKey(AwardDecision, verbose_name=_("定标结果"), on_delete=models.CASCADE,
                                 related_name="members")
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    vote = models.ForeignKey("trading.Candidate", verbose_name=_("投票给"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("定标委员会成员")
        verbose_name_plural = _("定标委员会成员")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def _lot_id(self):
        return self.decision.lot_id


class Contract(FrozenWhenArchived):
    """The signed contract (TBL Art. 46), uploaded by the tenderer."""

    lot = models.OneToOneField("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT, related_name="contract")
    signed_on = models.DateField(_("签订日期"))
    price = models.DecimalField(_("合同价（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    file = models.ForeignKey("kernel.StoredFile", verbose_name=_("合同文件"), on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("合同")
        verbose_name_plural = _("合同")

    def __str__(self) -> str:
        return f"{self.lot_id}号标段合同（{self.signed_on}）"


class Certificate(FrozenWhenArchived):
    """交易凭证: a kernel issued document (PDF with a QR code to the public verification page)."""

    lot = models.OneToOneField("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT, related_name="certificate")
    document = models.ForeignKey("kernel.IssuedDocument", verbose_name=_("文书"), on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("出具人"), on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField(_("出具时间"))

    class Meta:
        verbose_name = _("交易凭证")
        verbose_name_plural = _("交易凭证")

    def __str__(self) -> str:
        return f"{self.lot_id}号标段交易凭证"


class Archive(models.Model):
    """归档: the manifest of every document of the lot with its SHA-256; its hash is in the audit chain."""

    lot = models.OneToOneField("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT, related_name="archive")
    manifest = models.JSONField(_("归档清单"))
    manifest_sha256 = models.CharField(_("清单 SHA-256"), max_length=64)
    audit_seq = models.PositiveBigIntegerField(_("审计链序号"))
    archived_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("归档人"), on_delete=models.PROTECT,
                                    related_name="+")
    archived_at = models.DateTimeField(_("归档时间"))

    class Meta:
        verbose_name = _("交易档案")
        verbose_name_plural = _("交易档案")
        ordering = ["-archived_at"]

    def __str__(self) -> str:
        return f"{self.lot_id}号标段交易档案"

    def save(self, *args, **kwargs):
        if self.pk is not None or Archive.objects.filter(lot_id=self.lot_id).exists():
            raise Conflict("trading.archived", "该标段已归档，归档后的交易档案不得修改")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise Conflict("trading.archived", "该标段已归档，归档后的交易档案不得修改")
