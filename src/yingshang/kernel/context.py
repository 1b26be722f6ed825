"""Who is acting, from where: set by the request middleware, by commands and by jobs.

The audit trail reads it, so services need not pass the request around.
"""

from __future__ import annotations

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str
    role: str = ""
    department_code: str = ""
    client_ip: str = ""


SYSTEM = Actor(user_id=None, name="系统")
_current: contextvars.ContextVar[Actor] = contextvars.ContextVar("ys_actor", default=SYSTEM)


def current_actor() -> Actor:
    return _current.get()


def actor_for(user, client_ip: str = "") -> Actor:
    if user is None or not getattr(user, "is_authenticated", False):
        return Actor(user_id=None, name="匿名", client_ip=client_ip)
    from yingshang.kernel.access import primary_role

    dept = user.department.code if getattr(user, "department_id", None) else ""
    return Actor(user.pk, user.display_name, primary_role(user), dept, client_ip)


@contextmanager
def acting_as(actor: Actor):
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)
