"""Admin for issued documents, messages and serial counters: records, read-only.

Documents are issued and revoked through the services (with their audit entries), never edited by
hand; counters are never set back (that would hand out a number twice). Failed messages can be
queued again by an action, which goes through the service and is audited.
"""

from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from yingshang.kernel import access
from yingshang.kernel.admin.org import ReadOnlyAdmin
from yingshang.kernel.models import IssuedDocument, Message, SerialCounter
from yingshang.kernel.services.documents import format_code, holder_display
from yingshang.kernel.services.notifications import do_resend, mask_address


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "number", "kind", "issuer_name", "holder", "issued_at", "status")
    list_filter = ("kind", ("revoked_at", admin.EmptyFieldListFilter), "issued_at")
    search_fields = ("=verification_code", "number", "title")
    date_hierarchy = "issued_at"
    list_select_related = ("issuer",)
    exclude = ("holder_name",)
    readonly_fields = ("code", "verify_link", "holder")

    @admin.display(description=_("持有人"))
    def holder(self, obj):
        return holder_display(obj)

    @admin.display(description=_("状态"), boolean=False)
    def status(self, obj):
        return _("已作废") if obj.revoked_at else _("有效")

    @admin.display(description=_("核验码"))
    def code(self, obj):
        return format_code(obj.verification_code)

    @admin.display(description=_("核验页面"))
    def verify_link(self, obj):
        url = reverse("document-verify", args=[obj.verification_code])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("打开核验页面"))


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "channel", "recipient", "masked_address", "subject", "status", "attempts", "sent_at")
    list_filter = ("channel", "status", "created_at")
    search_fields = ("subject", "recipient__username", "recipient__real_name")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    exclude = ("address",)
    readonly_fields = ("masked_address",)
    actions = ("resend",)

    @admin.display(description=_("地址"))
    def masked_address(self, obj):
        return mask_address(obj.channel, obj.address)

    @admin.action(description=_("重新发送所选的失败消息"), permissions=["resend"])
    def resend(self, request, queryset):
        with transaction.atomic():
            count = do_resend(queryset.values_list("id", flat=True))
        self.message_user(request, ngettext("已重新排队 %d 条消息。", "已重新排队 %d 条消息。", count) % count,
                          messages.SUCCESS if count else messages.WARNING)

    def has_resend_permission(self, request):
        return access.has_perm(request.user, "kernel.send_notification")


@admin.register(SerialCounter)
class SerialCounterAdmin(ReadOnlyAdmin):
    list_display = ("kind", "period", "value")
    list_filter = ("period",)
    search_fields = ("kind",)
