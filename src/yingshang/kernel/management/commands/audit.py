from yingshang.kernel.management.contract import ContractCommand
from yingshang.kernel.services.audit import verify


class Command(ContractCommand):
    help = "审计链。verify：链完整时退出码 0；否则退出码 1 并指出第一条被改动的记录。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("verify", help="校验整条审计哈希链")
        check.add_argument("--json", action="store_true", help="以 JSON 输出：{ok, checked, broken_seq, reason}")

    def handle(self, *args, **options):
        result = verify()
        if options.get("json"):
            self.emit_json({"ok": result.ok, "checked": result.checked, "broken_seq": result.broken_seq,
                            "reason": result.reason or None})
        elif result.ok:
            self.stdout.write(f"OK 审计链完整，共校验 {result.checked} 条记录")
        else:
            self.stdout.write(f"BROKEN 第 {result.broken_seq} 条：{result.reason}（此前 {result.checked} 条完整）")
        if not result.ok:
            raise SystemExit(1)
