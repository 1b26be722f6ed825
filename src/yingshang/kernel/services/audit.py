"""The audit trail: `record` appends a hash-chained entry in the caller's transaction; `verify` checks the chain.

Appending locks the single chain-head row until the caller's transaction ends, so entries form one
linear chain on PostgreSQL as on SQLite. A change and its audit entry commit or roll back together.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from yingshang.kernel.context import Actor, current_actor
from yingshang.kernel.models import AuditEntry, AuditHead

GENESIS = "0" * 64
_SEP = "\x1f"


def canonical_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(prev_hash: str, seq: int, created_at: datetime, actor_id, actor_name: str, actor_role: str,
               department_code: str, action: str, object_type: str, object_id: str, summary: str,
               client_ip: str) -> str:
    text = _SEP.join((
        prev_hash, str(seq), _timestamp(created_at), "" if actor_id is None else str(actor_id), actor_name,
        actor_role, department_code, action, object_type, object_id, summary, client_ip,
    ))
    return hashlib.sha256(text.encode()).hexdigest()


def _locked_head() -> AuditHead:
    head = AuditHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, digest = last if last else (0, GENESIS)
    try:
        with transaction.atomic():
            AuditHead.objects.create(pk=1, seq=seq, hash=digest)
    except IntegrityError:
        pass  # another transaction created it first
    return AuditHead.objects.select_for_update().get(pk=1)


def record(action: str, obj=None, *, object_type: str = "", object_id: object = "", before: object = None,
           after: object = None, note: str = "", actor: Actor | None = None) -> AuditEntry:
    """Append one audit entry for a state change. Call it inside the transaction that makes the change.

    `obj` (a model instance) names the object; otherwise pass object_type and object_id. `before`
    and `after` summarise the change; pass masked values for personal data.
    """
    actor = actor or current_actor()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    summary_data = {"before": before, "after": after}
    if note:
        summary_data["note"] = note
    summary = canonical_json(summary_data)
    with transaction.atomic():
        head = _locked_head()
        seq = head.seq + 1
        created_at = timezone.now()
        fields = {
            "actor_id": actor.user_id, "actor_name": actor.name[:100], "actor_role": actor.role[:32],
            "department_code": actor.department_code[:40], "action": action[:64],
            "object_type": str(object_type)[:64], "object_id": str(object_id)[:64], "summary": summary,
            "client_ip": actor.client_ip[:45],
        }
        digest = entry_hash(head.hash, seq, created_at, **fields)
        entry = AuditEntry.objects.create(seq=seq, created_at=created_at, prev_hash=head.hash, hash=digest, **fields)
        AuditHead.objects.filter(pk=1).update(seq=seq, hash=digest)
    return entry


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""


_COLUMNS = ("seq", "created_at", "actor_id", "actor_name", "actor_role", "department_code", "action",
            "object_type", "object_id", "summary", "client_ip", "prev_hash", "hash")


def _timestamp_sql(quote) -> str:
    """SQL that yields created_at as text, formatted by the database (cheaper than parsing datetimes)."""
    column = quote("created_at")
    if connection.vendor == "postgresql":
        return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
    return f"({column} || '')"  # SQLite stores UTC text; `|| ''` drops the declared type, so no converter runs


def _chain_rows(chunk_size: int):
    """Entries in sequence order straight from a chunked (server-side on PostgreSQL) cursor."""
    quote = connection.ops.quote_name
    columns = ", ".join(_timestamp_sql(quote) if c == "created_at" else quote(c) for c in _COLUMNS)
    # Only fixed column and table names are interpolated, quoted by the backend.
    sql = f"SELECT {columns} FROM {quote(AuditEntry._meta.db_table)} ORDER BY {quote('seq')}"  # noqa: S608
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(chunk_size):
            yield from batch


def _sqlite_stamp(text: str) -> str:
    """'2026-11-22 04:10:00[.123456]' (UTC, as Django stores it) → the canonical form of `_timestamp`."""
    text = text.replace(" ", "T", 1)
    if len(text) == 19:
        text += ".000000"
    return text[:26] + "+00:00"


def verify(chunk_size: int = 20_000) -> VerifyResult:
    """Walk the whole chain in order; report the first entry that was edited, removed or inserted."""
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    sha256, sep = hashlib.sha256, _SEP
    on_sqlite = connection.vendor == "sqlite"
    for (seq, stamp, actor_id, actor_name, actor_role, dept, action, otype, oid, summary, ip,
         prev_hash, digest) in _chain_rows(chunk_size):
        if seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"第 {expected_seq} 条记录缺失（序号不连续）")
        if prev_hash != expected_prev:
            return VerifyResult(False, checked, seq, f"第 {seq} 条记录的前序哈希与上一条不符")
        text = sep.join((prev_hash, str(seq), _sqlite_stamp(stamp) if on_sqlite else stamp,
                         "" if actor_id is None else str(actor_id), actor_name, actor_role, dept, action, otype,
                         oid, summary, ip))
        if sha256(text.encode()).hexdigest() != digest:
            return VerifyResult(False, checked, seq, f"第 {seq} 条记录的内容被修改")
        expected_prev, expected_seq, checked = digest, seq + 1, checked + 1
    head = AuditHead.objects.filter(pk=1).values_list("seq", "hash").first()
    if head and checked and (head[0] != checked or head[1] != expected_prev):
        return VerifyResult(False, checked, checked + 1 if head[0] > checked else head[0],
                            f"链头指向第 {head[0]} 条，但记录只到第 {checked} 条（末尾记录被删除或链头被改）")
    return VerifyResult(True, checked)
