"""Audit trail: appends per second (each in its own transaction) and verification of a long chain."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from yingshang.kernel.bench import Context, benchmark, measure_batch, measure_each
from yingshang.kernel.context import Actor, acting_as
from yingshang.kernel.models import AuditEntry, AuditHead
from yingshang.kernel.services.audit import GENESIS, canonical_json, entry_hash, record, verify

ACTOR = Actor(user_id=7, name="基准测试", role="window_clerk", department_code="610800-HALL01", client_ip="127.0.0.1")


def _append_one(counter=[0]):  # noqa: B006 - a cheap per-run counter
    counter[0] += 1
    with transaction.atomic():
        record("bench.case.accept", object_type="cases.case", object_id=counter[0],
               before={"status": "submitted"}, after={"status": "accepted", "case_no": f"SL2026{counter[0]:08d}"})


def _fill_chain(total: int, batch: int = 10_000) -> int:
    """Append `total` valid entries in bulk (the chain stays intact) to have something to verify."""
    head = AuditHead.objects.filter(pk=1).first()
    seq, prev = (head.seq, head.hash) if head else (0, GENESIS)
    start = timezone.now()
    summary = canonical_json({"before": {"status": "accepted"}, "after": {"status": "approved"}})
    fields = {"actor_id": 7, "actor_name": ACTOR.name, "actor_role": ACTOR.role,
              "department_code": ACTOR.department_code, "action": "bench.case.approve",
              "object_type": "cases.case", "summary": summary, "client_ip": ACTOR.client_ip}
    made = 0
    while made < total:
        rows = []
        for _ in range(min(batch, total - made)):
            seq += 1
            at = start + timedelta(microseconds=seq)
            digest = entry_hash(prev, seq, at, object_id=str(seq), **fields)
            rows.append(AuditEntry(seq=seq, created_at=at, object_id=str(seq), prev_hash=prev, hash=digest, **fields))
            prev = digest
        with transaction.atomic():
            AuditEntry.objects.bulk_create(rows)
            AuditHead.objects.update_or_create(pk=1, defaults={"seq": seq, "hash": prev})
        made += len(rows)
    return made


@benchmark("audit.append", order=30)
def bench_append(ctx: Context):
    n = ctx.size(3000, 300)
    with acting_as(ACTOR):
        return measure_each("审计追加（每条独立事务）", _append_one, n)


@benchmark("audit.verify", order=31)
def bench_verify(ctx: Context):
    target = ctx.size(1_000_000, 50_000)
    existing = AuditEntry.objects.count()
    if existing < target:
        _fill_chain(target - existing)
    outcome = {}

    def run() -> int:
        result = verify()
        outcome["ok"] = result.ok
        return result.checked

    res = measure_batch(f"审计链校验（{target:,} 条）", run, goal="100 万条 ≤ 10 秒")
    scale = 1_000_000 / res.n if res.n else 0
    res.met = bool(outcome.get("ok")) and res.total_seconds * scale <= 10
    res.note = "链完整" if outcome.get("ok") else "链校验失败！"
    if ctx.quick:
        res.note += f"；按比例折算 100 万条约 {res.total_seconds * scale:.1f} 秒"
    return res
