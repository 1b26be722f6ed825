"""A service item (the stable identity cases and statistics point at) and its versions (the content).

A version is a draft until published; published and retired versions never change (a case keeps
the version it started with), so an edit is a new draft. Each non-draft version has a validity
window [valid_from, valid_to] (both inclusive, valid_to open while it is the latest); windows of one
item never overlap, so exactly one version is in force on any day the item exists.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.catalog.choices import ApplicantKind, Channel, ItemType, Kind, Level, Status
from yingshang.kernel.errors import Conflict

# What may still change on a version that is no longer a draft: its lifecycle, never its content.
LIFECYCLE_FIELDS = frozenset({"status", "valid_from", "valid_to", "published_at", "retired_at", "retire_reason"})


class ServiceItem(models.Model):
    """One thing the government does for applicants, identified by its code (事项编码) at one level."""

    code = models.CharField(_("事项编码"), max_length=64, unique=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, default=Level.CITY)
    department = models.ForeignKey(
        "kernel.Department", verbose_name=_("实施部门"), on_delete=models.PROTECT, related_name="service_items"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("政务服务事项")
        verbose_name_plural = _("政务服务事项")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ServiceItemVersion(models.Model):
    """The content of an item as published for a period: the service guide and the workflow's data."""

    item = models.ForeignKey(ServiceItem, verbose_name=_("事项"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    valid_from = models.DateField(_("生效日期"), null=True, blank=True)
    valid_to = models.DateField(_("失效日期"), null=True, blank=True, help_text=_("该日仍有效；空表示长期有效"))
    change_note = models.CharField(_("修订说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    retired_at = models.DateTimeField(_("废止时间"), null=True, blank=True)
    retire_reason = models.CharField(_("废止原因"), max_length=200, blank=True)

    # 四同: name, type and legal basis (the code is the item's).
    name = models.CharField(_("事项名称"), max_length=200)
    item_type = models.CharField(_("事项类型"), max_length=32, choices=ItemType.choices)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    kind = models.CharField(_("办件类型"), max_length=16, choices=Kind.choices, default=Kind.COMMITTED)
    statutory_limit_days = models.PositiveSmallIntegerField(
        _("法定时限（工作日）"), null=True, blank=True, help_text=_("无法定时限时留空，按行政许可法第四十二条的默认期限计")
    )
    committed_limit_days = models.PositiveSmallIntegerField(_("承诺时限（工作日）"), default=0)
    applicant_kinds = models.JSONField(_("服务对象"), default=list, blank=True,
                                       help_text=_("取值：") + "、".join(ApplicantKind.values))
    conditions = models.TextField(_("受理条件"), blank=True)
    result_name = models.CharField(_("办理结果"), max_length=200, blank=True, help_text=_("如：食品经营许可证"))

    # Four-do tags (四办) and visits.
    do_now = models.BooleanField(_("马上办"), default=False)
    do_online = models.BooleanField(_("网上办"), default=False)
    do_nearby = models.BooleanField(_("就近办"), default=False)
    do_once = models.BooleanField(_("一次办"), default=False)
    at_most_one_visit = models.BooleanField(_("最多跑一次"), default=False)
    zero_visit = models.BooleanField(_("零跑腿"), default=False)
    visits_needed = models.PositiveSmallIntegerField(_("到现场次数"), default=1)
    notify_and_commit = models.BooleanField(_("告知承诺"), default=False,
                                            help_text=_("申请人书面承诺符合条件即予办理，事后核查"))

    # Where and how.
    channels = models.JSONField(_("办理渠道"), default=list, blank=True,
                                help_text=_("取值：") + "、".join(Channel.values))
    consultation_phone = models.CharField(_("咨询电话"), max_length=60, blank=True)
    complaint_phone = models.CharField(_("监督投诉电话"), max_length=60, blank=True)
    service_hours = models.CharField(_("办理时间"), max_length=200, blank=True)
    location_note = models.CharField(_("办理地点及窗口"), max_length=300, blank=True)
    halls = models.ManyToManyField("kernel.Department", verbose_name=_("办理大厅"), blank=True,
                                   related_name="hall_item_versions", limit_choices_to={"kind": "hall"})
    departments = models.ManyToManyField("kernel.Department", verbose_name=_("联办部门"), blank=True,
                                         through="catalog.JointDepartment", related_name="joint_item_versions")

    class Meta:
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")
        ordering = ["item__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="catalog_version_number_unique"),
            models.UniqueConstraint(fields=["item"], condition=models.Q(status="draft"),
                                    name="catalog_one_draft_per_item"),
            models.CheckConstraint(condition=models.Q(status="draft") | models.Q(valid_from__isnull=False),
                                   name="catalog_published_has_valid_from"),
        ]
        indexes = [models.Index(fields=["status", "valid_from", "valid_to"], name="catalog_ver_window_idx")]

    def __str__(self) -> str:
        return f"{self.name}（第 {self.number} 版）"

    def save(self, *args, **kwargs):
        """Refuse to change the content of a version that is no longer a draft (only its lifecycle may change)."""
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            update_fields = kwargs.get("update_fields")
            if stored not in (None, Status.DRAFT) and (update_fields is None or set(update_fields) - LIFECYCLE_FIELDS):
                raise Conflict("catalog.version_immutable", "已发布或已废止的版本不能修改；请基于它新建草稿。",
                               details={"version_id": self.pk})
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status != Status.DRAFT:
            raise Conflict("catalog.version_immutable", "已发布或已废止的版本不能删除。", details={"version_id": self.pk})
        return super().delete(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    def clean(self) -> None:
        """Field-level checks the admin form shows next to the fields (the full rules run at publication)."""
        statutory, committed = self.statutory_limit_days, self.committed_limit_days
        if statutory is not None and committed is not None and committed > statutory:
            raise ValidationError({"committed_limit_days": _("承诺时限（%(c)s 个工作日）不能超过法定时限（%(s)s 个工作日）。")
                                   % {"c": committed, "s": statutory}})
