"""Bid bonds (投标保证金) and e-guarantees (电子保函): the rules as data (caps, credit-grade reductions, the
deposit rate), the lot's requirement, each bidder's bond with its sub-account, payments and guarantee,
and the refund. Changed through services/bonds.py and services/bond_refunds.py only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.trading import rules, rules_bonds

MONEY = {"max_digits": 16, "decimal_places": 2}


class BondCap(models.Model):
    lot_type = models.CharField(_("标段类型"), max_length=10, choices=list(rules.LOT_TYPES.items()))
    rate = models.DecimalField(_("上限比例（估算价的%）"), max_digits=5, decimal_places=2)
    max_amount = models.DecimalField(_("最高金额（元）"), null=True, blank=True, **MONEY)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("废止日期"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=300)

    class Meta:
        verbose_name = _("投标保证金上限")
        verbose_name_plural = _("投标保证金上限")
        ordering = ["lot_type", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["lot_type", "effective_from"], name="trading_bondcap_version")]

    def __str__(self) -> str:
        return f"{rules.LOT_TYPES.get(self.lot_type, self.lot_type)} ≤ {self.rate}%（{self.effective_from:%Y-%m-%d}起）"

    def as_rule(self) -> rules_bonds.Cap:
        return rules_bonds.Cap(self.lot_type, self.rate, self.max_amount, self.effective_from, self.source,
                               self.effective_to)


class BondReduction(models.Model):
    grade = models.CharField(_("信用等级（空为无等级）"), max_length=1, blank=True,
                             choices=[("A", "A"), ("B", "B"), ("C", "C"), ("D", "D"), ("", "无等级")])
    percent = models.DecimalField(_("应缴比例（%）"), max_digits=5, decimal_places=2)
    effective_from = models.DateField(_("施行日期"))
    effective_to = models.DateField(_("废止日期"), null=True, blank=True)
    source = models.CharField(_("依据"), max_length=300)

    class Meta:
        verbose_name = _("保证金信用减免")
        verbose_name_plural = _("保证金信用减免")
        ordering = ["grade", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["grade", "effective_from"], name="trading_bondreduction_version")]

    def __str__(self) -> str:
        return f"{self.grade or '无等级'}：{self.percent}%（{self.effective_from:%Y-%m-%d}起）"

    def as_rule(self) -> rules_bonds.Reduction:
        return rules_bonds.Reduction(self.grade, self.percent, self.effective_from, self.source, self.effective_to)


class DepositRate(models.Model):
    annual_percent = models.DecimalField(_("活期存款年利率（%）"), max_digits=6, decimal_places=4)
    effective_from = models.DateField(_("施行日期"), unique=True)
    source = models.CharField(_("依据"), max_length=300)

    class Meta:
        verbose_name = _("活期存款利率")
        verbose_name_plural = _("活期存款利率")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"{self.annual_percent}%（{self.effective_from:%Y-%m-%d}起）"

    def as_rule(self) -> rules_bonds.Rate:
        return rules_bonds.Rate(self.annual_percent, self.effective_from, self.source)


class BondRequirement(models.Model):
    """The bond the tenderer requires for a lot (none: no bond required)."""

    lot = models.OneToOneField("trading.Lot", verbose_name=_("标段"), on_delete=models.CASCADE,
                               related_name="bond_requirement")
    amount = models.DecimalField(_("投标保证金（元）"), **MONEY)
    validity_days = models.PositiveSmallIntegerField(_("投标有效期（日）"), default=90)
    cap = models.DecimalField(_("设置时的上限（元）"), null=True, blank=True, **MONEY)
    source = models.CharField(_("上限依据"), max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("设置人"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(_("设置时间"))
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("投标保证金要求")
        verbose_name_plural = _("投标保证金要求")

    def __str__(self) -> str:
        return f"{self.amount} 元（标段 {self.lot_id}）"


class Bond(models.Model):
    """One bidder's bond for one lot: its sub-account (子账户) and the credit grade read when it was made."""

    lot = models.ForeignKey("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT, related_name="bonds")
    bidder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办理人"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    bidder_uscc = models.CharField(_("投标人统一社会信用代码"), max_length=18, db_index=True)
    bidder_name = models.CharField(_("投标人"), max_length=200)
    bank_code = models.CharField(_("开户银行"), max_length=40, blank=True)
    sub_account_no = models.CharField(_("子账户账号"), max_length=40, blank=True)
    grade = models.CharField(_("采用的信用等级"), max_length=1, blank=True)
    percent = models.DecimalField(_("应缴比例（%）"), max_digits=5, decimal_places=2)
    reduction_source = models.CharField(_("减免依据"), max_length=300, blank=True)
    grade_read_at = models.DateTimeField(_("信用等级读取时间"))
    secured_at = models.DateTimeField(_("保证完成时间"), null=True, blank=True)
    method = models.CharField(_("保证方式"), max_length=12, blank=True,
                              choices=[("cash", "现金（子账户）"), ("guarantee", "电子保函")])
    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("投标保证金")
        verbose_name_plural = _("投标保证金")
        ordering = ["lot", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "bidder_uscc"], name="trading_bond_bidder"),
            models.UniqueConstraint(fields=["sub_account_no"], condition=~models.Q(sub_account_no=""),
                                    name="trading_bond_sub_account"),
        ]

    def __str__(self) -> str:
        return f"{self.bidder_name}（{self.lot_id}）"


class BondPayment(models.Model):
    """A payment notification of the bank (到账通知) on a bond's sub-account."""

    bond = models.ForeignKey(Bond, verbose_name=_("保证金"), on_delete=models.PROTECT, related_name="payments")
    bank_code = models.CharField(_("银行"), max_length=40)
    notification_id = models.CharField(_("通知编号"), max_length=64)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    payer_account = models.CharField(_("付款账号"), max_length=40, db_index=True)
    payer_name = models.CharField(_("付款户名"), max_length=200)
    payer_bank = models.CharField(_("付款行"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("到账时间"))
    counts = models.BooleanField(_("截止前到账"))
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("保证金到账")
        verbose_name_plural = _("保证金到账")
        ordering = ["bond", "received_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["bank_code", "notification_id"], name="trading_payment_once")]

    def __str__(self) -> str:
        return f"{self.amount} 元（{self.received_at:%Y-%m-%d %H:%M}）"


class Guarantee(models.Model):
    """An e-guarantee (银行保函 or 保证保险) entered by the bidder, with the issuer's verification."""

    KINDS = {"bank": "银行保函", "insurance": "保证保险保函"}
    bond = models.ForeignKey(Bond, verbose_name=_("保证金"), on_delete=models.PROTECT, related_name="guarantees")
    kind = models.CharField(_("保函类型"), max_length=12, choices=list(KINDS.items()))
    issuer_code = models.CharField(_("出具机构代码"), max_length=40)
    issuer_name = models.CharField(_("出具机构"), max_length=200, blank=True)
    guarantee_no = models.CharField(_("保函编号"), max_length=64)
    amount = models.DecimalField(_("担保金额（元）"), null=True, blank=True, **MONEY)
    valid_from = models.DateField(_("有效期自"), null=True, blank=True)
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)
    accepted = models.BooleanField(_("已接受"))
    refusal_code = models.CharField(_("不接受代码"), max_length=60, blank=True)
    refusal = models.CharField(_("不接受原因"), max_length=300, blank=True)
    verified_at = models.DateTimeField(_("核验时间"))

    class Meta:
        verbose_name = _("电子保函")
        verbose_name_plural = _("电子保函")
        ordering = ["bond", "verified_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["issuer_code", "guarantee_no"], condition=models.Q(accepted=True),
                                               name="trading_guarantee_once")]

    def __str__(self) -> str:
        return f"{self.issuer_code} {self.guarantee_no}"


REFUND_DUE, REFUND_ORDERED, REFUND_PAID = "due", "ordered", "paid"
REFUND_STATES = {REFUND_DUE: "待退付", REFUND_ORDERED: "已发退付指令", REFUND_PAID: "已退付"}


class Refund(models.Model):
    """The refund of a bond's cash with bank interest, due within 5 days of its event (REG Art. 35, 57)."""

    bond = models.OneToOneField(Bond, verbose_name=_("保证金"), on_delete=models.PROTECT, related_name="refund")
    reason = models.CharField(_("退付原因"), max_length=20, choices=list(rules_bonds.REFUND_REASONS.items()))
    event_on = models.DateField(_("事由发生日"))
    due_on = models.DateField(_("应退付日（最迟）"), db_index=True)
    principal = models.DecimalField(_("本金（元）"), **MONEY)
    interest = models.DecimalField(_("利息（元）"), null=True, blank=True, **MONEY)
    interest_days = models.PositiveIntegerField(_("计息天数"), null=True, blank=True)
    to_account = models.CharField(_("退付账号"), max_length=40)
    to_name = models.CharField(_("退付户名"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=list(REFUND_STATES.items()), default=REFUND_DUE,
                              db_index=True)
    overdue = models.BooleanField(_("已逾期"), default=False, db_index=True)
    warned_at = models.DateTimeField(_("逾期提醒时间"), null=True, blank=True)
    order_no = models.CharField(_("退付指令号"), max_length=64, blank=True)
    ordered_at = models.DateTimeField(_("发出指令时间"), null=True, blank=True)
    paid_at = models.DateTimeField(_("退付到账时间"), null=True, blank=True)
    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("保证金退付")
        verbose_name_plural = _("保证金退付")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.principal} 元（{self.due_on:%Y-%m-%d}前）"

    @property
    def status_label(self) -> str:
        return REFUND_STATES.get(self.status, self.status)

    @property
    def reason_label(self) -> str:
        return rules_bonds.REFUND_REASONS.get(self.reason, self.reason)


class SimulatedGuarantee(models.Model):
    """The simulated issuers' registry of issued guarantees (demo and tests; a real issuer answers online)."""

    issuer_code = models.CharField(_("出具机构代码"), max_length=40)
    issuer_name = models.CharField(_("出具机构"), max_length=200)
    kind = models.CharField(_("保函类型"), max_length=12, choices=list(Guarantee.KINDS.items()))
    guarantee_no = models.CharField(_("保函编号"), max_length=64)
    applicant_uscc = models.CharField(_("申请人统一社会信用代码"), max_length=18)
    beneficiary_uscc = models.CharField(_("受益人统一社会信用代码"), max_length=18)
    lot_ref = models.CharField(_("标段编号"), max_length=40)
    amount = models.DecimalField(_("担保金额（元）"), **MONEY)
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"))
    revoked = models.BooleanField(_("已撤销"), default=False)
    basic_account_bank = models.BooleanField(_("出具行为申请人基本户开户行"), default=True)

    class Meta:
        verbose_name = _("模拟保函登记")
        verbose_name_plural = _("模拟保函登记（演示）")
        constraints = [models.UniqueConstraint(fields=["issuer_code", "guarantee_no"], name="trading_simguarantee_no")]

    def __str__(self) -> str:
        return f"{self.issuer_name} {self.guarantee_no}"
