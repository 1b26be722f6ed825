"""The case (办件) and what hangs on it for the applicant: materials, commitments, the timeline."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yingshang.cases import rules
from yingshang.cases.choices import (
    LIMIT_SOURCE_CHOICES,
    STATUS_CHOICES,
    WARNING_CHOICES,
    ApplicantKind,
    Channel,
    ClockState,
    CommitmentKind,
    MaterialStatus,
    VerificationStatus,
)
from yingshang.cases.models.applications import MaterialSource


class Case(models.Model):
    """One application being handled, from submission to conclusion.

    The case keeps the item version it started with: later versions of the item never change the
    materials, steps or limits of a case already under way. `row_version` grows with every action;
    callers pass the value they saw, so a stale action is refused instead of overwriting another's.
    """

    case_no = models.CharField(_("办件编号"), max_length=24, unique=True, null=True, blank=True,
                               help_text=_("提交时编号，如 SL2026000123；草稿没有编号"))
    # db_index=False where a composite index below starts with the column (one index less to write).
    item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("事项"), on_delete=models.PROTECT,
                             related_name="cases", db_index=False)
    item_version = models.ForeignKey("catalog.ServiceItemVersion", verbose_name=_("事项版本"),
                                     on_delete=models.PROTECT, related_name="cases")
    item_name = models.CharField(_("事项名称"), max_length=200)
    kind = models.CharField(_("办件类型"), max_length=16, help_text=_("即办件、承诺件或联办件，取自事项版本"))
    department = models.ForeignKey("kernel.Department", verbose_name=_("主办部门"), on_delete=models.PROTECT,
                                   related_name="cases", db_index=False)

    # The applicant. A resident ID is never stored: only its keyed digest, a masked form and its last
    # four characters (for the public progress lookup). An enterprise's USCC is public (国家企业信用信息
    # 公示系统) and kept in full: credit checks and 双公示 records need it.
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人账号"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="cases")
    applicant_kind = models.CharField(_("申请人类型"), max_length=16, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人"), max_length=200)
    identifier_kind = models.CharField(_("证件类型"), max_length=20, blank=True)
    identifier_digest = models.CharField(_("证件号码摘要"), max_length=64, blank=True, db_index=True)
    identifier_masked = models.CharField(_("证件号码（脱敏）"), max_length=32, blank=True)
    identifier_last4 = models.CharField(_("证件号码后四位"), max_length=4, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    channel = models.CharField(_("申报渠道"), max_length=8, choices=Channel.choices)
    hall = models.ForeignKey("kernel.Department", verbose_name=_("受理大厅"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("受理人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(_("状态"), max_length=24, choices=STATUS_CHOICES, default=rules.DRAFT)
    row_version = models.PositiveIntegerField(_("版本"), default=1)
    current_stage = models.PositiveSmallIntegerField(_("当前阶段"), default=0)
    corrections = models.PositiveSmallIntegerField(_("补正告知次数"), default=0)

    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    received_on = models.DateField(_("收件日期"), null=True, blank=True,
                                   help_text=_("最近一次收到完整申请材料的日期（行政许可法第三十二条的起算日）"))
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    accepted_on = models.DateField(_("计时起算日"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decision_basis = models.TextField(_("决定依据"), blank=True)

    # The time-limit clock (see services/clock.py). `next_check` is the next day the warning can
    # change; the periodic sweep selects next_check <= today, so it touches only cases that change.
    clock_state = models.CharField(_("计时状态"), max_length=12, choices=ClockState.choices,
                                   default=ClockState.NOT_STARTED)
    limit_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"), null=True, blank=True)
    limit_source = models.CharField(_("时限来源"), max_length=20, choices=LIMIT_SOURCE_CHOICES, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("已批准延期（工作日）"), default=0)
    deadline = models.DateField(_("办结期限"), null=True, blank=True)
    deadline_provisional = models.BooleanField(_("期限为临时计算"), default=False,
                                               help_text=_("期限所在年份尚无官方节假日安排，按法定节假日推算"))
    yellow_on = models.DateField(_("黄牌日期"), null=True, blank=True)
    red_on = models.DateField(_("红牌日期"), null=True, blank=True)
    warning = models.CharField(_("预警"), max_length=8, choices=WARNING_CHOICES, default=rules.NONE)
    warning_changed_at = models.DateTimeField(_("预警变化时间"), null=True, blank=True)
    next_check = models.DateField(_("下次检查日期"), null=True, blank=True)
    on_time = models.BooleanField(_("按时办结"), null=True, blank=True)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "-id"], name="case_status_idx"),
            models.Index(fields=["department", "-id"], name="case_department_idx"),
            models.Index(fields=["item", "-id"], name="case_item_idx"),
            models.Index(fields=["warning", "-id"], name="case_warning_idx"),
            models.Index(fields=["-received_on", "-id"], name="case_received_idx"),
            models.Index(fields=["next_check"], name="case_next_check_idx", condition=Q(next_check__isnull=False)),
            models.Index(fields=["deadline"], name="case_provisional_idx", condition=Q(deadline_provisional=True)),
            # E-supervision's periodic refresh picks the days touched by acceptances and decisions.
            models.Index(fields=["accepted_on"], name="case_accepted_on_idx", condition=Q(accepted_on__isnull=False)),
            models.Index(fields=["decided_on"], name="case_decided_on_idx", condition=Q(decided_on__isnull=False)),
            # Prefix search (LIKE 'x%' on PostgreSQL needs the pattern operator class; SQLite uses GLOB
            # on the plain index, see queries.Prefix).
            models.Index(fields=["applicant_name"], name="case_applicant_name_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["case_no"], name="case_no_prefix_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.case_no or f"草稿 #{self.pk}"

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABELS.get(self.status, self.status)

    @property
    def is_person(self) -> bool:
        return self.applicant_kind == ApplicantKind.PERSON


class SubmittedMaterial(models.Model):
    """One material of the case's item version and whether the applicant provided it."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="materials")
    material = models.ForeignKey("catalog.Material", verbose_name=_("材料"), on_delete=models.PROTECT,
                                 related_name="+")
    name = models.CharField(_("材料名称"), max_length=200)
    required = models.BooleanField(_("必需"), default=True)
    pending_allowed = models.BooleanField(_("可容缺"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=MaterialStatus.choices, default=MaterialStatus.MISSING)
    # The uploaded or scanned file: a reference filled by the upload work (stored outside the web root).
    file_ref = models.CharField(_("文件"), max_length=255, null=True, blank=True)
    # Online application: the uploaded (or reused library) file, or the e-licence chosen instead.
    file = models.ForeignKey("kernel.StoredFile", verbose_name=_("上传文件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("提供方式"), max_length=10, choices=MaterialSource.choices, blank=True)
    elicense_id = models.CharField(_("电子证照标识"), max_length=64, blank=True)
    elicense_number = models.CharField(_("电子证照编号"), max_length=100, blank=True)
    provided_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    commitment = models.ForeignKey("cases.Commitment", verbose_name=_("容缺承诺"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="materials")
    note = models.CharField(_("补正说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["case", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "material"], name="case_material_unique")]

    def __str__(self) -> str:
        return self.name


class Commitment(models.Model):
    """A signed commitment: to supplement pending materials by a deadline (容缺受理), or that the
    applicant meets the conditions (告知承诺). The credit work reads fulfilment and breach."""

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="commitments")
    kind = models.CharField(_("类型"), max_length=20, choices=CommitmentKind.choices)
    text = models.TextField(_("承诺内容"))
    signed_by_name = models.CharField(_("承诺人"), max_length=200)
    signed_at = models.DateTimeField(_("签署时间"))
    supplement_deadline = models.DateField(_("补齐期限"), null=True, blank=True)
    fulfilled_at = models.DateTimeField(_("履行时间"), null=True, blank=True)
    breached_at = models.DateTimeField(_("违诺时间"), null=True, blank=True)
    breach_reason = models.CharField(_("违诺情形"), max_length=300, blank=True)
    document = models.ForeignKey("kernel.IssuedDocument", verbose_name=_("承诺书"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("承诺")
        verbose_name_plural = _("承诺")
        ordering = ["case", "id"]
        indexes = [
            # The sweep that stops cases whose 容缺 supplement deadline passed.
            models.Index(fields=["supplement_deadline"], name="commitment_open_deadline_idx",
                         condition=Q(fulfilled_at__isnull=True, breached_at__isnull=True,
                                     supplement_deadline__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.case}）"

    @property
    def is_open(self) -> bool:
        return self.fulfilled_at is None and self.breached_at is None


class PostVerification(models.Model):
    """事后核查: a notify-and-commit approval is checked afterwards by the owning department."""

    case = models.OneToOneField(Case, verbose_name=_("办件"), on_delete=models.CASCADE,
                                related_name="post_verification")
    commitment = models.ForeignKey(Commitment, verbose_name=_("承诺"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey("kernel.Department", verbose_name=_("核查部门"), on_delete=models.PROTECT,
                                   related_name="+")
    due_on = models.DateField(_("核查期限"))
    due_provisional = models.BooleanField(_("期限为临时计算"), default=False)
    status = models.CharField(_("状态"), max_length=8, choices=VerificationStatus.choices,
                              default=VerificationStatus.OPEN)
    result = models.TextField(_("核查结果"), blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核查人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField(_("核查时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("事后核查")
        verbose_name_plural = _("事后核查")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["department", "status", "due_on"], name="verification_dept_idx")]

    def __str__(self) -> str:
        return f"事后核查（{self.case}）"


class CaseEvent(models.Model):
    """The case's timeline as the applicant sees it (separate from the tamper-evident audit trail).

    `internal` events (for example how a credit-check hit was handled) are shown to staff only.
    """

    case = models.ForeignKey(Case, verbose_name=_("办件"), on_delete=models.CASCADE, related_name="events",
                             db_index=False)  # case_event_idx starts with it
    kind = models.CharField(_("类型"), max_length=32)
    text = models.TextField(_("内容"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor_name = models.CharField(_("办理人"), max_length=100, blank=True)
    department_name = models.CharField(_("办理单位"), max_length=100, blank=True)
    internal = models.BooleanField(_("仅内部可见"), default=False)
    document = models.ForeignKey("kernel.IssuedDocument", verbose_name=_("文书"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("办件动态")
        verbose_name_plural = _("办件动态")
        ordering = ["case", "at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_idx")]

    def __str__(self) -> str:
        return self.text[:40]
