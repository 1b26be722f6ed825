"""`yingshang bench`: run every registered benchmark on a scratch database and print the table."""

import importlib
import logging
import pkgutil
import sys

from django.apps import apps
from django.conf import settings
from django.db import connection

from yingshang.kernel.bench import REGISTRY, Context, Result
from yingshang.kernel.management.contract import ContractCommand

logger = logging.getLogger(__name__)


def discover() -> None:
    """Import `<app>.bench` (a module, or a package and all its modules) for every project app."""
    for config in apps.get_app_configs():
        if not config.name.startswith("yingshang."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.bench")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.bench":
                continue
            raise
        if hasattr(module, "__path__"):
            for info in pkgutil.iter_modules(module.__path__):
                importlib.import_module(f"{module.__name__}.{info.name}")


def _fmt(value, digits=3) -> str:
    if value is None:
        return "—"
    if value >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


class Command(ContractCommand):
    help = "性能基准：在临时数据库上运行全部基准，输出中位数、p95/p99、吞吐量及与基线之比。"

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="小规模快速运行（用于冒烟检查）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果列表")
        parser.add_argument("--only", action="append", default=[], help="只运行名称包含该文字的基准（可重复）")
        parser.add_argument("--list", action="store_true", help="只列出基准名称")
        parser.add_argument("--strict", action="store_true", help="任一目标未达成时以退出码 1 结束")

    def handle(self, *args, quick, only, strict, **options):
        discover()
        chosen = sorted(REGISTRY.values(), key=lambda b: (b.order, b.name))
        if only:
            chosen = [b for b in chosen if any(o in b.name for o in only)]
        if options["list"]:
            for bench in chosen:
                self.stdout.write(bench.name)
            return
        if not chosen:
            self.fail("没有匹配的基准", 1)
        results = self._run_on_scratch_database(chosen, quick, progress=not options["json"])
        if options["json"]:
            self.emit_json({"database": connection.vendor, "quick": quick, "results": [r.as_dict() for r in results]})
        else:
            self._print_table(results)
        if strict and any(r.met is False for r in results):
            raise SystemExit(1)

    def _run_on_scratch_database(self, chosen, quick, progress) -> list[Result]:
        db = settings.DATABASES["default"]
        if connection.vendor == "sqlite":
            db.setdefault("TEST", {})["NAME"] = str(settings.DATA_DIR / "bench.sqlite3")
        else:
            db.setdefault("TEST", {})["NAME"] = f"{db['NAME']}_bench"
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            results = self._run_all(chosen, Context(quick=quick, vendor=connection.vendor), progress)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        return results

    def _run_all(self, chosen, ctx: Context, progress: bool) -> list[Result]:
        results: list[Result] = []
        for bench in chosen:
            if progress:
                self.stderr.write(f"… {bench.name}")
                sys.stderr.flush()
            try:
                out = bench.func(ctx)
            except Exception as exc:  # one broken benchmark must not lose the others' figures
                logger.exception("benchmark %s failed", bench.name)
                out = Result(bench.name, 0, 0.0, met=False, note=f"运行失败：{type(exc).__name__}: {exc}"[:300])
            results.extend([out] if isinstance(out, Result) else list(out))
        return results

    def _print_table(self, results: list[Result]) -> None:
        head = ("基准", "次数", "中位数ms", "p95 ms", "p99 ms", "每秒", "总秒数", "基线倍数", "目标", "达成")
        rows = [head]
        for r in results:
            rows.append((
                r.name, f"{r.n:,}", _fmt(r.median_ms), _fmt(r.p95_ms), _fmt(r.p99_ms), _fmt(r.per_second),
                _fmt(r.total_seconds), _ratio(r.ratio), r.goal or "—",
                {True: "是", False: "否", None: "—"}[r.met],
            ))
        widths = [max(_width(row[i]) for row in rows) for i in range(len(head))]
        self.stdout.write(f"数据库：{connection.vendor}")
        for row in rows:
            self.stdout.write("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)))
        notes = [f"- {r.name}：{r.note}" for r in results if r.note]
        if notes:
            self.stdout.write("说明：\n" + "\n".join(notes))


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _ratio(ratio: float | None) -> str:
    """Two significant figures below 10 (a ratio of 0.043 must not print as 0.0×)."""
    if not ratio:
        return "—"
    return f"{ratio:.1f}×" if ratio >= 10 else f"{ratio:.2g}×"
