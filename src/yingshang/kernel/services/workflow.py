"""The steps of every action that changes an object with a life (`kernel.rules.workflow.Workflow`).

Inside the caller's transaction a service does:

    obj = workflow.lock(Model.objects.select_related(...), pk, row_version, FLOW)  # row lock + version
    after = FLOW.require(obj, rules.PUBLISH)                                       # the table allows it?
    before = snapshot(obj)
    obj.status = after                                                             # ... and the change
    workflow.finish(obj, rules.PUBLISH, before, snapshot=snapshot)                 # row_version+1, save, audit

so a second actor working from the same `row_version` gets `Conflict("<prefix>.conflict")` instead
of overwriting the first, and an action the state does not allow gets
`Conflict("<prefix>.transition_not_allowed")` naming what is possible instead. The object's model
has an integer `row_version` field (default 1).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet

from yingshang.kernel.errors import Conflict, NotFound
from yingshang.kernel.rules.workflow import Workflow
from yingshang.kernel.services.audit import record


def _usable_pk(model, pk) -> bool:
    """Whether `pk` can name a row: anything else is simply not found, never a database error."""
    field = model._meta.pk
    if isinstance(field, models.IntegerField):
        return type(pk) is int and 0 < pk < 2**62  # bool is no id; PostgreSQL's bigint ends at 2**63
    try:
        return field.to_python(pk) is not None
    except ValidationError:
        return False


def lock(source: type[models.Model] | QuerySet, pk, row_version: int | None, flow: Workflow):
    """The object, its row locked until the transaction ends; Conflict if the caller's version is stale.

    `source` is the model or a queryset (with the select_related the action needs); `of=("self",)`
    keeps the lock on the object's row alone (PostgreSQL would otherwise lock joined rows too).
    `row_version=None` skips the check (a sweep, or a caller that has just read the row).
    """
    queryset = source if isinstance(source, QuerySet) else source._default_manager.all()
    obj = queryset.select_for_update(of=("self",)).filter(pk=pk).first() if _usable_pk(queryset.model, pk) else None
    if obj is None:
        raise NotFound(flow.not_found or f"{flow.prefix}.not_found", f"{flow.noun}不存在")
    if row_version is not None and obj.row_version != row_version:
        raise Conflict(f"{flow.prefix}.conflict", f"该{flow.noun}已被他人处理，请刷新后重试",
                       details={"row_version": obj.row_version, "yours": row_version,
                                flow.field: getattr(obj, flow.field)})
    return obj


def finish(obj, action: str, before: dict, *, snapshot: Callable[[object], dict], fields: list[str] | None = None,
           note: str = "", extra: dict | None = None) -> dict:
    """Bump `row_version`, save, and append the audit entry `<app>.<model>.<action>`; returns its `after`.

    `fields` limits the save to those columns (with row_version, and updated_at where the model has
    one); `before` and `snapshot(obj)` are what the audit entry records, `extra` is added to `after`.
    """
    obj.row_version += 1
    if fields is None:
        obj.save()
    else:
        stamp = ["updated_at"] if any(f.name == "updated_at" for f in obj._meta.concrete_fields) else []
        obj.save(update_fields=[*fields, "row_version", *stamp])
    after = snapshot(obj) | (extra or {})
    record(f"{obj._meta.label_lower}.{action}", obj, before=before, after=after, note=note[:500])
    return after
