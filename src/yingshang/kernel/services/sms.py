"""SMS delivery behind one small interface, chosen by `settings.YS_SMS_BACKEND` (a dotted class path).

A provider adapter subclasses `SmsBackend` and returns the provider's message id, or raises
`SmsError` (any exception counts as a failure: it is recorded on the Message and retried).
The default `LogSmsBackend` sends nothing: it writes one line to the `yingshang.sms` logger with
the number masked, for development and the demo.
"""

from __future__ import annotations

import logging
import re
import secrets
from abc import ABC, abstractmethod

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from yingshang.kernel.logmask import mask_text

logger = logging.getLogger("yingshang.sms")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


class SmsError(Exception):
    """The provider refused or could not be reached. The message must not contain the full number."""


def normalize_mobile(raw: str) -> str | None:
    """A mainland mobile number as 11 digits (spaces, dashes and a +86/0086 prefix removed), or None."""
    digits = re.sub(r"[\s\-()（）]", "", raw or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    return digits if _MOBILE.match(digits) else None


def mask_phone(phone: str) -> str:
    """138****5678: enough to tell numbers apart, not enough to call one."""
    phone = phone or ""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 8 else "****"


class SmsBackend(ABC):
    @abstractmethod
    def send(self, phone: str, text: str) -> str:
        """Send `text` to the 11-digit `phone`; return the provider's message id or raise."""


class LogSmsBackend(SmsBackend):
    """Logs the message (number masked, text with identifiers masked) instead of sending it."""

    def send(self, phone: str, text: str) -> str:
        message_id = f"log-{secrets.token_hex(8)}"
        logger.info("SMS %s to %s (%d chars): %s", message_id, mask_phone(phone), len(text), mask_text(text))
        return message_id


def get_sms_backend() -> SmsBackend:
    try:
        backend_class = import_string(settings.YS_SMS_BACKEND)
    except ImportError as exc:
        raise ImproperlyConfigured(f"YS_SMS_BACKEND {settings.YS_SMS_BACKEND!r} cannot be imported: {exc}") from exc
    if not (isinstance(backend_class, type) and issubclass(backend_class, SmsBackend)):
        raise ImproperlyConfigured(f"YS_SMS_BACKEND {settings.YS_SMS_BACKEND!r} is not an SmsBackend subclass")
    return backend_class()
