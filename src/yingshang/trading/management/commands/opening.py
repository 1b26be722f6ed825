"""`yingshang opening sweep`: the timed steps of openings (also a periodic job, trading/tasks.py): open the lots
whose deadline came (a lot with fewer than three bids fails) and close the decryption windows that ended."""

from yingshang.kernel.context import Actor, acting_as
from yingshang.kernel.management.contract import ContractCommand

SYSTEM = Actor(user_id=None, name="开标定时任务", role="system")


class Command(ContractCommand):
    help = "开标定时任务：到投标截止时间的标段开标（不足3个投标的流标），解密时间届满的结束解密。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sweep = sub.add_parser("sweep", help="执行一次")
        sweep.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, action, **options):
        from yingshang.trading.services.opening_decrypt import sweep

        with acting_as(SYSTEM):
            done = sweep()
        if options.get("json"):
            self.emit_json([{"lot": lot, "result": result} for lot, result in done])
            return
        for lot, result in done:
            self.stdout.write(f"标段 {lot}：{result}")
        self.stdout.write(f"共处理 {len(done)} 个标段")
