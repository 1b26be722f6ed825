"""Written notices waiting to be issued: an outbox filled by the action's transaction.

The action decides a notice's whole content (so it states the facts as they were at the decision)
and queues it here; the PDF is rendered and registered in a second, short transaction right after
the action commits, so rendering never holds the case lock or the database's write lock. A periodic
job re-issues any request left behind (a crash between the two transactions).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NoticeRequest(models.Model):
    case = models.ForeignKey("cases.Case", verbose_name=_("办件"), on_delete=models.CASCADE, related_name="notices",
                             db_index=False)  # notice_case_kind_idx starts with it
    kind = models.CharField(_("文书种类"), max_length=40)
    number = models.CharField(_("文号"), max_length=64)
    content = models.JSONField(_("内容"), help_text=_("标题、正文、分节与登记事项"))
    # Rows to point at the issued document once it exists: [["caseevent", id, "document"], ...].
    links = models.JSONField(_("关联"), default=list, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    document = models.ForeignKey("kernel.IssuedDocument", verbose_name=_("文书"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    attempts = models.PositiveSmallIntegerField(_("出具次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("待出具文书")
        verbose_name_plural = _("待出具文书")
        ordering = ["case", "id"]
        indexes = [
            models.Index(fields=["case", "kind"], name="notice_case_kind_idx"),
            models.Index(fields=["created_at"], name="notice_pending_idx", condition=Q(document__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.number
