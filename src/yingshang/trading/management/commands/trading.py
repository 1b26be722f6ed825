"""`yingshang trading`: the trading centre's commands.

Contracts (docs/cli.md):
  sweep [--json]      exit 0 done: every lot whose next_check has passed is acted on (openings at the
                      deadline, ends of periods, overdue answers …), each in its own transaction; 1 when
                      some lot failed (listed; the others are done).
--json prints one object on stdout; messages are in Chinese.
"""

from __future__ import annotations

from yingshang.kernel.context import Actor, acting_as
from yingshang.kernel.management.contract import ContractCommand


class Command(ContractCommand):
    help = "公共资源交易：sweep 处理到期的定时节点（开标、期间届满、逾期答复等）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="子命令")
        sweep = sub.add_parser("sweep", help="处理 next_check 已到的标段")
        sweep.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, **options):
        with acting_as(Actor(user_id=None, name="命令行")):
            getattr(self, f"do_{options['action']}")(options)

    def do_sweep(self, options):
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
