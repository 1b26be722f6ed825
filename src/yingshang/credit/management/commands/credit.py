"""`yingshang credit`: import 双公示 files, run the joint reward/punishment check, expire list entries.

Contracts (docs/apps/credit.md, copied into docs/cli.md):

    yingshang credit import FILE --kind license|penalty|other --department CODE [--json]
        exit 0 every row accepted, 1 some rows rejected, 2 usage error (unknown department
        included), 3 the file cannot be read (missing, empty, not CSV/xlsx, bad encoding, no
        template header).
    yingshang credit check CODE [--scenario S] [--json]
        exit 0 no hits, 3 hits without a blocking measure, 4 hits with a blocking measure,
        1 bad input (invalid code or unknown scenario). CODE "-" reads it from standard input.
    yingshang credit expire-lists [--date YYYY-MM-DD] [--json]
        exit 0; prints how many entries left their lists.
    yingshang credit quality-report [--month YYYY-MM] [--json] [--xlsx FILE] [--pdf FILE]
        exit 0; 2 bad month or unwritable file. The monthly 双公示 quality ranking (default: last month).
"""

import sys
from pathlib import Path

from django.db import transaction

from yingshang.credit.choices import BatchSource, Scenario
from yingshang.credit.services.imports import do_create_batch, run_batch
from yingshang.credit.services.joint import check
from yingshang.credit.services.lists import do_expire_entries
from yingshang.kernel.context import Actor, acting_as
from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.management.contract import ContractCommand
from yingshang.kernel.models import Department

COMMAND_ACTOR = Actor(user_id=None, name="命令行导入")
EFFECT_LABELS = {"reward": "激励", "punishment": "惩戒"}
LIST_LABELS = {"red": "红名单", "black": "黑名单", "watch": "重点关注名单"}


class Command(ContractCommand):
    help = ("社会信用：import 导入双公示文件（退出码 0 全部接收、1 部分拒收、2 用法错误、3 文件无法读取）；"
            "check 联合奖惩核查（0 未命中、3 命中但无限制性措施、4 命中且有限制性措施、1 输入错误）；"
            "expire-lists 名单到期移出。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import,check,expire-lists,quality-report}")
        imp = sub.add_parser("import", help="导入行政许可、行政处罚或其他信用信息文件（CSV 或 xlsx）")
        imp.add_argument("file", metavar="FILE", help="CSV（UTF-8、GBK/GB18030）或 xlsx 文件，使用国家双公示模板的中文列名")
        imp.add_argument("--kind", required=True, choices=["license", "penalty", "other"], help="信息类型")
        imp.add_argument("--department", required=True, metavar="CODE", help="报送部门编码")
        imp.add_argument("--json", action="store_true", help="以 JSON 输出导入报告")
        chk = sub.add_parser("check", help="联合奖惩核查：名单身份与适用措施")
        chk.add_argument("code", metavar="CODE", help="统一社会信用代码、组织机构代码或公民身份号码；“-” 从标准输入读取")
        chk.add_argument("--scenario", default="", help="业务场景：" + "、".join(Scenario.values))
        chk.add_argument("--json", action="store_true", help="以 JSON 输出核查结果")
        exp = sub.add_parser("expire-lists", help="将有效期届满的名单记录移出（每晚自动运行）")
        exp.add_argument("--date", default="", help="按该日期判断（默认今天），YYYY-MM-DD")
        exp.add_argument("--json", action="store_true")
        from yingshang.credit.management.quality_report import add_arguments as quality_arguments

        quality_arguments(sub)

    def handle(self, *args, action, **options):
        with acting_as(COMMAND_ACTOR):
            if action == "import":
                return self._import(options)
            if action == "check":
                return self._check(options)
            if action == "quality-report":
                from yingshang.credit.management.quality_report import run

                return run(self, options)
            return self._expire(options)

    # --- import ----------------------------------------------------------------------------------
    def _import(self, options):
        department = Department.objects.filter(code=options["department"]).first()
        if department is None:
            self.fail(f"用法错误：部门编码“{options['department'][:40]}”不存在（可用 yingshang departments 查看）", 2)
        path = Path(options["file"])
        if not path.is_file():
            self.fail(f"文件无法读取：{path} 不存在或不是文件", 3)
        with transaction.atomic():
            batch = do_create_batch(None, kind=options["kind"], department=department, source=BatchSource.COMMAND,
                                    file_name=path.name, path=path)
        report = run_batch(batch.pk)
        if options["json"]:
            self.emit_json(report.as_dict())
        else:
            self._print_report(report)
        if report.exit_code:
            raise SystemExit(report.exit_code)

    def _print_report(self, report) -> None:
        b = report.batch
        if b.status != "succeeded":
            self.stderr.write(f"批次 #{b.pk} 导入失败：{b.error_message}")
            if b.corrections_path:
                self.stderr.write(f"纠错文件（中止前发现的拒收行及错误原因）：{b.corrections_path}（数据目录下）")
            return
        self.stdout.write(f"批次 #{b.pk} {b.get_kind_display()}导入完成：共 {b.rows_total} 行，接收 {b.accepted} 行"
                          f"（新增 {b.inserted}，更新 {b.updated}，未变化 {b.unchanged}），"
                          f"拒收 {b.rejected} 行，迟报 {b.late} 行")
        if report.issues:
            self.stdout.write("拒收原因：")
            for issue in report.issues:
                where = f"【{issue.column}】" if issue.column else ""
                self.stdout.write(f"  第{issue.row}行{where}{issue.message}")
            if b.issues_truncated:
                self.stdout.write("  ……（仅列出前 1000 条，完整清单见纠错文件）")
        if report.late_rows:
            self.stdout.write("迟报（决定后超过7个工作日首次报送）：")
            for row, document_no, days in report.late_rows:
                self.stdout.write(f"  第{row}行 {document_no}：{days} 个工作日")
        if b.corrections_path:
            self.stdout.write(f"纠错文件（拒收行及错误原因）：{b.corrections_path}（数据目录下）")

    # --- check -----------------------------------------------------------------------------------
    def _check(self, options):
        code = options["code"]
        if code == "-":
            code = sys.stdin.readline().strip()
        try:
            result = check(code, options["scenario"] or None)
        except InvalidInput as exc:
            self.fail(exc.message, 1)
        if options["json"]:
            self.emit_json(result.as_dict())
        else:
            self._print_check(result)
        if result.exit_code:
            raise SystemExit(result.exit_code)

    def _print_check(self, result) -> None:
        if not result.hit:
            self.stdout.write(f"{result.identifier}：未发现名单记录")
            return
        self.stdout.write(f"{result.identifier} {result.subject_name}")
        for m in result.memberships:
            until = m.valid_until.isoformat() if m.valid_until else "长期"
            self.stdout.write(f"{LIST_LABELS.get(m.list_kind, m.list_kind)} {m.list_type_name}"
                              f"（{m.department}，认定文书号 {m.document_no}，有效期至 {until}）")
            for a in result.measures:
                if a.entry_id == m.entry_id:
                    mark = "【限制】" if a.blocking else f"【{EFFECT_LABELS.get(a.effect, a.effect)}】"
                    self.stdout.write(f"  {mark}{a.content}（{a.memorandum}）")
        self.stdout.write("结论：命中，含限制性措施" if result.blocking else "结论：命中，无限制性措施")

    # --- expire-lists ----------------------------------------------------------------------------
    def _expire(self, options):
        from datetime import date

        day = None
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                self.fail("日期格式不正确，应为 YYYY-MM-DD", 2)
        count = do_expire_entries(day)
        if options["json"]:
            self.emit_json({"expired": count})
        else:
            self.stdout.write(f"到期移出名单记录 {count} 条")
