"""Messages sent to people, one row per recipient and channel, so that nothing sent is unrecorded."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        SMS = "sms", _("短信")
        SITE = "site", _("站内消息")

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        SKIPPED = "skipped", _("未发送")

    channel = models.CharField(_("渠道"), max_length=8, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("收件人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="messages",
    )
    # The email address or mobile number used, as it was when the message was queued.
    address = models.CharField(_("地址"), max_length=200, blank=True)
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("内容"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    error = models.CharField(_("错误"), max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    provider_id = models.CharField(_("服务商消息编号"), max_length=100, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象ID"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_attempt_at = models.DateTimeField(_("最近尝试时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="message_recipient_idx"),
            # The sweep that re-enqueues messages whose job was lost looks them up by status and age.
            models.Index(fields=["status", "created_at"], name="message_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.subject}"
