# ruff: noqa: S608 - only model table names are interpolated into the bulk-building SQL; values are parameters.
"""Benchmarks of the trading app (`yingshang bench --only trading.announcements`).

trading.announcements: the public announcement list (`GET /api/v1/trading/announcements`, in process
through Django's test client: routing, middleware, the query, JSON) over 1,000,000 lots (--quick
20,000) with one 招标公告 each and a 澄清/修改公告 for every tenth, built in bulk by INSERT … SELECT.
Measured: the first page, a filtered page (type + kind, and district + procedure), a deep keyset page
(cursors taken at random depths down to 90 % of the list) and title keywords, common (found among the
newest rows) and rare (a project number: the bigram index). Goal p95 ≤ 50 ms.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime

from django.db import connection, transaction

from yingshang.kernel.bench import Context, Result, benchmark, measure_each
from yingshang.kernel.db import db_datetime

SEED = 20260412
NOW = datetime(2026, 4, 20, 2, tzinfo=UTC)
PLACES = "榆阳横山神木府谷靖边定边"  # 2 characters each
WORKS = "道路桥梁污水学校医院管网公园供热"  # 2 characters each
DISTRICTS = ("610802", "610803", "610881", "610822", "610824", "610825", "610800")
LOT_TYPES = ("works", "goods", "services")


def _series(n: int) -> str:
    """SQL yielding i = 1..n: generate_series on PostgreSQL, a recursive CTE elsewhere."""
    if connection.vendor == "postgresql":
        return f"SELECT generate_series(1, {int(n)}) AS i"
    return f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {int(n)}) SELECT i FROM s"


def _build(n_lots: int) -> dict:
    """n_lots lots over n_lots/10 projects, a tender announcement per lot and a clarification per tenth lot."""
    from yingshang.kernel.models import Department
    from yingshang.trading.models import Announcement, Lot, Procedure, TenderProject
    from yingshang.trading.services.rulebook import ensure_rules_data

    ensure_rules_data()
    regulator, _ = Department.objects.get_or_create(code="610800-BENCH-ZJ", defaults={"name": "基准住建局",
                                                                                     "kind": "department"})
    procedures = list(Procedure.objects.order_by("sort_order").values_list("id", "code", "name"))
    proj, lot, ann = TenderProject._meta.db_table, Lot._meta.db_table, Announcement._meta.db_table
    n_projects = max(n_lots // 10, 1)
    now = db_datetime(NOW)
    mod = "%"  # the modulo operator, escaped for the DB-API's parameter style below
    case_proc = " ".join(f"WHEN {k} THEN {pid}" for k, (pid, _c, _n) in enumerate(procedures))
    case_code = " ".join(f"WHEN {k} THEN '{code}'" for k, (_p, code, _n) in enumerate(procedures))
    case_name = " ".join(f"WHEN {k} THEN '{name}'" for k, (_p, _c, name) in enumerate(procedures))
    n_proc = len(procedures)
    districts = " ".join(f"WHEN {k} THEN '{d}'" for k, d in enumerate(DISTRICTS))
    types = " ".join(f"WHEN {k} THEN '{t}'" for k, t in enumerate(LOT_TYPES))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {proj} (name, approval_no, tenderer_name, tenderer_uscc, agency_name, agency_uscc, "
            f"regulator_id, division_code, funding_source, created_by_id, created_at) "
            f"SELECT '榆林市' || substr(%s, 1 + 2 * (i {mod}{mod} 6), 2) || substr(%s, 1 + 2 * ((i / 6) {mod}{mod} 10), 2) "
            f"|| '工程' || CAST(i AS TEXT), 'BENCH-' || CAST(i AS TEXT), '基准招标人' || CAST(i {mod}{mod} 500 AS TEXT) || "
            f"'有限公司', '', '', '', %s, CASE i {mod}{mod} 7 {districts} END, 'state_owned', NULL, %s "
            f"FROM ({_series(n_projects)}) g",
            [PLACES, WORKS, regulator.pk, now])
        first_project = TenderProject.objects.filter(approval_no="BENCH-1").values_list("pk", flat=True).get()
        cursor.execute(
            f"INSERT INTO {lot} (project_id, seq, name, procedure_id, lot_type, estimated_price, ceiling_price, "
            f"qualification, sale_start, sale_end, bid_deadline, must_tender, must_tender_note, status, float_rate, "
            f"suspended, suspension_reason, row_version, next_check, submitted_at, decided_at, decision_note, "
            f"created_at, updated_at) "
            f"SELECT %s + (i - 1) / 10, 1 + (i - 1) {mod}{mod} 10, '第' || CAST(1 + (i - 1) {mod}{mod} 10 AS TEXT) || '标段', "
            f"CASE i {mod}{mod} {n_proc} {case_proc} END, CASE i {mod}{mod} 3 {types} END, 5000000, NULL, 'post', "
            f"%s, %s, %s, TRUE, '', 'announced', NULL, FALSE, '', 1, NULL, %s, %s, '', %s, %s "
            f"FROM ({_series(n_lots)}) g",
            [first_project, NOW.date(), NOW.date(), now, now, now, now, now])
        first_lot = Lot.objects.filter(project_id=first_project, seq=1).values_list("pk", flat=True).get()
        # published_at: one lot every 90 s backwards from NOW (about 3 years for a million lots)
        for kind, every, offset in (("tender", 1, 0), ("clarification", 10, 45)):
            seconds = f"(i * 90 - {offset})"
            stamp = (f"%s - {seconds} * INTERVAL '1 second'" if connection.vendor == "postgresql"
                     else f"strftime('%%Y-%%m-%%d %%H:%%M:%%f', %s, '-' || CAST({seconds} AS TEXT) || ' seconds')")
            cursor.execute(
                f"INSERT INTO {ann} (lot_id, kind, title, body, published_at, ends_at, lot_type, procedure_code, "
                f"procedure_name, division_code, tenderer_name, published_by_id) "
                f"SELECT l.id, %s, p.name || l.name || %s, '正文', {stamp}, "
                f"NULL, l.lot_type, CASE i {mod}{mod} {n_proc} {case_code} END, CASE i {mod}{mod} {n_proc} {case_name} END, "
                f"p.division_code, p.tenderer_name, NULL FROM ({_series(n_lots)}) g JOIN {lot} l ON l.id = %s + i - 1 "
                f"JOIN {proj} p ON p.id = l.project_id WHERE i {mod}{mod} {every} = 0",
                [kind, "招标公告" if kind == "tender" else "澄清公告", now, first_lot])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (proj, lot, ann):
                cursor.execute(f"ANALYZE {table}")
    return {"lots": n_lots, "announcements": Announcement.objects.count()}


def _client():
    from django.test import Client

    return Client()


def _cursors(n_rows: int, rng: random.Random, k: int) -> list[str]:
    """Keyset cursors taken at random depths (10 % … 90 % of the list)."""
    from yingshang.trading.models import Announcement
    from yingshang.trading.services.announcements import encode_cursor

    out = []
    for depth in sorted(rng.randrange(n_rows // 10, n_rows * 9 // 10) for _ in range(k)):
        row = Announcement.objects.order_by("-published_at", "-id").only("id", "published_at")[depth]
        out.append(encode_cursor(row))
    return out


@benchmark("trading.announcements", order=70)
def bench_announcements(ctx: Context) -> list[Result]:
    from yingshang.kernel import clock

    n_lots = ctx.size(1_000_000, 20_000)
    start = time.perf_counter()
    built = _build(n_lots)
    build_seconds = time.perf_counter() - start
    original_now = clock.now
    clock.now = lambda: NOW  # the data's "now": every announcement is published
    try:
        client = _client()
        rng = random.Random(SEED)
        url = "/api/v1/trading/announcements"
        reps = ctx.size(400, 100)

        def get(query: str):
            def call():
                response = client.get(f"{url}?{query}")
                if response.status_code != 200:
                    raise RuntimeError(f"{query}: {response.status_code} {response.content[:200]!r}")
            return call

        get("")()  # warm up
        filters = [f"lot_type={t}&kind=tender" for t in LOT_TYPES] + [
            f"district={d}&procedure=open_tender" for d in DISTRICTS]
        it_filters = iter(filters * reps)
        cursors = _cursors(built["announcements"], rng, 50)
        it_cursors = iter(cursors * reps)
        it_keywords = iter(["keyword=" + w for w in ("神木道路", "府谷学校", "污水", "靖边医院")] * reps)
        n_projects = max(n_lots // 10, 1)
        it_rare = iter([f"keyword=工程{rng.randrange(1, n_projects)}第" for _ in range(reps)])
        note = (f"数据：标段 {n_lots:,} 个，公告 {built['announcements']:,} 条（构造 {build_seconds:.0f} 秒）；"
                "经 Django 测试客户端调用接口")
        results = [
            measure_each("交易公告列表：首页（公开接口）", get(""), reps, goal="p95 ≤ 50 ms"),
            measure_each("交易公告列表：按类型/地区/交易方式筛选", lambda: get(next(it_filters))(), reps, goal="p95 ≤ 50 ms"),
            measure_each("交易公告列表：深层游标翻页（10%–90% 深处）", lambda: get("cursor=" + next(it_cursors))(), reps,
                         goal="p95 ≤ 50 ms"),
            measure_each("交易公告列表：标题关键词（常见词，按序扫描最新行）", lambda: get(next(it_keywords))(), reps,
                         goal="p95 ≤ 50 ms"),
            measure_each("交易公告列表：标题关键词（罕见词，二元 GIN 索引）", lambda: get(next(it_rare))(), reps,
                         goal="p95 ≤ 50 ms"),
        ]
    finally:
        clock.now = original_now
    for r in results:
        r.met = r.p95_ms is not None and r.p95_ms <= 50
        r.note = note
    return results
