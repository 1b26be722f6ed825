"""Announcements (公告), tender documents (招标文件) and their downloads (issue 12 §2).

An announcement copies the lot's public facets (type, procedure, district) so the public list filters
and pages on one table through (facet, published_at, id) indexes, without joins, at a million lots.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yingshang.trading import rules_announcements as ra


class Announcement(models.Model):
    lot = models.ForeignKey("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT,
                            related_name="announcements")
    kind = models.CharField(_("公告类型"), max_length=20, choices=list(ra.KINDS.items()))
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("正文"))
    published_at = models.DateTimeField(_("发布时间"))
    ends_at = models.DateTimeField(_("公告截止"), null=True, blank=True)
    # Facets copied from the lot and its project at publication (they do not change after acceptance).
    lot_type = models.CharField(_("标段类型"), max_length=10)
    procedure_code = models.CharField(_("交易方式"), max_length=32)
    procedure_name = models.CharField(_("交易方式名称"), max_length=40)
    division_code = models.CharField(_("项目所在地"), max_length=6)
    tenderer_name = models.CharField(_("招标人"), max_length=200)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("交易公告")
        verbose_name_plural = _("交易公告")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="trading_ann_published"),
            models.Index(fields=["kind", "-published_at", "-id"], name="trading_ann_kind"),
            models.Index(fields=["lot_type", "-published_at", "-id"], name="trading_ann_lot_type"),
            models.Index(fields=["procedure_code", "-published_at", "-id"], name="trading_ann_procedure"),
            models.Index(fields=["division_code", "-published_at", "-id"], name="trading_ann_division"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        return ra.KINDS.get(self.kind, self.kind)


class TenderDocument(models.Model):
    """One version of a lot's tender (or prequalification) document; a clarification may add the next."""

    lot = models.ForeignKey("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT, related_name="documents")
    file = models.ForeignKey("kernel.StoredFile", verbose_name=_("文件"), on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("文件名称"), max_length=150)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    current = models.BooleanField(_("现行版本"), default=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("招标文件")
        verbose_name_plural = _("招标文件")
        ordering = ["lot", "-current", "title", "-version"]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）"


class DocumentDownload(models.Model):
    """Who fetched which document version when (seed 004: free download; the log answers 谁、何时、哪一版)."""

    lot = models.ForeignKey("trading.Lot", verbose_name=_("标段"), on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(TenderDocument, verbose_name=_("招标文件"), on_delete=models.PROTECT,
                                 related_name="downloads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("下载人"), on_delete=models.PROTECT,
                             related_name="+")
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    organization_name = models.CharField(_("单位"), max_length=200)
    sha256 = models.CharField(_("文件 SHA-256"), max_length=64)
    downloaded_at = models.DateTimeField(_("下载时间"))

    class Meta:
        verbose_name = _("招标文件下载记录")
        verbose_name_plural = _("招标文件下载记录")
        ordering = ["lot", "downloaded_at", "pk"]
        indexes = [models.Index(fields=["lot", "uscc"], name="trading_download_lot_uscc"),
                   models.Index(fields=["uscc", "-downloaded_at"], name="trading_download_uscc")]

    def __str__(self) -> str:
        return f"{self.organization_name} {self.downloaded_at:%Y-%m-%d %H:%M}"
