"""The opening benchmark (issue 12, performance): 300 sealed bids of 10 MB each decrypted remotely and the price
sheet published ≤ 30 s end to end, memory flat; `--quick`: 20 × 1 MB.

Set-up (not timed): a lot whose deadline has come and its bids, sealed (YSBID1, each with its own key) into a
scratch storage. Timed: the centre opens, every bidder decrypts its bid through the service (each in its own
transaction, in a pool of threads: AES-GCM, SHA-256 and file I/O release the GIL), the centre publishes. The
resident set size is sampled every 20 ms; its growth over the timed part is reported. The sealed files are
synced to disk before the clock starts (they were uploaded days before the opening). The goal is judged on the
full run only. Profiling overrides: YS_BENCH_OPENING_BIDS, YS_BENCH_OPENING_MB, YS_BENCH_OPENING_WORKERS.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.test.utils import override_settings

from yingshang.kernel import access, clock
from yingshang.kernel.bench import Context, Result, benchmark, percentile
from yingshang.kernel.context import acting_as, actor_for
from yingshang.kernel.rules.identifiers import generate_uscc

WORKERS = int(os.environ.get("YS_BENCH_OPENING_WORKERS", "2"))  # 2 cores; more threads only contend
GOAL_SECONDS = 30
FLAT_MB = 256  # peak RSS growth allowed: independent of the bids' total size (3 GB)


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class _Sampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.peak, self.stop = _rss_mb(), threading.Event()

    def run(self):
        while not self.stop.wait(0.02):
            self.peak = max(self.peak, _rss_mb())


def _people(n: int):
    import random

    from yingshang.kernel.models import Department
    from yingshang.kernel.services.org import do_upsert_user

    rng = random.Random(12)
    dept, _ = Department.objects.get_or_create(code="610800-ZJ", defaults={
        "name": "榆林市住房和城乡建设局", "kind": Department.Kind.DEPARTMENT, "division_code": "610800"})
    staff = do_upsert_user("bench_trading", role_codes=(access.TRADING_STAFF,), real_name="交易中心")
    bidders = [do_upsert_user(f"bench_bidder{i}", role_codes=(access.BIDDER,), real_name=f"代表{i}",
                              uscc=generate_uscc(rng, division_code="610802", authority="9", category="1"),
                              organization_name=f"第{i}建设工程有限公司") for i in range(n)]
    return dept, staff, bidders


def _setup(n: int, size: int):
    from yingshang.trading import rules, sealing
    from yingshang.trading.models import Bid, Lot, Procedure, TenderProject
    from yingshang.trading.services import bid_files

    dept, staff, bidders = _people(n)
    now = clock.now()
    project = TenderProject.objects.create(
        name="开标基准项目", approval_no="BENCH-1", tenderer_name="基准招标人", tenderer_uscc=bidders[0].uscc[:-1] + "X",
        regulator=dept, division_code="610802", funding_source="state_owned", created_at=now)
    lot = Lot.objects.create(
        project=project, seq=1, name="施工标段", procedure=Procedure.objects.filter(code="open_tender").first(),
        lot_type="works", estimated_price=Decimal("500000000"), ceiling_price=Decimal("480000000"),
        qualification="post", sale_start=now.date() - timedelta(days=30), sale_end=now.date() - timedelta(days=23),
        bid_deadline=now - timedelta(minutes=1), status=rules.ANNOUNCED, created_at=now)
    payload = os.urandom(size)
    keys = []
    for i, person in enumerate(bidders):
        bid = Bid.objects.create(lot=lot, bidder=person, bidder_uscc=person.uscc, bidder_name=person.organization_name,
                                 status=rules.BID_SUBMITTED, submitted_at=now - timedelta(hours=1), created_at=now)
        key = sealing.new_key()
        relative = f"{bid_files.BIDS_DIR}/{lot.pk}/{bid.pk}"
        target = Path(settings.DATA_DIR) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as out, _Reader(payload) as src:
            size, digest = sealing.seal_bid(key, {"price": f"{470000000 - i * 1000}.00", "duration_days": 300,
                                                  "quality": "合格", "project_manager": f"项目经理{i}"},
                                            "投标文件.pdf", src, out)
        Bid.objects.filter(pk=bid.pk).update(sealed_path=relative, sha256=digest, size=size)  # as a submission stores it
        keys.append(sealing.encode_key(key))
    os.sync()  # the sealed files were uploaded days before the opening: not dirty pages the opening must flush
    return lot, staff, bidders, keys


class _Reader:
    """The same plaintext for every bid (each sealed under its own key), read in blocks."""

    def __init__(self, data: bytes):
        self.data, self.pos = memoryview(data), 0

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def read(self, n: int = -1) -> bytes:
        end = len(self.data) if n < 0 else min(len(self.data), self.pos + n)
        out, self.pos = bytes(self.data[self.pos:end]), end
        return out


def _run(ctx: Context, n: int, size: int) -> Result:
    from yingshang.trading.services import opening, opening_decrypt, opening_sheet

    lot, staff, bidders, keys = _setup(n, size)
    samples: list[float] = []

    def decrypt_share(w: int) -> None:
        try:
            for i in range(w, n, WORKERS):  # each worker its share, on its own database connection
                t0 = time.perf_counter()
                with acting_as(actor_for(bidders[i])), transaction.atomic():
                    opening_decrypt.do_decrypt(bidders[i], lot.pk, keys[i])
                samples.append(time.perf_counter() - t0)
        finally:
            connection.close()

    sampler = _Sampler()
    base = _rss_mb()
    sampler.start()
    start = time.perf_counter()
    with acting_as(actor_for(staff)):
        with transaction.atomic():
            opening.do_open(staff, lot.pk)
        if WORKERS == 1:
            decrypt_share(0)  # in this thread (for profiling)
        else:
            with ThreadPoolExecutor(WORKERS) as pool:
                list(pool.map(decrypt_share, range(WORKERS)))
        with transaction.atomic():
            opening_sheet.do_publish_sheet(staff, lot.pk)
    total = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    growth = sampler.peak - base
    samples.sort()
    full = n * size >= 300 * 10 * 2**20
    met = (total <= GOAL_SECONDS and growth <= FLAT_MB) if full else None
    return Result(f"开标：{n} 份 × {size // 2**20} MB 解密并唱标", n, total, median_ms=samples[n // 2] * 1000,
                  p95_ms=percentile(samples, 95) * 1000, p99_ms=percentile(samples, 99) * 1000,
                  per_second=n * size / 2**20 / total, goal="300×10MB ≤ 30 秒，内存平稳", met=met,
                  note=f"端到端 {total:.1f} 秒（每秒 {n * size / 2**20 / total:.0f} MB），{WORKERS} 个线程；"
                       f"峰值常驻内存增长 {growth:.0f} MB（基线 {base:.0f} MB）",
                  extra={"rss_growth_mb": round(growth, 1), "rss_base_mb": round(base, 1), "workers": WORKERS})


@benchmark("trading.开标解密", order=420)
def bench_opening(ctx: Context):
    n = int(os.environ.get("YS_BENCH_OPENING_BIDS") or ctx.size(300, 20))  # overrides for profiling only
    size = int(os.environ.get("YS_BENCH_OPENING_MB") or ctx.size(10, 1)) * 2**20
    scratch = Path(tempfile.mkdtemp(prefix="ys-bench-opening-"))
    storages = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                            "OPTIONS": {"location": str(scratch)}},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    try:
        with override_settings(STORAGES=storages, MEDIA_ROOT=scratch, DATA_DIR=scratch):  # sealed and plain files
            return _run(ctx, n, size)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
