"""Files people upload (application materials and the like), stored outside the web root.

The bytes live under `DATA_DIR/uploads/<yyyy>/<mm>/<random>`; the row records where (relative to
DATA_DIR), what (type checked by content, SHA-256, size) and who uploaded it. A stored file never
changes: reusing it (the material library) points at the same row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    original_name = models.CharField(_("原文件名"), max_length=150)
    path = models.CharField(_("存储路径"), max_length=255, unique=True, help_text=_("相对于数据目录"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("上传文件")
        verbose_name_plural = _("上传文件")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.original_name
