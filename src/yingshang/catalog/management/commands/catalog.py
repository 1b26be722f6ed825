"""`yingshang catalog`: export, import and re-index the catalog of service items.

Contracts (docs/cli.md):
  export FILE [--date D] [--json]     exit 0 written; 1 the file cannot be written; 2 bad command line.
  import FILE [--publish] [--valid-from D] [--dry-run] [--json]
                                      exit 0 applied (or nothing to change); 1 the file has errors, nothing
                                      was imported (every error listed); 2 bad command line; 3 the file is
                                      missing or not an .xlsx workbook.
  reindex                             exit 0: rebuild the guide's search index.
--json prints one object on stdout (shapes in docs/parts/catalog.md); messages are in Chinese.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from yingshang.catalog import excel, search
from yingshang.kernel.context import Actor, acting_as
from yingshang.kernel.management.contract import ContractCommand


class Command(ContractCommand):
    help = "事项清单：export 导出 Excel；import 导入 Excel（全部校验通过才写入）；reindex 重建办事指南检索索引"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="子命令")
        exp = sub.add_parser("export", help="导出指定日期有效的事项清单（默认今天）")
        exp.add_argument("file", help="输出的 .xlsx 文件路径")
        exp.add_argument("--date", help="有效日期 YYYY-MM-DD（默认今天）")
        exp.add_argument("--json", action="store_true", help="以 JSON 输出各工作表行数")
        imp = sub.add_parser("import", help="从 Excel 导入事项（与导出格式相同）")
        imp.add_argument("file", help=".xlsx 文件路径")
        imp.add_argument("--publish", action="store_true", help="导入产生的草稿立即发布")
        imp.add_argument("--valid-from", help="发布的生效日期 YYYY-MM-DD（默认今天，仅与 --publish 同用）")
        imp.add_argument("--dry-run", action="store_true", help="只校验并报告将发生的变化，不写入")
        imp.add_argument("--json", action="store_true", help="以 JSON 输出导入报告")
        sub.add_parser("reindex", help="重建办事指南检索索引（部门改名后运行）")

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

    def do_export(self, options):
        on_date = self._date(options.get("date"), "日期")
        path = Path(options["file"])
        try:
            counts = excel.export_catalog(path, on_date=on_date)
        except OSError as exc:
            self.fail(f"无法写入文件 {path}：{exc.strerror or exc}", 1)
        data = {"file": str(path), "date": (on_date or timezone.localdate()).isoformat(),
                "items": counts[excel.fmt.ITEMS], "departments": counts[excel.fmt.DEPARTMENTS],
                "materials": counts[excel.fmt.MATERIALS], "fees": counts[excel.fmt.FEES], "steps": counts[excel.fmt.STEPS]}
        if options["json"]:
            self.emit_json(data)
        else:
            self.stdout.write(f"已导出 {data['items']} 个事项（{data['date']} 有效版本）到 {path}："
                              f"材料 {data['materials']} 行、收费 {data['fees']} 行、环节 {data['steps']} 行")

    def do_import(self, options):
        path = Path(options["file"])
        valid_from = self._date(options.get("valid_from"), "生效日期")
        if valid_from and not options["publish"]:
            self.fail("--valid-from 只能与 --publish 一起使用", 2)
        if not path.is_file():
            self.fail(f"文件不存在：{path}", 3)
        try:
            with path.open("rb") as handle:
                report = excel.import_catalog(handle, publish=options["publish"], valid_from=valid_from,
                                              dry_run=options["dry_run"])
        except excel.WorkbookUnreadable as exc:
            self.fail(str(exc), 3)
        if options["json"]:
            self.emit_json(report.as_dict())
        else:
            self._print(report)
        if not report.ok:
            raise SystemExit(1)

    def _print(self, report: excel.ImportReport) -> None:
        if not report.ok:
            for e in report.errors:
                where = f"工作表“{e.sheet}”第 {e.row} 行" + (f"“{e.column}”列" if e.column else "")
                self.stderr.write(f"{where}：{e.message}")
            self.stderr.write(f"共 {len(report.errors)} 处错误，未导入任何数据。请修改后重新导入。")
            return
        data = report.as_dict()
        prefix = "（试运行，未写入）" if report.dry_run else ""
        self.stdout.write(f"{prefix}导入完成：新建 {data['created']}，新草稿 {data['new_drafts']}，更新草稿 "
                          f"{data['updated_drafts']}，未变化 {data['unchanged']}，发布 {data['published']}")

    def do_reindex(self, options):
        with transaction.atomic():
            n = search.reindex(timezone.localdate())
        self.stdout.write(f"已重建 {n} 个事项版本的检索索引")
