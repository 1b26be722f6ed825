"""Evaluation experts (评标专家) and the evaluation committee (评标委员会) of a lot."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.trading import rules, rules_experts


class Specialty(models.Model):
    """专业分类 (a tree by code: A 工程类 › A08 房屋建筑 › A0801 施工), as data edited in the admin."""

    code = models.CharField(_("编码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey("self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children")
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("专家专业分类")
        verbose_name_plural = _("专家专业分类")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


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
    # The ID number is never stored: a keyed digest finds a person, the mask is what is shown (kernel.protect).
    id_digest = models.CharField(_("身份证号摘要"), max_length=64, unique=True, null=True, blank=True)
    id_masked = models.CharField(_("身份证号（脱敏）"), max_length=20, blank=True)
    phone = models.CharField(_("手机号"), max_length=11, blank=True)  # needed to send; shown masked
    title = models.CharField(_("职称"), max_length=60, blank=True)
    qualification = models.CharField(_("执业资格"), max_length=100, blank=True)
    specialties = models.ManyToManyField(Specialty, verbose_name=_("评标专业"), related_name="experts", blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=list(rules_experts.EXPERT_STATUSES.items()),
                              default=rules_experts.ACTIVE)
    verification = models.CharField(_("身份及社保核验"), max_length=8,
                                    choices=list(rules_experts.VERIFICATION_STATES.items()),
                                    default=rules_experts.PENDING)
    verification_note = models.CharField(_("核验说明"), max_length=300, blank=True)
    verified_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    registered_by_self = models.BooleanField(_("本人申请入库"), default=False)
    row_version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("更新时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评标专家")
        verbose_name_plural = _("评标专家")
        ordering = ["pk"]
        # The draw's pool query reads only drawable experts' avoidance columns: an index-only scan on PostgreSQL.
        indexes = [models.Index(fields=["id", "employer_uscc", "suspended_until", "region"],
                                condition=models.Q(status="active", verification="verified"),
                                name="trading_expert_drawable")]

    def __str__(self) -> str:
        return self.name

    @property
    def status_label(self) -> str:
        return rules_experts.EXPERT_STATUSES.get(self.status, self.status)

    @property
    def verification_label(self) -> str:
        return rules_experts.VERIFICATION_STATES.get(self.verification, self.verification)

    @property
    def phone_masked(self) -> str:
        from yingshang.kernel.services.sms import mask_phone

        return mask_phone(self.phone) if self.phone else ""


class ExpertRelation(models.Model):
    """A unit the expert worked for or declared an interest in: avoided in draws while recent (回避)."""

    expert = models.ForeignKey(Expert, verbose_name=_("专家"), on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(_("类型"), max_length=12, choices=list(rules_experts.RELATION_KINDS.items()))
    uscc = models.CharField(_("单位统一社会信用代码"), max_length=18)
    name = models.CharField(_("单位名称"), max_length=200)
    ended_on = models.DateField(_("截止日期"), null=True, blank=True)  # empty: still in force
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("专家回避关系")
        verbose_name_plural = _("专家回避关系")
        ordering = ["expert", "pk"]
        indexes = [models.Index(fields=["uscc", "expert"], name="trading_relation_uscc")]

    def __str__(self) -> str:
        return f"{self.expert.name} · {self.name}"


class ExpertSanction(models.Model):
    """A sanction (暂停 6/12 个月、取消资格, seed 002) with its reason and decision number."""

    expert = models.ForeignKey(Expert, verbose_name=_("专家"), on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField(_("处理"), max_length=12, choices=list(rules_experts.SANCTION_KINDS.items()))
    reason = models.CharField(_("事由"), max_length=500)
    document_no = models.CharField(_("处理决定文号"), max_length=100)
    starts_on = models.DateField(_("起始日期"))
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("专家处理记录")
        verbose_name_plural = _("专家处理记录")
        ordering = ["expert", "-starts_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.expert.name} {self.get_kind_display()}"


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
