"""Import batches (one upload, API call or command run) and the problems found in their rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.credit.choices import BatchKind, BatchSource, BatchStatus
from yingshang.kernel.models import Department


class ImportBatch(models.Model):
    """All or nothing: the rows of a batch are stored in one transaction. Counts are final when it succeeded."""

    kind = models.CharField(_("信息类型"), max_length=12, choices=BatchKind.choices)
    source = models.CharField(_("报送方式"), max_length=12, choices=BatchSource.choices)
    department = models.ForeignKey(Department, verbose_name=_("报送部门"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_by_name = models.CharField(_("报送人姓名"), max_length=100, blank=True, default="")
    file_name = models.CharField(_("文件名"), max_length=255, blank=True, default="")
    stored_path = models.CharField(_("存储路径"), max_length=255, blank=True, default="", editable=False)
    file_size = models.BigIntegerField(_("文件大小"), default=0)
    status = models.CharField(_("状态"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    attempts = models.PositiveIntegerField(_("运行次数"), default=0)
    rows_total = models.PositiveIntegerField(_("数据行数"), default=0)
    accepted = models.PositiveIntegerField(_("接收"), default=0)
    inserted = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    unchanged = models.PositiveIntegerField(_("未变化"), default=0)
    rejected = models.PositiveIntegerField(_("拒收"), default=0)
    late = models.PositiveIntegerField(_("迟报"), default=0)
    issues_truncated = models.BooleanField(_("问题明细已截断"), default=False)
    corrections_path = models.CharField(_("纠错文件"), max_length=255, blank=True, default="", editable=False)
    error_code = models.CharField(_("错误代码"), max_length=64, blank=True, default="")
    error_message = models.TextField(_("错误说明"), blank=True, default="")
    error_details = models.JSONField(_("错误详情"), blank=True, default=dict)  # e.g. {"columns": [...]} of a missing column
    created_at = models.DateTimeField(_("提交时间"))
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["department", "created_at"], name="credit_batch_dept_idx"),
                   models.Index(fields=["status"], name="credit_batch_status_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.file_name}"

    @property
    def finished(self) -> bool:
        return self.status in (BatchStatus.SUCCEEDED, BatchStatus.FAILED, BatchStatus.INTERRUPTED)


class RowIssue(models.Model):
    """One problem in one row (the first `MAX_STORED_ISSUES` per batch; the corrections file has them all).

    Personal numbers never appear here: `identifier` is masked for resident IDs.
    """

    batch = models.ForeignKey(ImportBatch, verbose_name=_("批次"), on_delete=models.CASCADE, related_name="issues")
    row_no = models.PositiveIntegerField(_("行号"))
    column = models.CharField(_("列"), max_length=100, blank=True, default="")
    field = models.CharField(_("字段"), max_length=60, blank=True, default="")
    code = models.CharField(_("错误代码"), max_length=64)
    message = models.TextField(_("原因"))
    document_no = models.CharField(_("决定文书号"), max_length=128, blank=True, default="")
    subject_name = models.CharField(_("相对人名称"), max_length=200, blank=True, default="")
    identifier = models.CharField(_("证照号码"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("导入问题")
        verbose_name_plural = _("导入问题")
        ordering = ["batch", "row_no", "id"]
        indexes = [models.Index(fields=["code"], name="credit_issue_code_idx")]

    def __str__(self) -> str:
        return f"#{self.batch_id} 第{self.row_no}行 {self.message}"
