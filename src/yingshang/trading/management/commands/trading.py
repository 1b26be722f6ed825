"""`yingshang trading`: the trading centre's commands, grouped by area.

Contracts (docs/cli.md):
  draw verify DRAW_ID [--json]      exit 0 every revealed round recomputes from its published seed and pools;
                                    1 a round does not (the problems are printed); 2 no such draw.
  draw sweep [--json]               exit 0: invitations past their reply time become timed out and the next
                                    substitutes are invited (also a job every five minutes).
  lots sweep [--json]               exit 0 done: every lot whose next_check has passed is acted on (openings
                                    at the deadline, ends of periods, overdue answers …), each in its own
                                    transaction; 1 when some lot failed (listed; the others are done).
  bonds sweep [--date D] [--json]   exit 0 done: unpaid bond refunds past their due day become overdue and
                                    the centre and the bidder are warned (once); 2 bad command line.
--json prints one object on stdout: {"overdue": N marked now, "open": N unpaid, "date": "YYYY-MM-DD"}.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from yingshang.kernel.context import Actor, acting_as
from yingshang.kernel.errors import NotFound
from yingshang.kernel.management.contract import ContractCommand


class Command(ContractCommand):
    help = ("公共资源交易：lots sweep 处理到期的定时节点；draw verify/sweep 验证专家抽取、递补超时邀请；"
            "bonds sweep 标记逾期未退的投标保证金并提醒")

    def add_arguments(self, parser):
        areas = parser.add_subparsers(dest="area", required=True, metavar="范围")
        lots = areas.add_parser("lots", help="标段").add_subparsers(dest="action", required=True, metavar="子命令")
        lot_sweep = lots.add_parser("sweep", help="处理 next_check 已到的标段（开标、期间届满、逾期答复等）")
        lot_sweep.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        draw = areas.add_parser("draw", help="专家抽取").add_subparsers(dest="action", required=True, metavar="子命令")
        verify = draw.add_parser("verify", help="按公布的种子和候选池重算抽取并比对")
        verify.add_argument("draw_id", type=int, help="专家抽取编号")
        verify.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        draw_sweep = draw.add_parser("sweep", help="将超过回复时限的邀请标记为超时并递补候补")
        draw_sweep.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        bonds = areas.add_parser("bonds", help="投标保证金").add_subparsers(dest="action", required=True,
                                                                        metavar="子命令")
        sweep = bonds.add_parser("sweep", help="将超过最迟退还日仍未退付的保证金标记为逾期并提醒")
        sweep.add_argument("--date", help="按该日期判断（YYYY-MM-DD，默认今天）")
        sweep.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, **options):
        with acting_as(Actor(user_id=None, name="命令行")):
            getattr(self, f"do_{options['area']}_{options['action']}")(options)

    def do_bonds_sweep(self, options):
        from yingshang.trading.services.bond_refunds import sweep

        day = None
        if options.get("date"):
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                self.fail(f"日期“{options['date']}”不是有效日期（YYYY-MM-DD）", 2)
        with transaction.atomic():
            report = sweep(day)
        if options["json"]:
            self.emit_json(report)
            return
        self.stdout.write(f"投标保证金退付：新标记逾期 {report['overdue']} 笔，未退付 {report['open']} 笔（{report['date']}）")

    def do_lots_sweep(self, options):
        from yingshang.trading.services.sweep import sweep

        report = sweep()
        if options["json"]:
            self.emit_json(report.as_dict())
        else:
            self.stdout.write(f"检查到期标段 {report.checked} 个，处理 {len(report.acted)} 个，失败 {len(report.failed)} 个")
            for lot_id, message in report.failed.items():
                self.stderr.write(f"标段 {lot_id}：{message}")
        if report.failed:
            raise SystemExit(1)

    def do_draw_verify(self, options):
        from yingshang.trading.services import expert_draws

        try:
            result = expert_draws.verify(options["draw_id"])
        except NotFound as exc:
            self.fail(exc.message, 2)
        if options["json"]:
            self.emit_json(result)
        else:
            for r in result["rounds"]:
                state = "未揭示" if not r["revealed"] else ("一致" if r["ok"] else "不一致：" + "；".join(r["problems"]))
                self.stdout.write(f"第{r['seq']}轮：{state}")
            self.stdout.write("验证通过" if result["ok"] else "验证未通过")
        if not result["ok"]:
            raise SystemExit(1)

    def do_draw_sweep(self, options):
        from yingshang.trading.services import invitations

        with transaction.atomic():
            count = invitations.do_sweep()
        if options["json"]:
            self.emit_json({"timed_out": count})
        else:
            self.stdout.write(f"超时未回复 {count} 人，已递补候补专家")
