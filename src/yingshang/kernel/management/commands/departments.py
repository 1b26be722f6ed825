from yingshang.kernel.management.contract import ContractCommand
from yingshang.kernel.services.org import department_tree


class Command(ContractCommand):
    help = "列出组织机构：编码、名称、上级、类型。退出码 0。"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="以 JSON 输出：[{code, name, parent, kind, kind_name, active}]")

    def handle(self, *args, **options):
        rows = [
            {"code": d.code, "name": d.name, "parent": d.parent.code if d.parent else None, "kind": d.kind,
             "kind_name": str(d.get_kind_display()), "active": d.is_active, "depth": d.depth}
            for d in department_tree()
        ]
        if options["json"]:
            self.emit_json([{k: v for k, v in row.items() if k != "depth"} for row in rows])
            return
        if not rows:
            self.stdout.write("尚无组织机构数据（运行 yingshang demo 生成演示城市）")
            return
        for row in rows:
            indent = "  " * (row["depth"] - 1)
            state = "" if row["active"] else "（停用）"
            self.stdout.write(f"{indent}{row['code']}\t{row['name']}{state}\t{row['kind_name']}\t上级：{row['parent'] or '—'}")
