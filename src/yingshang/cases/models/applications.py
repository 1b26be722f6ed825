"""Online application (网上申报): the form data of an application, the applicant's material library
(一次提交、重复使用) and the window's online pre-review (网上预审)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class MaterialSource(models.TextChoices):
    """How an online applicant provided a material."""

    UPLOAD = "upload", _("上传")
    LIBRARY = "library", _("材料库")
    ELICENSE = "elicense", _("电子证照")


class ApplicationForm(models.Model):
    """What the applicant typed on the online form besides the account data (contact, address, request)."""

    case = models.OneToOneField("cases.Case", verbose_name=_("办件"), on_delete=models.CASCADE, related_name="form")
    data = models.JSONField(_("表单内容"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("申请表单")
        verbose_name_plural = _("申请表单")

    def __str__(self) -> str:
        return f"申请表单（{self.case_id}）"


class LibraryEntry(models.Model):
    """A file kept in the applicant's material library, under the material name it was provided for."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("所有人"), on_delete=models.CASCADE,
                              related_name="+", db_index=False)  # library_owner_idx starts with it
    file = models.ForeignKey("kernel.StoredFile", verbose_name=_("文件"), on_delete=models.PROTECT, related_name="+")
    material_name = models.CharField(_("材料名称"), max_length=200)
    created_at = models.DateTimeField(_("加入时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("材料库文件")
        verbose_name_plural = _("材料库文件")
        ordering = ["owner", "-id"]
        indexes = [models.Index(fields=["owner", "-id"], name="library_owner_idx")]
        constraints = [models.UniqueConstraint(fields=["owner", "file"], name="library_owner_file_unique")]

    def __str__(self) -> str:
        return self.material_name


class PreReview(models.Model):
    """One pre-review opinion of a window clerk on a submitted online application.

    `round` is the case's correction count at the time: a pass holds until the next correction.
    A return is a correction request (一次性告知) — the items are also on the case's correction notice.
    """

    PASSED, RETURNED = "passed", "returned"
    OUTCOMES = [(PASSED, _("预审通过")), (RETURNED, _("退回补正"))]

    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), on_delete=models.CASCADE, related_name="prereviews")
    round = models.PositiveSmallIntegerField(_("补正轮次"), default=0)
    outcome = models.CharField(_("结论"), max_length=10, choices=OUTCOMES)
    items = models.JSONField(_("补正内容"), default=list, blank=True)
    note = models.CharField(_("预审意见"), max_length=500, blank=True)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("预审人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    clerk_name = models.CharField(_("预审人姓名"), max_length=100, blank=True)
    at = models.DateTimeField(_("预审时间"), default=timezone.now)

    class Meta:
        verbose_name = _("网上预审")
        verbose_name_plural = _("网上预审")
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()}（{self.case_id}）"
