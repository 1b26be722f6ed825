"""The platform's one clock: every service asks `clock.now()` / `clock.today()`, never `timezone` directly.

`as_of(day)` makes the services act as if today were `day`, for seeding a history (the demos); it is
one context variable for the whole platform, so an action of one domain that triggers another (a
decision that opens a rating, a commitment that reaches the credit work) sees the same day. Requests
never use it. Tests pin the clock by replacing `now` and `today` on this module; callers therefore
call them through the module (`clock.today()`), not imported names.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from django.utils import timezone

_AS_OF: contextvars.ContextVar[date | None] = contextvars.ContextVar("yingshang_as_of", default=None)


def now() -> datetime:
    """The current moment (aware); under `as_of`, that day at the current local time."""
    day = _AS_OF.get()
    if day is None:
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, timezone.localtime().time()))


def today() -> date:
    """The local date; under `as_of`, its day."""
    return _AS_OF.get() or timezone.localdate()


@contextmanager
def as_of(day: date) -> Iterator[date]:
    """Act as if today were `day` until the block ends (nested blocks restore the outer day)."""
    token = _AS_OF.set(day)
    try:
        yield day
    finally:
        _AS_OF.reset(token)
