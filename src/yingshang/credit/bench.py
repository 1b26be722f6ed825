# ruff: noqa: S608 - only model table names are interpolated into the bulk-building SQL; values are parameters.
"""Benchmarks of the credit app (`yingshang bench --only credit`).

- credit.import: a generated 双公示 CSV (1,000,000 rows; --quick 20,000), imported end to end with
  validation, as `yingshang credit import` does; rows per second, peak and growth of resident memory
  during the import, and the ratio to a raw PostgreSQL COPY of the same file into a text table (on
  SQLite there is no COPY: the ratio is left out and the note says so). Goal ≥ 20,000 rows/s.
- credit.check: `check()` in-process over 10,000,000 records and 1,000,000 list entries (--quick
  100,000 / 10,000), half the checked codes listed; p50/p99. Goal p99 ≤ 5 ms.
- credit.search: the public search (name fragments and codes) over the same data; goal p95 ≤ 100 ms.
"""

from __future__ import annotations

import csv
import os
import random
import resource
import tempfile
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from django.db import connection, transaction

from yingshang.kernel.bench import Context, Result, benchmark, measure_batch, measure_each
from yingshang.kernel.db import db_datetime

SEED = 20260401
NOW = datetime(2026, 1, 16, 2, tzinfo=UTC)
PLACES = "榆阳区神木市府谷县靖边县定边县横山区"  # 3 characters each
WORDS = "恒泰华信鑫源宏达金辉瑞丰天成永盛长青博远正通利民嘉禾新锐中联"
TRADES = "商贸物流化工食品矿业能源建筑医药文化"  # 2 characters each


# --- helpers -----------------------------------------------------------------------------------

def _rss_bytes() -> int:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


class _RssSampler:
    """Samples resident memory every 50 ms on a thread, to report the peak during one operation."""

    def __init__(self):
        self.start = self.peak = _rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, _rss_bytes())

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_bytes())


def _department(code: str = "610800-BENCH"):
    from yingshang.kernel.models import Department
    from yingshang.kernel.rules.identifiers import generate_uscc

    uscc = generate_uscc(random.Random(1), division_code="610800", authority="1", category="1")
    dept, _ = Department.objects.get_or_create(code=code, defaults={"name": "基准测试局", "kind": "department",
                                                                    "uscc": uscc})
    return dept


def _ensure_calendar() -> None:
    from yingshang.kernel.services.calendar import seed_from_chinese_calendar

    seed_from_chinese_calendar()


def write_licence_csv(path: Path, n: int, dept, *, rng: random.Random, person_share: float = 0.1) -> Path:
    """n valid licence rows under the national headers, streamed to disk (never held in memory)."""
    from yingshang.credit import sample

    today = date.today()
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(sample.headers("license"))
        for i in range(n):
            decided = today - timedelta(days=1 + i % 600)
            row = sample.license_row(rng, i, authority=dept.name, authority_uscc=dept.uscc, decided=decided,
                                     person=rng.random() < person_share, prefix="基")
            writer.writerow(sample.cells("license", row))
    return path


# --- import ------------------------------------------------------------------------------------

def _copy_baseline(path: Path, columns: int) -> float:
    """Seconds for PostgreSQL to COPY the same CSV into a temporary table of text columns."""
    defs = ", ".join(f"c{i} text" for i in range(columns))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE bench_copy ({defs}) ON COMMIT DROP")
        start = time.perf_counter()
        with cursor.cursor.copy("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, path.open("rb") as f:
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        return time.perf_counter() - start


@benchmark("credit.import", order=60)
def bench_import(ctx: Context) -> list[Result]:
    from yingshang.credit.choices import BatchSource
    from yingshang.credit.sample import headers
    from yingshang.credit.services import imports

    _ensure_calendar()
    dept = _department()
    n = ctx.size(1_000_000, 20_000)
    with tempfile.TemporaryDirectory() as tmp:
        path = write_licence_csv(Path(tmp) / "licences.csv", n, dept, rng=random.Random(SEED))
        with transaction.atomic():
            batch = imports.do_create_batch(None, kind="license", department=dept, source=BatchSource.COMMAND,
                                            file_name=path.name, path=path)
        holder = {}

        def run() -> int:
            with _RssSampler() as sampler:
                holder["report"] = imports.run_batch(batch.pk)
            holder["rss"] = sampler
            return n

        result = measure_batch("双公示导入（CSV，逐行校验，端到端）", run, goal="≥ 20,000 行/秒，内存平稳")
        report, rss = holder["report"], holder["rss"]
        report.batch.refresh_from_db()  # counters may be pending F() expressions after the import
        result.met = report.batch.status == "succeeded" and (result.per_second or 0) >= 20_000
        result.extra = {"accepted": report.batch.accepted, "rejected": report.batch.rejected,
                        "file_bytes": path.stat().st_size, "rss_before_mb": round(rss.start / 2**20, 1),
                        "rss_peak_mb": round(rss.peak / 2**20, 1),
                        "rss_growth_mb": round((rss.peak - rss.start) / 2**20, 1),
                        "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
        note = (f"内存：导入前 {result.extra['rss_before_mb']} MB，导入中峰值 {result.extra['rss_peak_mb']} MB"
                f"（增长 {result.extra['rss_growth_mb']} MB）")
        if connection.vendor == "postgresql":
            copy_seconds = _copy_baseline(path, len(headers("license")))
            result.baseline = "PostgreSQL COPY 同一文件（文本列，不校验）"
            result.ratio = copy_seconds / result.total_seconds if result.total_seconds else None
            result.extra["copy_rows_per_second"] = round(n / copy_seconds)
            note += f"；COPY 基线 {result.extra['copy_rows_per_second']:,} 行/秒"
        else:
            note += "；SQLite 没有 COPY，未计算与 COPY 的比值"
        result.note = note
    return [result]


# --- data for check and search -------------------------------------------------------------------

def _build(n_records: int, n_entries: int, probe: int) -> tuple[list[str], list[str]]:
    """Bulk data: n_records licences over n_records/5 subjects, n_entries list entries, plus `probe`
    real USCC subjects (half listed) whose codes the checks use. Returns (listed codes, unlisted codes)."""
    from yingshang.credit.models import LicenseRecord, ListEntry, ListType, Measure, Memorandum, Subject
    from yingshang.credit.services.joint import CACHE
    from yingshang.kernel.rules.identifiers import generate_uscc

    dept = _department()
    debtor, _ = ListType.objects.get_or_create(code="bench_debtor", defaults={
        "name": "失信被执行人", "list_kind": "black", "designating_authority": "人民法院", "legal_basis": "基准"})
    memo, _ = Memorandum.objects.get_or_create(code="bench-mou", defaults={"title": "基准备忘录"})
    memo.list_types.add(debtor)
    Measure.objects.get_or_create(memorandum=memo, number=1, defaults={
        "content": "限制取得行政许可", "effect": "punishment", "action": "block", "scenarios": ["administrative_licensing"]})
    subjects = max(n_records // 5, n_entries, 1)
    lic, subj, entry = LicenseRecord._meta.db_table, Subject._meta.db_table, ListEntry._meta.db_table
    true = "TRUE"
    now = db_datetime(NOW)  # raw SQL writes it as the ORM does
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
            f"INSERT INTO {subj} (kind, name, id_kind, id_key, id_display, id_cipher, created_at, updated_at) "
            f"SELECT 'legal_person', substr(%s, 1 + 3 * (i %% 6), 3) || substr(%s, 1 + (i %% 26), 1) || "
            f"substr(%s, 1 + ((i / 26) %% 26), 1) || substr(%s, 1 + 2 * ((i / 676) %% 9), 2) || '有限公司', "
            f"'uscc', 'B' || CAST(i AS TEXT), 'B' || CAST(i AS TEXT), '', %s, %s FROM n",
            [subjects, PLACES, WORDS, WORDS, TRADES, now, now])
        per_subject = max(n_records // subjects, 1)
        cursor.execute(
            f"WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < %s) "
            f"INSERT INTO {lic} (department_id, document_no, subject_id, subject_name, subject_category, uscc, id_type, "
            f"decision_date, authority, authority_uscc, record_status, source_unit, source_unit_uscc, remarks, "
            f"submitted_at, updated_at, late_days, is_late, late_rule, published, publication_end, "
            f"publication_end_reason, registration_no, organization_code, tax_registration_no, institution_cert_no, "
            f"social_org_cert_no, legal_rep, legal_rep_id_type, legal_rep_id_masked, legal_rep_id_digest, document_name, "
            f"license_category, certificate_name, license_no, content, valid_from, valid_to) "
            f"SELECT %s, 'B' || CAST(s.id AS TEXT) || '-' || CAST(k.j AS TEXT), s.id, s.name, 'legal_person', '', '', "
            f"%s, '基准测试局', '', 'valid', '基准测试局', '', '', %s, %s, 1, FALSE, 'dual-publicity-7wd', {true}, NULL, "
            f"'', '', '', '', '', '', '张三', '', '', '', '许可决定书', 'ordinary', '', '', '预包装食品销售', %s, NULL "
            f"FROM {subj} s, k WHERE s.id_key LIKE 'B%%'",
            [per_subject, dept.pk, date(2026, 1, 15), now, now, date(2026, 1, 15)])
        cursor.execute(
            f"INSERT INTO {entry} (subject_id, subject_key, list_type_id, list_kind, department_id, basis, reason, "
            f"document_name, document_no, attachment, decided_on, valid_from, valid_until, published, status, "
            f"designated_at, removal_reason, removal_note) "
            f"SELECT s.id, s.id_key, %s, 'black', %s, '基准', '', '', 'B' || CAST(s.id AS TEXT), '', %s, %s, NULL, "
            f"{true}, 'active', %s, '', '' FROM {subj} s WHERE s.id_key LIKE 'B%%' ORDER BY s.id LIMIT %s",
            [debtor.pk, dept.pk, date(2026, 1, 15), date(2026, 1, 15), now, n_entries])
    rng = random.Random(SEED + 1)  # not the import benchmark's codes
    codes = {generate_uscc(rng, division_code="610802", authority="9", category="1") for _ in range(probe)}
    codes = sorted(codes - set(Subject.objects.filter(id_key__in=codes).values_list("id_key", flat=True)))
    listed, unlisted = codes[: probe // 2], codes[probe // 2:]
    now = NOW
    with transaction.atomic():
        made = Subject.objects.bulk_create([Subject(kind="legal_person", name=f"榆林市探针{i}有限公司", id_kind="uscc",
                                                    id_key=c, id_display=c, created_at=now, updated_at=now)
                                            for i, c in enumerate(listed)])
        ListEntry.objects.bulk_create([ListEntry(subject=s, subject_key=s.id_key, list_type=debtor, list_kind="black",
                                                 department=dept, basis="基准", document_no=f"P{s.pk}",
                                                 decided_on=date(2026, 1, 15), valid_from=date(2026, 1, 15),
                                                 designated_at=now) for s in made])
        LicenseRecord.objects.bulk_create([LicenseRecord(
            department=dept, document_no=f"P{s.pk}", subject=s, subject_name=s.name, subject_category="legal_person",
            uscc=s.id_key, decision_date=date(2026, 1, 15), authority="基准测试局", source_unit="基准测试局",
            submitted_at=now, updated_at=now, document_name="许可决定书", license_category="ordinary",
            content="预包装食品销售", valid_from=date(2026, 1, 15)) for s in made])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (subj, lic, entry):
                cursor.execute(f"ANALYZE {table}")
    CACHE.invalidate()
    return listed, unlisted


_BUILT: dict = {}


def _data(ctx: Context):
    key = ctx.quick
    if key not in _BUILT:
        n_records, n_entries = ctx.size(10_000_000, 100_000), ctx.size(1_000_000, 10_000)
        start = time.perf_counter()
        _BUILT[key] = (*_build(n_records, n_entries, 2_000), n_records, n_entries, time.perf_counter() - start)
    return _BUILT[key]


@benchmark("credit.check", order=61)
def bench_check(ctx: Context) -> list[Result]:
    from yingshang.credit.services.joint import check

    listed, unlisted, n_records, n_entries, build_seconds = _data(ctx)
    mixed = [c for pair in zip(listed, unlisted, strict=False) for c in pair]
    it = iter(mixed * 50)
    check(mixed[0], "administrative_licensing")  # warm the per-process catalog
    result = measure_each("联合奖惩核查 check()（进程内，半数命中）", lambda: check(next(it), "administrative_licensing"),
                          ctx.size(20_000, 2_000), goal="p99 ≤ 5 ms")
    result.met = result.p99_ms is not None and result.p99_ms <= 5
    result.note = f"数据：行政许可 {n_records:,} 条，名单记录 {n_entries:,} 条（构造 {build_seconds:.0f} 秒）"
    return [result]


@benchmark("credit.search", order=62)
def bench_search(ctx: Context) -> list[Result]:
    from yingshang.credit.services.publicity import search

    listed, _unlisted, n_records, _n_entries, _build_seconds = _data(ctx)
    rng = random.Random(SEED)
    queries = []
    for i in range(400):
        if i % 4 == 0:
            queries.append(rng.choice(listed))  # by code
        else:  # a fragment of a generated name: place + words, or words + trade
            place = PLACES[3 * rng.randrange(6):][:3]
            queries.append(place + rng.choice(WORDS) if i % 2 else rng.choice(WORDS) + rng.choice(WORDS))
    it = iter(queries * 20)
    result = measure_each("信用公示检索（名称片段、统一社会信用代码）", lambda: search("license", next(it)),
                          ctx.size(2_000, 400), goal="p95 ≤ 100 ms")
    result.met = result.p95_ms is not None and result.p95_ms <= 100
    result.note = f"数据：行政许可 {n_records:,} 条；名称检索走二元字串（bigram）GIN 索引（PostgreSQL）"
    return [result]


# --- check over HTTP -----------------------------------------------------------------------------

def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user, host, port = db.get("USER") or "postgres", db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgresql://{user}{password}@{host}:{port}/{db['NAME']}"


def _wait_ready(port: int, proc, token: str, seconds: float = 60) -> None:
    import http.client

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/credit/check?code=91610802MA000000X0", headers={"Authorization": f"Bearer {token}"})
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not answer within a minute")


@benchmark("credit.check.http", order=63)
def bench_check_http(ctx: Context) -> list[Result]:
    """GET /api/v1/credit/check through `yingshang serve --workers 2 --threads 1` (an API server: one
    request per process at a time wastes no CPU on the GIL; YS_BENCH_HTTP_WORKERS/THREADS change it) on this machine,
    with 8 concurrent client connections driven by one thread of this process (`kernel.bench.http`),
    on the same cores. With one thread the server runs gunicorn's sync worker, which closes each
    connection after its response (the client reconnects)."""
    import subprocess
    import sys

    from yingshang.kernel.bench import percentile
    from yingshang.kernel.bench.http import free_port, get_request, run_load, server_cpu_seconds
    from yingshang.kernel.context import SYSTEM, acting_as
    from yingshang.kernel.services.org import do_issue_api_token, do_upsert_user

    listed, unlisted, n_records, n_entries, _seconds = _data(ctx)
    with acting_as(SYSTEM), transaction.atomic():
        user = do_upsert_user("bench-credit-http", role_codes=("credit_officer",), real_name="基准测试")
        _token, raw = do_issue_api_token(user, "bench")
    port, clients = free_port(), 8
    workers, server_threads = os.environ.get("YS_BENCH_HTTP_WORKERS", "2"), os.environ.get("YS_BENCH_HTTP_THREADS", "1")
    env = {**os.environ, "YS_DATABASE_URL": _database_url(), "YS_DEBUG": "0"}
    command = [sys.executable, "-m", "yingshang", "serve", "--port", str(port), "--workers", workers,
               "--threads", server_threads, "--jobs", "no"]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603 - our own CLI
    try:
        _wait_ready(port, proc, raw)
        mixed = [c for pair in zip(listed, unlisted, strict=False) for c in pair]
        requests = [get_request(f"/api/v1/credit/check?code={code}&scenario=administrative_licensing",
                                headers={"Authorization": f"Bearer {raw}"}) for code in mixed]
        run_load("127.0.0.1", port, requests, ctx.size(1_000, 100), connections=clients)  # warm both workers
        cpu_before, client_before = server_cpu_seconds(proc.pid), time.process_time()
        load = run_load("127.0.0.1", port, requests, ctx.size(20_000, 2_000), connections=clients)
        server_cpu = server_cpu_seconds(proc.pid) - cpu_before
        client_cpu = time.process_time() - client_before
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    samples, total = load.latencies, load.seconds
    errors = load.errors
    ordered = sorted(samples)
    n = len(ordered)
    per_second = n / total if total else None
    name = f"联合奖惩核查 HTTP GET /api/v1/credit/check（gunicorn {workers} 进程 × {server_threads} 线程，8 个并发连接，同机）"
    result = Result(name,
                    n, total, median_ms=percentile(ordered, 50) * 1000, p95_ms=percentile(ordered, 95) * 1000,
                    p99_ms=percentile(ordered, 99) * 1000, per_second=per_second, goal="≥ 1,000 次/秒（2 核）")
    result.met = not errors and per_second is not None and per_second >= 1000
    cpu_ms = server_cpu / n * 1000 if n else 0.0
    capacity = (os.cpu_count() or 1) / (cpu_ms / 1000) if cpu_ms else None
    client_ms = client_cpu / n * 1000 if n else 0.0
    result.extra = {"server_cpu_ms_per_check": round(cpu_ms, 3), "capacity_per_second": round(capacity or 0),
                    "client_cpu_ms_per_check": round(client_ms, 3),
                    "workers": workers, "threads": server_threads}
    cores = os.cpu_count()
    result.note = (f"数据：行政许可 {n_records:,} 条，名单记录 {n_entries:,} 条；客户端与服务端共用本机 {cores} 核；"
                   f"服务端每次核查耗 CPU {cpu_ms:.2f} ms，即 {cores} 核全部用于服务端时约 {capacity or 0:,.0f} 次/秒；"
                   f"压测客户端每次 {client_ms:.2f} ms"
                   + (f"；{errors} 个非 200 响应" if errors else ""))
    return [result]
