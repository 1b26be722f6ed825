"""The rows a version owns: departments involved, materials, fees and process steps.

They change only while their version is a draft; `_DraftOnly` refuses anything else, so the admin
or a shell cannot edit a published guide behind the services' back.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.catalog.choices import MaterialForm, Status, StepKind
from yingshang.kernel.errors import Conflict


def ensure_draft(version_id: int | None) -> None:
    from yingshang.catalog.models.items import ServiceItemVersion

    if version_id is None:
        return
    status = ServiceItemVersion.objects.filter(pk=version_id).values_list("status", flat=True).first()
    if status is not None and status != Status.DRAFT:
        raise Conflict("catalog.version_immutable", "已发布或已废止的版本不能修改；请基于它新建草稿。",
                       details={"version_id": version_id})


class _DraftOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        ensure_draft(self.version_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        ensure_draft(self.version_id)
        return super().delete(*args, **kwargs)


class JointDepartment(_DraftOnly):
    """A department involved in handling the item (联办部门), in order; the lead department comes first."""

    version = models.ForeignKey("catalog.ServiceItemVersion", verbose_name=_("事项版本"), on_delete=models.CASCADE,
                                related_name="joint_departments")
    department = models.ForeignKey("kernel.Department", verbose_name=_("部门"), on_delete=models.PROTECT,
                                   related_name="+")
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)
    responsibility = models.CharField(_("职责"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("联办部门")
        verbose_name_plural = _("联办部门")
        ordering = ["version", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "department"], name="catalog_joint_dept_unique")]

    def __str__(self) -> str:
        return str(self.department)


class Material(_DraftOnly):
    """A document the applicant provides (申请材料)."""

    version = models.ForeignKey("catalog.ServiceItemVersion", verbose_name=_("事项版本"), on_delete=models.CASCADE,
                                related_name="materials")
    name = models.CharField(_("材料名称"), max_length=200)
    form = models.CharField(_("材料形式"), max_length=20, choices=MaterialForm.choices, default=MaterialForm.ORIGINAL)
    count = models.PositiveSmallIntegerField(_("份数"), default=1)
    required = models.BooleanField(_("必需"), default=True)
    pending_allowed = models.BooleanField(_("可容缺"), default=False,
                                          help_text=_("受理时可暂缺、由申请人承诺限期补齐（容缺受理）"))
    from_library = models.BooleanField(_("可从材料库复用"), default=False)
    elicense_type = models.CharField(_("可用电子证照"), max_length=100, blank=True, help_text=_("如：营业执照"))
    notes = models.CharField(_("备注"), max_length=500, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["version", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name


class Fee(_DraftOnly):
    """A charge (收费项目); an amount left empty means the item charges nothing for it (不收费)."""

    version = models.ForeignKey("catalog.ServiceItemVersion", verbose_name=_("事项版本"), on_delete=models.CASCADE,
                                related_name="fees")
    name = models.CharField(_("收费项目"), max_length=200)
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True,
                                 help_text=_("留空表示不收费"))
    unit = models.CharField(_("计费单位"), max_length=40, blank=True, help_text=_("如：元/件"))
    basis = models.CharField(_("收费依据"), max_length=500, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("收费")
        verbose_name_plural = _("收费")
        ordering = ["version", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_free(self) -> bool:
        return self.amount is None


class ProcessStep(_DraftOnly):
    """A step of handling (办理环节). Steps of one stage run in parallel; stages run in order.

    The approval workflow reads these rows: which steps an item has is data, not code.
    """

    version = models.ForeignKey("catalog.ServiceItemVersion", verbose_name=_("事项版本"), on_delete=models.CASCADE,
                                related_name="steps")
    stage = models.PositiveSmallIntegerField(_("阶段"), default=1, help_text=_("同一阶段的环节并联办理"))
    name = models.CharField(_("环节名称"), max_length=100)
    step_kind = models.CharField(_("环节类型"), max_length=16, choices=StepKind.choices, default=StepKind.REVIEW)
    department = models.ForeignKey("kernel.Department", verbose_name=_("办理部门"), on_delete=models.PROTECT,
                                   related_name="+")
    limit_days = models.PositiveSmallIntegerField(_("时限（工作日）"), default=0)
    sort_order = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("办理环节")
        verbose_name_plural = _("办理环节")
        ordering = ["version", "stage", "sort_order", "id"]

    def __str__(self) -> str:
        return self.name
