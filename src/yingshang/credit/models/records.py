"""Collected credit records: 行政许可 and 行政处罚 (双公示) and other credit information.

Field sets follow the national 双公示 data standard (2019 version — verify); column headers are in
`credit.ingest.columns`. Every record belongs to the department that reported it and is unique on
(department, document number): re-submitting updates instead of duplicating. The platform adds
when it was first reported (`submitted_at`), whether that was late, and the publication period.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yingshang.credit.choices import Domain, LicenseCategory, OtherRecordKind, RecordStatus, Severity, SubjectKind
from yingshang.kernel.db import BlockRangeIndex
from yingshang.kernel.models import Department


class RecordBase(models.Model):
    # FK indexes off: the composite indexes below start with these columns (fewer indexes, faster imports).
    # No database FK constraints either (db_constraint=False): PostgreSQL checks a constraint row by row
    # with a query per reference — three per imported record, about a fifth of the import's cost — while
    # the import sets all three by construction (its own department and batch, the subject it has just
    # upserted). What a constraint would protect is kept by guards on the referenced tables instead:
    # on PostgreSQL a trigger refuses to delete a subject, department or batch that records still
    # reference (migration 0007); Django's PROTECT / SET_NULL apply as before on every database.
    department = models.ForeignKey(Department, verbose_name=_("报送部门"), on_delete=models.PROTECT, related_name="+",
                                   db_index=False, db_constraint=False)
    document_no = models.CharField(_("决定文书号"), max_length=128)
    subject = models.ForeignKey("credit.Subject", verbose_name=_("信用主体"), on_delete=models.PROTECT, related_name="+",
                                db_index=False, db_constraint=False)
    subject_name = models.CharField(_("行政相对人名称"), max_length=200)
    subject_category = models.CharField(_("行政相对人类别"), max_length=24, choices=SubjectKind.choices)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, default="")
    id_type = models.CharField(_("证件类型"), max_length=40, blank=True, default="")
    decision_date = models.DateField(_("决定日期"))
    authority = models.CharField(_("决定机关"), max_length=200)
    authority_uscc = models.CharField(_("决定机关统一社会信用代码"), max_length=18, blank=True, default="")
    record_status = models.CharField(_("当前状态"), max_length=16, choices=RecordStatus.choices, default=RecordStatus.VALID)
    source_unit = models.CharField(_("数据来源单位"), max_length=200)
    source_unit_uscc = models.CharField(_("数据来源单位统一社会信用代码"), max_length=18, blank=True, default="")
    remarks = models.TextField(_("备注"), blank=True, default="")
    # --- kept by the platform ---
    # Batches are never deleted, so the reference needs no index of its own.
    batch = models.ForeignKey("credit.ImportBatch", verbose_name=_("最近导入批次"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+", db_index=False, db_constraint=False)
    submitted_at = models.DateTimeField(_("首次报送时间"))
    updated_at = models.DateTimeField(_("更新时间"))
    late_days = models.IntegerField(_("报送用时（工作日）"), null=True, blank=True)
    is_late = models.BooleanField(_("迟报"), default=False)
    late_rule = models.CharField(_("报送时限规则"), max_length=40, blank=True, default="")
    published = models.BooleanField(_("公示"), default=True)
    publication_end = models.DateField(_("公示截止日"), null=True, blank=True)
    publication_ended_at = models.DateTimeField(_("提前终止公示时间"), null=True, blank=True)
    publication_end_reason = models.CharField(_("终止公示原因"), max_length=200, blank=True, default="")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.document_no} {self.subject_name}"


class DualPublicityBase(RecordBase):
    registration_no = models.CharField(_("工商注册号"), max_length=50, blank=True, default="")
    organization_code = models.CharField(_("组织机构代码"), max_length=9, blank=True, default="")
    tax_registration_no = models.CharField(_("税务登记号"), max_length=50, blank=True, default="")
    institution_cert_no = models.CharField(_("事业单位证书号"), max_length=50, blank=True, default="")
    social_org_cert_no = models.CharField(_("社会组织登记证号"), max_length=50, blank=True, default="")
    legal_rep = models.CharField(_("法定代表人"), max_length=100, blank=True, default="")
    legal_rep_id_type = models.CharField(_("法定代表人证件类型"), max_length=40, blank=True, default="")
    legal_rep_id_masked = models.CharField(_("法定代表人证件号码（脱敏）"), max_length=64, blank=True, default="")
    legal_rep_id_digest = models.CharField(_("法定代表人证件号码摘要"), max_length=64, blank=True, default="",
                                           editable=False)

    class Meta:
        abstract = True


def _indexes(prefix: str) -> list[models.Index]:
    return [
        models.Index(fields=["subject", "decision_date"], name=f"{prefix}_subject_idx"),
        models.Index(fields=["department", "decision_date"], name=f"{prefix}_dept_date_idx"),
        models.Index(fields=["decision_date"], name=f"{prefix}_date_idx"),
        # Quality monitoring and the dashboard count by month of submission. Rows are written in that
        # order and a batch shares one value: block ranges (BRIN) serve the range scans, at no cost per row.
        BlockRangeIndex(fields=["submitted_at"], name=f"{prefix}_submitted_brin"),
        # Normally empty: records whose lateness must be recomputed after a corrected decision date.
        models.Index(fields=["department"], condition=Q(late_rule=""), name=f"{prefix}_late_recheck"),
    ]


class LicenseRecord(DualPublicityBase):
    document_name = models.CharField(_("行政许可决定文书名称"), max_length=200)
    license_category = models.CharField(_("许可类别"), max_length=16, choices=LicenseCategory.choices)
    certificate_name = models.CharField(_("许可证书名称"), max_length=200, blank=True, default="")
    license_no = models.CharField(_("许可编号"), max_length=128, blank=True, default="")
    content = models.TextField(_("许可内容"))
    valid_from = models.DateField(_("有效期自"))
    valid_to = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("空表示长期有效"))

    class Meta:
        verbose_name = _("行政许可信息")
        verbose_name_plural = _("行政许可信息")
        constraints = [models.UniqueConstraint(fields=["department", "document_no"], name="credit_license_document")]
        indexes = _indexes("credit_lic")


class PenaltyRecord(DualPublicityBase):
    violation_type = models.CharField(_("违法行为类型"), max_length=200)
    violation_facts = models.TextField(_("违法事实"))
    legal_basis = models.TextField(_("处罚依据"))
    penalty_categories = models.CharField(_("处罚类别"), max_length=200)
    content = models.TextField(_("处罚内容"))
    fine_amount = models.DecimalField(_("罚款金额（万元）"), max_digits=18, decimal_places=6, null=True, blank=True)
    confiscation_amount = models.DecimalField(_("没收违法所得、没收非法财物的金额（万元）"), max_digits=18, decimal_places=6,
                                              null=True, blank=True)
    suspended_license = models.CharField(_("暂扣或吊销证照名称及编号"), max_length=200, blank=True, default="")
    penalty_valid_until = models.DateField(_("处罚有效期"), null=True, blank=True)
    reported_publication_deadline = models.DateField(_("公示截止期（报送）"), null=True, blank=True)
    severity = models.CharField(_("失信严重程度"), max_length=16, choices=Severity.choices, blank=True, default="")
    domain = models.CharField(_("所属领域"), max_length=24, choices=Domain.choices, blank=True, default="")
    publication_rule = models.CharField(_("公示期限规则"), max_length=40, blank=True, default="")
    repair_from = models.DateField(_("最短公示期届满日"), null=True, blank=True)

    class Meta:
        verbose_name = _("行政处罚信息")
        verbose_name_plural = _("行政处罚信息")
        constraints = [models.UniqueConstraint(fields=["department", "document_no"], name="credit_penalty_document")]
        indexes = _indexes("credit_pen")


class OtherRecord(RecordBase):
    kind = models.CharField(_("信息类别"), max_length=24, choices=OtherRecordKind.choices)
    title = models.CharField(_("信息名称"), max_length=200)
    content = models.TextField(_("信息内容"))
    valid_from = models.DateField(_("有效期自"), null=True, blank=True)
    valid_to = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("其他信用信息")
        verbose_name_plural = _("其他信用信息")
        constraints = [models.UniqueConstraint(fields=["department", "document_no"], name="credit_other_document")]
        indexes = _indexes("credit_oth")
