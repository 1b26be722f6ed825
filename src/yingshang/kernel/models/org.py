"""Organisation and accounts: departments in a hierarchy, users with roles, API tokens for systems."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A node of the organisation: the city, a district, a department, a hall, a street office."""

    class Kind(models.TextChoices):
        CITY = "city", _("市")
        DISTRICT = "district", _("区县")
        DEPARTMENT = "department", _("部门")
        HALL = "hall", _("政务服务大厅")
        STREET = "street", _("乡镇街道")
        CENTRE = "centre", _("中心")

    code = models.CharField(_("编码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialized path of codes ("/610800/610800-SCJGJ/"), so a subtree is one indexed prefix match.
    path = models.CharField(_("路径"), max_length=400, editable=False, db_index=True)
    division_code = models.CharField(_("行政区划代码"), max_length=6, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("部门")
        verbose_name_plural = _("组织机构")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        prefix = self.parent.path if self.parent_id else "/"
        self.path = f"{prefix}{self.code}/"
        super().save(*args, **kwargs)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


class Role(models.Model):
    """A role is data: its code is what the policy layer checks, its scope decides what it sees."""

    class Scope(models.TextChoices):
        OWN = "own", _("本人")
        DEPARTMENT = "department", _("本部门")
        SUBTREE = "subtree", _("本部门及下级")
        CITY = "city", _("全市")

    code = models.CharField(_("编码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    scope = models.CharField(_("数据范围"), max_length=16, choices=Scope.choices, default=Scope.OWN)
    is_staff_role = models.BooleanField(_("工作人员角色"), default=False)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in: applicant (citizen or enterprise), staff member, expert, bidder."""

    real_name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("所属部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    roles = models.ManyToManyField(Role, verbose_name=_("角色"), blank=True, related_name="users")
    # Resident ID: only a keyed digest (to find a person) and a masked form (to show) are stored.
    id_number_digest = models.CharField(_("身份证号摘要"), max_length=64, blank=True, db_index=True)
    id_number_masked = models.CharField(_("身份证号（脱敏）"), max_length=18, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    organization_name = models.CharField(_("单位名称"), max_length=100, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.real_name or self.username

    @property
    def display_name(self) -> str:
        return self.real_name or self.username


class ApiToken(models.Model):
    """A bearer token for another system. Only its SHA-256 digest is stored; it is shown once."""

    name = models.CharField(_("名称"), max_length=100)
    user = models.ForeignKey(User, verbose_name=_("代表用户"), on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(_("前缀"), max_length=12, db_index=True)
    digest = models.CharField(_("摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
