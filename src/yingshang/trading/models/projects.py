"""Tender projects (招标项目) and their lots (标段/包): the lot has the procedure, the periods and a life."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.trading import rules


class TenderProject(models.Model):
    name = models.CharField(_("项目名称"), max_length=200)
    approval_no = models.CharField(_("审批（核准、备案）文号"), max_length=100)
    tenderer_name = models.CharField(_("招标人"), max_length=200)
    tenderer_uscc = models.CharField(_("招标人统一社会信用代码"), max_length=18, db_index=True)
    agency_name = models.CharField(_("招标代理机构"), max_length=200, blank=True)
    agency_uscc = models.CharField(_("代理机构统一社会信用代码"), max_length=18, blank=True, db_index=True)
    regulator = models.ForeignKey("kernel.Department", verbose_name=_("行业监督部门"), on_delete=models.PROTECT,
                                  related_name="+")
    division_code = models.CharField(_("项目所在地（行政区划代码）"), max_length=6)
    funding_source = models.CharField(_("资金来源"), max_length=16, choices=list(rules.FUNDING_SOURCES.items()))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("招标项目")
        verbose_name_plural = _("招标项目")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class Lot(models.Model):
    """A section or package (标段/包). `status` follows `rules.LOT_FLOW`; later issues add states after 已进场."""

    project = models.ForeignKey(TenderProject, verbose_name=_("招标项目"), on_delete=models.CASCADE, related_name="lots")
    seq = models.PositiveSmallIntegerField(_("标段序号"))
    name = models.CharField(_("标段名称"), max_length=200)
    procedure = models.ForeignKey("trading.Procedure", verbose_name=_("交易方式"), on_delete=models.PROTECT,
                                  related_name="+")
    lot_type = models.CharField(_("标段类型"), max_length=10, choices=list(rules.LOT_TYPES.items()))
    estimated_price = models.DecimalField(_("估算价（元）"), max_digits=16, decimal_places=2)
    ceiling_price = models.DecimalField(_("最高投标限价（元）"), max_digits=16, decimal_places=2, null=True, blank=True)
    qualification = models.CharField(_("资格审查方式"), max_length=8, choices=list(rules.QUALIFICATION_MODES.items()))
    # Planned periods (ProZorro: each period has a start and an end); the rest of the timeline is computed.
    sale_start = models.DateField(_("文件发售开始"))
    sale_end = models.DateField(_("文件发售截止"))
    bid_deadline = models.DateTimeField(_("投标截止时间"))
    must_tender = models.BooleanField(_("依法必须招标"), default=True)
    must_tender_note = models.CharField(_("必须招标判断"), max_length=300, blank=True)
    status = models.CharField(_("状态"), max_length=24, choices=list(rules.LOT_FLOW.states.items()),
                              default=rules.DRAFT, db_index=True)
    # 下浮率 drawn at the opening from the range in the documents (seed 004); read by 合理低价法 evaluation.
    float_rate = models.DecimalField(_("下浮率（%）"), max_digits=6, decimal_places=3, null=True, blank=True)
    # Set while an objection to the documents or a complaint is pending (REG Art. 22, 62); timed transitions wait.
    suspended = models.BooleanField(_("暂停"), default=False)
    suspension_reason = models.CharField(_("暂停原因"), max_length=300, blank=True)
    row_version = models.PositiveIntegerField(default=1)
    next_check = models.DateTimeField(_("下次定时检查"), null=True, blank=True, db_index=True)
    submitted_at = models.DateTimeField(_("提交登记时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.CharField(_("审核意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("创建时间"))
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("标段")
        verbose_name_plural = _("标段")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["project", "seq"], name="trading_lot_seq")]

    def __str__(self) -> str:
        return f"{self.project.name} {self.name}"

    @property
    def status_label(self) -> str:
        return rules.LOT_FLOW.states.get(self.status, self.status)

    @property
    def lot_type_label(self) -> str:
        return rules.LOT_TYPES.get(self.lot_type, self.lot_type)

    @property
    def qualification_label(self) -> str:
        return rules.QUALIFICATION_MODES.get(self.qualification, self.qualification)
