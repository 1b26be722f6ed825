"""`yingshang trading`: commands of the trading app.

Contracts (docs/cli.md):
  draw verify DRAW_ID [--json]   exit 0 every revealed round recomputes from its published seed and pools;
                                 1 a round does not (the problems are printed); 2 no such draw.
  draw sweep [--json]            exit 0: invitations past their reply time become timed out and the next
                                 substitutes are invited (run every few minutes by cron or the job queue).
--json prints one object on stdout; messages are in Chinese.
"""

from __future__ import annotations

from django.db import transaction

from yingshang.kernel.context import Actor, acting_as
from yingshang.kernel.errors import NotFound
from yingshang.kernel.management.contract import ContractCommand


class Command(ContractCommand):
    help = "公共资源交易：draw verify 验证专家抽取；draw sweep 处理超时未回复的专家邀请"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="area", required=True, metavar="子命令")
        draw = sub.add_parser("draw", help="专家抽取").add_subparsers(dest="action", required=True, metavar="操作")
        verify = draw.add_parser("verify", help="按公布的种子和候选池重算抽取并比对")
        verify.add_argument("draw_id", type=int, help="专家抽取编号")
        verify.add_argument("--json", action="store_true", help="以 JSON 输出结果")
        sweep = draw.add_parser("sweep", help="将超过回复时限的邀请标记为超时并递补候补")
        sweep.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args, **options):
        with acting_as(Actor(user_id=None, name="命令行")):
            getattr(self, f"do_{options['area']}_{options['action']}")(options)

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
