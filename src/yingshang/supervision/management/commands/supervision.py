"""`yingshang supervision`: refresh the statistics, mark overdue rectifications, export the report.

Contracts (docs/cli.md):
  refresh [--full] [--json]           exit 0 done. Recomputes the last 62 days (everything with --full,
                                      on the first run and after a calendar change).
  sweep [--date D] [--json]           exit 0 done: open rectifications past their due day become overdue;
                                      2 bad command line.
  export FILE [--from D] [--to D] [--json]
                                      exit 0 written (city-wide report, by department and by item);
                                      1 the file cannot be written; 2 bad command line (bad date or period).
--json prints one object on stdout; messages are in Chinese.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.db.models import Q

from yingshang.kernel.context import Actor, acting_as
from yingshang.kernel.errors import ServiceError
from yingshang.kernel.management.contract import ContractCommand
from yingshang.supervision import excel, stats
from yingshang.supervision.services import rollup
from yingshang.supervision.services.rectifications import mark_overdue


class Command(ContractCommand):
    help = "电子监察：refresh 刷新统计；sweep 标记逾期的差评整改；export 导出全市统计 Excel"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="子命令")
        ref = sub.add_parser("refresh", help="重算最近 62 天的每日统计（--full 全部重算）")
        ref.add_argument("--full", action="store_true", help="全部重算")
        ref.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        sweep = sub.add_parser("sweep", help="将超过整改期限未反馈的差评整改标记为逾期并通知")
        sweep.add_argument("--date", help="按该日期判断（YYYY-MM-DD，默认今天）")
        sweep.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        exp = sub.add_parser("export", help="导出全市统计（按部门、按事项）为 Excel")
        exp.add_argument("file", help="输出的 .xlsx 文件路径")
        exp.add_argument("--from", dest="start", help="开始日期 YYYY-MM-DD（默认本年 1 月 1 日）")
        exp.add_argument("--to", dest="end", help="结束日期 YYYY-MM-DD（默认今天）")
        exp.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, **options):
        with acting_as(Actor(user_id=None, name="命令行")):
            getattr(self, f"do_{options['action']}")(options)

    def _date(self, value: str | None, label: str) -> date | None:
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{label}“{value}”不是有效日期（YYYY-MM-DD）", 2)

    def do_refresh(self, options):
        report = rollup.refresh(full=options["full"])
        if options["json"]:
            self.emit_json(report.as_dict())
            return
        scope = "全部" if report.full else f"{report.window_start} 起"
        self.stdout.write(f"统计已刷新（{scope}）：{report.rows} 行，用时 {report.seconds:.1f} 秒")

    def do_sweep(self, options):
        day = self._date(options.get("date"), "日期")
        count = mark_overdue(day)
        if options["json"]:
            self.emit_json({"overdue": count})
            return
        self.stdout.write(f"标记逾期的差评整改：{count} 件")

    def do_export(self, options):
        try:
            period = stats.parse_period(self._date(options.get("start"), "开始日期"),
                                        self._date(options.get("end"), "结束日期"))
        except ServiceError as exc:
            self.fail(exc.message, 2)
        by_department, by_item = stats.compute(Q(), period, (stats.BY_DEPARTMENT, stats.BY_ITEM))
        path = Path(options["file"])
        try:
            path.write_bytes(excel.workbook(by_department, by_item))
        except OSError as exc:
            self.fail(f"无法写入文件 {path}：{exc.strerror or exc}", 1)
        result = {"file": str(path), "from": period.start, "to": period.end, "departments": len(by_department.rows),
                  "items": len(by_item.rows), "as_of": by_department.as_of}
        if options["json"]:
            self.emit_json(result)
            return
        self.stdout.write(f"已导出 {path}：{len(by_department.rows)} 个部门、{len(by_item.rows)} 个事项"
                          f"（{period.start} 至 {period.end}）")
