"""Notifications: one Message row per recipient and channel, sent by a background job after commit.

Channels: `site` (the in-platform inbox: delivered on creation, read in the UI), `email` (Django's
email backend) and `sms` (the `SmsBackend` named by settings.YS_SMS_BACKEND). A recipient without
an address for a channel gets a `skipped` row saying why, so that "was X told?" always has an answer.

Sending is at-least-once: each email/SMS row is claimed by a conditional UPDATE (queued/failed ->
sending) before the provider is called, so two jobs never send the same row at the same time; a
failure is recorded on the row (status failed, error with numbers masked) and Huey retries the job.
A periodic sweep re-enqueues rows whose job was lost (queue unreachable at commit, worker crash).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, make_msgid
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.logmask import mask_text
from yingshang.kernel.models import Message, User
from yingshang.kernel.services.audit import record
from yingshang.kernel.services.sms import get_sms_backend, mask_phone, normalize_mobile

logger = logging.getLogger("yingshang.notifications")

CHANNELS = (Message.Channel.SITE, Message.Channel.EMAIL, Message.Channel.SMS)
MAX_BODY_CHARS = 10_000
STALE_QUEUED = timedelta(minutes=10)
STALE_SENDING = timedelta(hours=1)


class DeliveryFailed(Exception):
    """Raised by the send job so that Huey retries it; the text carries no unmasked number."""


def mask_address(channel: str, address: str) -> str:
    if channel == Message.Channel.SMS:
        return mask_phone(address)
    if channel == Message.Channel.EMAIL and "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    return address


def _address(user: User, channel: str) -> tuple[str, str, str]:
    """(address, status, reason) for one recipient on one channel."""
    if channel == Message.Channel.SITE:
        return "", Message.Status.SENT, ""
    if not user.is_active:
        return "", Message.Status.SKIPPED, "用户已停用"
    if channel == Message.Channel.EMAIL:
        email = (user.email or "").strip()
        if not email:
            return "", Message.Status.SKIPPED, "用户未登记电子邮箱"
        try:
            validate_email(email)
        except ValidationError:
            return "", Message.Status.SKIPPED, "电子邮箱格式不正确"
        return email, Message.Status.QUEUED, ""
    if not user.phone:
        return "", Message.Status.SKIPPED, "用户未登记手机号"
    phone = normalize_mobile(user.phone)
    if phone is None:
        return "", Message.Status.SKIPPED, "手机号格式不正确"
    return phone, Message.Status.QUEUED, ""


def _check(subject: str, body: str, channels: Iterable[str]) -> tuple[str, str, list[str]]:
    if not isinstance(subject, str) or not subject.strip():
        raise InvalidInput("missing_subject", "请填写消息主题", details={"field": "subject"})
    subject = subject.strip()
    if len(subject) > 200 or "\n" in subject or "\r" in subject:
        raise InvalidInput("invalid_subject", "消息主题须为一行，不超过 200 个字", details={"field": "subject"})
    if not isinstance(body, str) or not body.strip():
        raise InvalidInput("missing_body", "请填写消息内容", details={"field": "body"})
    if len(body) > MAX_BODY_CHARS:
        raise InvalidInput("body_too_long", f"消息内容不能超过 {MAX_BODY_CHARS} 字", details={"field": "body"})
    chosen = list(dict.fromkeys([channels] if isinstance(channels, str) else channels))
    unknown = [c for c in chosen if c not in CHANNELS]
    if unknown or not chosen:
        raise InvalidInput("invalid_channel", "消息渠道须为 site（站内）、email（邮件）或 sms（短信）",
                           details={"channels": [str(c) for c in unknown]})
    return subject, body.strip(), chosen


def do_notify(recipients: Iterable[User], subject: str, body: str, *, channels: Iterable[str] = ("site", "email", "sms"),
              obj=None) -> list[Message]:
    """Record one Message per recipient and channel; email and SMS are sent by a job after commit.

    Recipients are users (duplicates count once). Returns the created rows; no recipients, no rows.
    """
    subject, body, chosen = _check(subject, body, channels)
    users: dict[int, User] = {}
    for user in recipients:
        if not isinstance(user, User) or user.pk is None:
            raise InvalidInput("invalid_recipient", "收件人须为已登记的用户", details={"field": "recipients"})
        users.setdefault(user.pk, user)
    if not users:
        return []
    now = timezone.now()
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    rows = []
    for user in users.values():
        for channel in chosen:
            address, status, reason = _address(user, channel)
            rows.append(Message(
                channel=channel, recipient=user, address=address, subject=subject, body=body, status=status,
                error=reason, object_type=object_type, object_id=object_id,
                sent_at=now if channel == Message.Channel.SITE else None,
            ))
    with transaction.atomic():
        if connection.features.can_return_rows_from_bulk_insert:
            created = Message.objects.bulk_create(rows, batch_size=500)
        else:
            created = [Message.objects.create(**_fields(m)) for m in rows]
        queued = [m.pk for m in created if m.status == Message.Status.QUEUED]
        counts = {s: sum(1 for m in created if m.status == s) for s in {m.status for m in created}}
        ids = [m.pk for m in created]
        summary = {"subject": subject, "channels": chosen, "recipients": len(users), "status": counts,
                   "message_ids": ids[:50], "more_ids": max(len(ids) - 50, 0)}
        if obj is not None:
            record("kernel.message.create", obj, after=summary)
        else:
            record("kernel.message.create", object_type="kernel.message", object_id=ids[0], after=summary)
        if queued:
            from yingshang.kernel.jobs import enqueue_on_commit

            enqueue_on_commit(enqueue_messages, queued)
    return created


def _fields(message: Message) -> dict:
    return {f.attname: getattr(message, f.attname) for f in Message._meta.concrete_fields if not f.primary_key}


def enqueue_messages(message_ids: list[int]) -> None:
    """Hand each message to the queue; one that cannot be enqueued stays queued for the sweep."""
    from yingshang.kernel.tasks import send_message

    for message_id in message_ids:
        try:
            send_message(message_id)
        except Exception:
            logger.exception("message %s could not be enqueued; the sweep will retry", message_id)


def deliver(message_id: int) -> str:
    """Send one queued or failed email/SMS message; return its status afterwards. Used by the job."""
    claimed = Message.objects.filter(
        pk=message_id, status__in=(Message.Status.QUEUED, Message.Status.FAILED),
        channel__in=(Message.Channel.EMAIL, Message.Channel.SMS),
    ).update(status=Message.Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=timezone.now())
    if not claimed:  # already sent, being sent, skipped, or gone
        return Message.objects.filter(pk=message_id).values_list("status", flat=True).first() or "missing"
    message = Message.objects.get(pk=message_id)
    try:
        provider_id = _send(message)
    except Exception as exc:
        error = mask_text(f"{type(exc).__name__}: {exc}")[:500]
        Message.objects.filter(pk=message_id).update(status=Message.Status.FAILED, error=error)
        logger.warning("message %s (%s to %s) failed on attempt %s: %s", message_id, message.channel,
                       mask_address(message.channel, message.address), message.attempts, error)
        raise DeliveryFailed(f"message {message_id} failed: {error}") from None
    Message.objects.filter(pk=message_id).update(
        status=Message.Status.SENT, sent_at=timezone.now(), provider_id=(provider_id or "")[:100], error="")
    return Message.Status.SENT


def _send(message: Message) -> str:
    if message.channel == Message.Channel.EMAIL:
        msgid = make_msgid(domain=settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or None)
        EmailMessage(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.address],
                     headers={"Message-ID": msgid}).send(fail_silently=False)
        return msgid
    return get_sms_backend().send(message.address, f"{message.subject}：{message.body}")


def requeue_stale() -> int:
    """Re-enqueue messages whose job was lost; return how many. Called by a periodic job."""
    now = timezone.now()
    # A send takes seconds; a row "sending" for an hour belongs to a worker that died mid-send.
    Message.objects.filter(status=Message.Status.SENDING, last_attempt_at__lt=now - STALE_SENDING).update(
        status=Message.Status.QUEUED)
    stale = Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lt=now - STALE_QUEUED)
    ids = list(Message.objects.filter(stale, status=Message.Status.QUEUED, created_at__lt=now - STALE_QUEUED)
               .order_by("id").values_list("id", flat=True)[:5000])
    enqueue_messages(ids)
    return len(ids)


def do_resend(message_ids: Iterable[int]) -> int:
    """Queue failed email/SMS messages again (an operator's decision); return how many."""
    with transaction.atomic():
        ids = list(Message.objects.select_for_update().filter(
            pk__in=list(message_ids), status=Message.Status.FAILED).values_list("id", flat=True))
        if ids:
            Message.objects.filter(pk__in=ids).update(status=Message.Status.QUEUED, error="")
            record("kernel.message.resend", object_type="kernel.message", object_id=ids[0] if len(ids) == 1 else "batch",
                   before={"status": "failed", "ids": ids[:50]}, after={"status": "queued"})
            from yingshang.kernel.jobs import enqueue_on_commit

            enqueue_on_commit(enqueue_messages, ids)
    return len(ids)


def mark_read(user: User, message_ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread site messages (all, or those given) read; return how many."""
    queryset = Message.objects.filter(recipient=user, channel=Message.Channel.SITE, read_at__isnull=True)
    if message_ids is not None:
        queryset = queryset.filter(pk__in=list(message_ids))
    with transaction.atomic():
        ids = list(queryset.values_list("id", flat=True))
        if ids:
            Message.objects.filter(pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())
            record("kernel.message.read", object_type="kernel.message", object_id=ids[0] if len(ids) == 1 else "batch",
                   before={"unread": ids[:50]}, after={"unread": []})
    return len(ids)
