"""Red, black and watch lists: list types as data, entries with their full lifecycle (never deleted)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from yingshang.credit.choices import EntryStatus, ListKind, RemovalReason
from yingshang.kernel.models import Department


class ListType(models.Model):
    """A list by domain (失信被执行人, 重大税收违法失信主体, …) with who designates and on what basis."""

    code = models.SlugField(_("编码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    list_kind = models.CharField(_("名单类别"), max_length=8, choices=ListKind.choices)
    domain = models.CharField(_("领域"), max_length=60, blank=True, default="")
    designating_authority = models.CharField(_("认定机关"), max_length=200,
                                             help_text=_("依法负责认定的机关，如人民法院、税务机关"))
    designating_department = models.ForeignKey(
        Department, verbose_name=_("本市认定部门"), null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("本市有权认定该类名单的部门；为空时仅信用办可录入"))
    legal_basis = models.TextField(_("认定依据"))
    default_validity_months = models.PositiveIntegerField(_("默认有效期（月）"), null=True, blank=True,
                                                          help_text=_("为空表示无固定期限"))
    published = models.BooleanField(_("向社会公示"), default=True)
    description = models.TextField(_("说明"), blank=True, default="")
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("名单类型")
        verbose_name_plural = _("名单类型")
        ordering = ["list_kind", "sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_list_kind_display()}）"


def attachment_path(instance, filename: str) -> str:
    # Random name: the stored path must not reveal the subject or the original file name.
    import uuid

    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else "bin"
    return f"credit/lists/{uuid.uuid4().hex}.{suffix}"


class ListEntry(models.Model):
    """One subject on one list, from designation to removal. Rows are never deleted."""

    subject = models.ForeignKey("credit.Subject", verbose_name=_("信用主体"), on_delete=models.PROTECT,
                                related_name="list_entries")
    # The subject's id_key, copied so that `check` finds memberships with one indexed lookup.
    subject_key = models.CharField(_("主体标识键"), max_length=64, editable=False)
    list_type = models.ForeignKey(ListType, verbose_name=_("名单类型"), on_delete=models.PROTECT, related_name="entries")
    list_kind = models.CharField(_("名单类别"), max_length=8, choices=ListKind.choices, editable=False)
    department = models.ForeignKey(Department, verbose_name=_("认定部门"), on_delete=models.PROTECT, related_name="+")
    basis = models.TextField(_("认定依据"))
    reason = models.TextField(_("认定事由"), blank=True, default="")
    document_name = models.CharField(_("认定文书名称"), max_length=200, blank=True, default="")
    document_no = models.CharField(_("认定文书号"), max_length=128)
    attachment = models.FileField(_("认定文书附件"), upload_to=attachment_path, blank=True, max_length=200)
    decided_on = models.DateField(_("认定日期"))
    valid_from = models.DateField(_("列入日期"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True, help_text=_("为空表示无固定期限"))
    published = models.BooleanField(_("向社会公示"), default=True)
    status = models.CharField(_("状态"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.ACTIVE)
    designated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    designated_at = models.DateTimeField(_("录入时间"))
    removed_at = models.DateTimeField(_("移出时间"), null=True, blank=True)
    removal_reason = models.CharField(_("移出原因"), max_length=16, choices=RemovalReason.choices, blank=True, default="")
    removal_note = models.TextField(_("移出说明"), blank=True, default="")
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("移出人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("名单记录")
        verbose_name_plural = _("名单记录")
        ordering = ["-designated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "list_type"], condition=Q(status="active"),
                                    name="credit_one_active_entry"),
        ]
        indexes = [
            # Not a partial index: the query passes the status as a parameter, which neither SQLite nor a
            # PostgreSQL generic plan can match against a partial index's predicate.
            models.Index(fields=["subject_key", "status"], name="credit_entry_key_idx"),
            models.Index(fields=["status", "valid_until"], name="credit_entry_expiry_idx"),
            models.Index(fields=["list_type", "status"], name="credit_entry_type_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.list_type.name}：{self.subject}"

    @property
    def is_active(self) -> bool:
        return self.status == EntryStatus.ACTIVE
