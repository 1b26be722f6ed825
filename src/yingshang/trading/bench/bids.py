"""A sealed bid of 500 MB (`--quick`: 20 MB) streamed through the real API view (a WSGI call with a streaming
body, as a server would make it): memory must stay flat — the handler spools to disk and hashes as it goes.

Reported: MB/s, and the growth of Python allocations (tracemalloc peak) and of the process's peak RSS during
the upload; goal: < 64 MB growth whatever the size.
"""

from __future__ import annotations

import hashlib
import io
import resource
import shutil
import tempfile
import time
import tracemalloc
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from yingshang.kernel.bench import Context, Result, benchmark
from yingshang.trading import sealing
from yingshang.trading.models import Bid

MB = 1 << 20
GOAL_MB = 64


class _Zeros(io.RawIOBase):
    """`size` bytes of plaintext without holding them."""

    def __init__(self, size: int):
        self.left = size

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        self.left -= n
        return bytes(n)


class _Body(io.RawIOBase):
    """A multipart body read from head bytes, a file on disk and tail bytes, a block at a time."""

    def __init__(self, head: bytes, path: Path, tail: bytes):
        self.parts = [io.BytesIO(head), path.open("rb"), io.BytesIO(tail)]

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        n = 1 << 30 if n is None or n < 0 else n
        while self.parts:
            block = self.parts[0].read(n)
            if block:
                return block
            self.parts.pop(0).close()
        return b""

    def readline(self, size: int = -1) -> bytes:  # Django's LimitedStream only needs read()
        return self.read(size)


def _setup():
    import random
    from datetime import date, datetime

    from yingshang.kernel import access, clock
    from yingshang.kernel.models import Department, Role, User
    from yingshang.kernel.rules.identifiers import generate_uscc
    from yingshang.trading.models import Lot, Procedure, TenderProject
    from yingshang.trading.services.rulebook import ensure_rules_data

    ensure_rules_data()
    regulator = Department.objects.create(code="610800-BENCH", name="基准测试监督部门", kind=Department.Kind.DEPARTMENT,
                                          path="bench")
    project = TenderProject.objects.create(
        name="基准测试项目", approval_no="BENCH-1", tenderer_name="基准招标人", tenderer_uscc="", regulator=regulator,
        division_code="610802", funding_source="state_owned", created_at=clock.now())
    lot = Lot.objects.create(
        project=project, seq=1, name="基准标段", procedure=Procedure.objects.get(code="open_tender"), lot_type="works",
        estimated_price=5_000_000, qualification="post", sale_start=date(2999, 1, 1), sale_end=date(2999, 1, 8),
        bid_deadline=datetime(2999, 2, 1, tzinfo=UTC), status="announced", created_at=clock.now())
    bidder = User.objects.create_user("bench-bidder", password=None, uscc=generate_uscc(random.Random(1)),
                                      organization_name="基准投标人有限公司")
    bidder.roles.add(*Role.objects.filter(code=access.BIDDER))
    return lot, bidder


def _upload(lot, cookie: str, token: str, sealed_path: Path) -> tuple[int, bytes]:
    boundary = "----ysbench" + token[:16]
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"sealed\"; filename=\"bid.ysbid\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(head) + sealed_path.stat().st_size + len(tail)
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": f"/api/v1/trading/lots/{lot.pk}/bids", "SCRIPT_NAME": "",
        "QUERY_STRING": "", "SERVER_NAME": "localhost", "SERVER_PORT": "80", "HTTP_HOST": "localhost",
        "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.url_scheme": "http", "wsgi.input": _Body(head, sealed_path, tail),
        "wsgi.errors": io.StringIO(), "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False,
        "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}", "CONTENT_LENGTH": str(length),
        "HTTP_COOKIE": f"sessionid={cookie}; csrftoken={token}", "HTTP_X_CSRFTOKEN": token, "REMOTE_ADDR": "127.0.0.1",
    }
    status = []
    # As Django's test client does: the request must not close the connection the scratch database lives on.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(WSGIHandler()(environ, lambda s, h, *a: status.append(int(s.split()[0]))))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return status[0], body


@benchmark("trading.bid_upload", order=410)
def bench_bid_upload(ctx: Context):
    size = ctx.size(500, 20) * MB
    scratch = Path(tempfile.mkdtemp(prefix="ys-bench-bids-"))
    old_dir, old_limit = settings.DATA_DIR, getattr(settings, "TRADING_BID_MAX_BYTES", None)
    settings.DATA_DIR, settings.TRADING_BID_MAX_BYTES = scratch, 1 << 30
    try:
        lot, bidder = _setup()
        client = Client()
        client.force_login(bidder)
        sealed_path = scratch / "bid.ysbid"
        with sealed_path.open("wb") as dst:
            sealing.seal_bid(sealing.new_key(), {"price": "1"}, "bid.pdf", _Zeros(size), dst)
        digest = hashlib.sha256()
        with sealed_path.open("rb") as src:
            while block := src.read(MB):
                digest.update(block)
        warm = scratch / "warm.ysbid"  # the first request imports the URL conf and the views: not the upload's cost
        with warm.open("wb") as dst:
            sealing.seal_bid(sealing.new_key(), {"price": "1"}, "warm.pdf", _Zeros(10), dst)
        _upload(lot, client.cookies["sessionid"].value, _get_new_csrf_string(), warm)
        Bid.objects.all().delete()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
        tracemalloc.start()
        start = time.perf_counter()
        status, body = _upload(lot, client.cookies["sessionid"].value, _get_new_csrf_string(), sealed_path)
        seconds = time.perf_counter() - start
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss_growth = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
        ok = status == 201 and digest.hexdigest().encode() in body
        growth = max(peak / MB, rss_growth)
        return Result(
            name=f"加密投标文件流式上传（{size // MB} MB）", n=1, total_seconds=seconds,
            per_second=size / MB / seconds if seconds else None, goal=f"内存增长 < {GOAL_MB} MB",
            met=ok and growth < GOAL_MB,
            note=(f"{size / MB / seconds:.0f} MB/s；Python 分配峰值 {peak / MB:.1f} MB，进程峰值 RSS 增长 "
                  f"{rss_growth:.1f} MB；HTTP {status}，回执 SHA-256 {'一致' if ok else '不一致'}"),
            extra={"mb": size // MB, "tracemalloc_peak_mb": round(peak / MB, 2), "rss_growth_mb": round(rss_growth, 2),
                   "status": status, "mb_per_second": round(size / MB / seconds, 1)})
    finally:
        settings.DATA_DIR = old_dir
        if old_limit is None:
            del settings.TRADING_BID_MAX_BYTES
        else:
            settings.TRADING_BID_MAX_BYTES = old_limit
        shutil.rmtree(scratch, ignore_errors=True)
