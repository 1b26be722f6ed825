"""What the supervision services share: permissions (registered in apps.py) and small helpers."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from datetime import date, datetime

from django.utils import timezone

from yingshang.kernel import access
from yingshang.kernel.errors import Forbidden, InvalidInput

VIEW = "supervision.view"  # statistics, drill-down, ranking, export, ratings of the scope
RECTIFY = "supervision.rectify"  # answer the department's rectifications
REVIEW = "supervision.review"  # close or return rectifications
REFRESH = "supervision.refresh"  # refresh the statistics now
RATE = "supervision.rate"  # applicants rate their own concluded cases

PERMISSIONS = {
    VIEW: {access.SUPERVISOR, access.LEADER, access.DEPT_HEAD},
    RECTIFY: {access.DEPT_HEAD, access.DEPT_REVIEWER},
    REVIEW: {access.SUPERVISOR},
    REFRESH: {access.SUPERVISOR, access.ADMIN},
    RATE: {access.CITIZEN, access.ENTERPRISE},
}
PERMISSION_LABELS = {VIEW: "查看电子监察", RECTIFY: "差评整改", REVIEW: "审核差评整改", REFRESH: "刷新统计",
                     RATE: "评价办件"}
MAX_TEXT = 2000


def check_perm(user, permission: str) -> None:
    if not access.has_perm(user, permission):
        raise Forbidden("supervision.forbidden", f"您没有“{PERMISSION_LABELS[permission]}”的权限")


def check_any(user, *permissions: str) -> None:
    if not any(access.has_perm(user, p) for p in permissions):
        raise Forbidden("supervision.forbidden", "您没有查看电子监察信息的权限")


def text(value, field: str, label: str, *, required: bool = True, max_len: int = MAX_TEXT) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput("supervision.invalid_text", f"{label}须为文本", details={"field": field})
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"supervision.{field}_required", f"请填写{label}", details={"field": field})
    if len(value) > max_len:
        raise InvalidInput("supervision.text_too_long", f"{label}不能超过 {max_len} 个字", details={"field": field})
    return value


_AS_OF: contextvars.ContextVar[date | None] = contextvars.ContextVar("supervision_as_of", default=None)


def now() -> datetime:
    day = _AS_OF.get()
    if day is None:
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, timezone.localtime().time()))


def today() -> date:
    return _AS_OF.get() or timezone.localdate()


@contextmanager
def as_of(day: date):
    """Act as if today were `day` (seeding the demo's history); never used by requests."""
    token = _AS_OF.set(day)
    try:
        yield day
    finally:
        _AS_OF.reset(token)
