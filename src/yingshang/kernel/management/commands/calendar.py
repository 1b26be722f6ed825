"""`yingshang calendar`: working-day arithmetic and each year's holiday schedule.

Contracts (docs/cli.md): exit 0 on success; 1 on bad input or a bad file, with the Chinese message
on stderr; 2 when the command line itself is malformed (argparse). `--json` shapes:
add-workdays `{"date": "YYYY-MM-DD", "provisional": bool}`, workdays-between
`{"days": N, "provisional": bool}`, show: see docs/parts/calendar.md.
"""

from __future__ import annotations

import getpass
from pathlib import Path

from django.db import transaction

from yingshang.kernel.context import Actor, acting_as
from yingshang.kernel.errors import InvalidInput, ServiceError
from yingshang.kernel.management.contract import ContractCommand
from yingshang.kernel.services import calendar

PROVISIONAL_MARK = "（临时日历）"
KIND_LABELS = {calendar.HOLIDAY: "休", calendar.WORKDAY: "班"}


class Command(ContractCommand):
    help = "工作日计算与年度节假日安排（add-workdays、workdays-between、import、show、seed）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="子命令")

        add = sub.add_parser("add-workdays", help="DATE 之后第 N 个工作日（DATE 当天不计）")
        add.add_argument("date", help="起算日期 YYYY-MM-DD 或 YYYYMMDD")
        add.add_argument("n", help="工作日数（整数，可为负）")
        add.add_argument("--suspend", action="append", default=[], metavar="START/END",
                         help="暂停计时区间（含首尾），可重复")
        add.add_argument("--json", action="store_true", help="输出 JSON")

        between = sub.add_parser("workdays-between", help="(START, END] 之间的工作日数")
        between.add_argument("start", help="开始日期（不计）")
        between.add_argument("end", help="结束日期（计入）")
        between.add_argument("--suspend", action="append", default=[], metavar="START/END",
                             help="暂停计时区间（含首尾），可重复")
        between.add_argument("--json", action="store_true", help="输出 JSON")

        imp = sub.add_parser("import", help="导入某年的官方节假日安排（CSV：date,kind,name）")
        imp.add_argument("file", help="CSV 文件路径")
        imp.add_argument("--year", help="年份（默认取文件中日期的年份）")
        imp.add_argument("--source", default="", help="来源，如通知文号（默认为文件名）")

        show = sub.add_parser("show", help="某年的节假日与调休安排")
        show.add_argument("year", help="年份")
        show.add_argument("--json", action="store_true", help="输出 JSON")

        sub.add_parser("seed", help="从 chinese-calendar 补全数据库中缺少的官方年度（不覆盖已有年度）")

    def handle(self, *args, **options):
        action = options["action"].replace("-", "_")
        try:
            with acting_as(_cli_actor()):
                getattr(self, f"do_{action}")(options)
        except ServiceError as exc:
            self.fail(exc.message, 1)

    # --- subcommands -----------------------------------------------------------------------------

    def do_add_workdays(self, options):
        start = calendar.parse_date(options["date"], "起算日期")
        n = _integer(options["n"])
        result = calendar.add_working_days(start, n, _suspensions(options))
        if options["json"]:
            self.emit_json({"date": result.date.isoformat(), "provisional": result.provisional})
        else:
            self.stdout.write(result.date.isoformat() + (" " + PROVISIONAL_MARK if result.provisional else ""))

    def do_workdays_between(self, options):
        start = calendar.parse_date(options["start"], "开始日期")
        end = calendar.parse_date(options["end"], "结束日期")
        result = calendar.working_days_between(start, end, _suspensions(options))
        if options["json"]:
            self.emit_json({"days": result.days, "provisional": result.provisional})
        else:
            self.stdout.write(str(result.days) + (" " + PROVISIONAL_MARK if result.provisional else ""))

    def do_import(self, options):
        path = Path(options["file"])
        year = _year(options["year"]) if options["year"] else None
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InvalidInput("calendar.file_unreadable", f"无法读取文件 {path}：{exc.strerror or exc}") from None
        year, rows = calendar.read_calendar_csv(data, year)
        with transaction.atomic():
            report = calendar.do_import_year(year, rows, options["source"] or path.name)
        replaced = "新增年度" if report.replaced is None else f"替换原有 {report.replaced} 条"
        self.stdout.write(
            f"已导入 {report.year} 年官方节假日安排（{replaced}）：休息日 {report.holidays} 天"
            f"（其中工作日 {report.holidays_on_weekdays} 天），调休上班 {report.workdays} 天；来源：{report.source}"
        )

    def do_show(self, options):
        schedule = calendar.year_schedule(_year(options["year"]))
        if options["json"]:
            self.emit_json({
                "year": schedule.year, "official": schedule.official, "provisional": schedule.provisional,
                "source": schedule.source, "working_days": schedule.working_days,
                "days": [{"date": d.date.isoformat(), "kind": d.kind, "name": d.name, "weekday": d.weekday}
                         for d in schedule.days],
            })
            return
        status = "官方安排" if schedule.official else "临时日历（尚无官方安排，按法定假日推算，未含调休）"
        self.stdout.write(f"{schedule.year} 年：{status}")
        self.stdout.write(f"来源：{schedule.source or '（未注明）'}")
        self.stdout.write(f"全年工作日：{schedule.working_days} 天")
        for day in schedule.days:
            self.stdout.write(f"{day.date.isoformat()} {day.weekday} {KIND_LABELS[day.kind]} {day.name}".rstrip())

    def do_seed(self, options):
        with transaction.atomic():
            report = calendar.seed_from_chinese_calendar()
        created = "、".join(map(str, report.created)) or "无"
        self.stdout.write(f"新增年度：{created}；已存在而跳过：{len(report.skipped)} 个年度")


def _cli_actor() -> Actor:
    """The audit trail names the operating-system account that ran the command."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "?"
    return Actor(user_id=None, name=f"命令行（{user}）"[:100])


def _integer(text: str, what: str = "工作日数", code: str = "calendar.days_invalid") -> int:
    raw = text.strip()
    if not (raw.isascii() and raw.lstrip("+-").isdigit() and len(raw) <= 10):
        raise InvalidInput(code, f"{what}“{text}”不是整数")
    return int(raw)


def _year(text: str) -> int:
    year = _integer(text, "年份", "calendar.year_invalid")
    calendar.check_year(year)
    return year


def _suspensions(options) -> list:
    return [calendar.parse_suspension(text) for text in options.get("suspend") or []]
