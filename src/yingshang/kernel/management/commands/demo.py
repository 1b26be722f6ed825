"""`yingshang demo [--reset]`: seed the demo city (idempotent) and print the logins."""

import importlib

from django.apps import apps
from django.core.management import call_command
from django.db import transaction

from yingshang.kernel.context import SYSTEM, acting_as
from yingshang.kernel.demo import SEEDERS, DemoReport
from yingshang.kernel.management.contract import ContractCommand


def discover() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("yingshang."):
            try:
                importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise


class Command(ContractCommand):
    help = "生成演示城市（可重复运行）：组织机构、各角色用户及各业务演示数据，并打印登录账号。"

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="先清空数据库中的全部数据再生成（仅用于演示库）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出登录账号")

    def handle(self, *args, reset, **options):
        if reset:
            call_command("flush", interactive=False, verbosity=0)
            # flush empties the role table too; put the roles back as migrate would
            from yingshang.kernel.signals import sync_roles

            sync_roles(sender=None, app_config=apps.get_app_config("kernel"))
        discover()
        report = DemoReport()
        with acting_as(SYSTEM), transaction.atomic():
            for _order, name, seed in sorted(SEEDERS, key=lambda s: (s[0], s[1])):
                if options["verbosity"] > 1:
                    self.stderr.write(f"… {name}")
                seed(report)
        if options["json"]:
            self.emit_json({"logins": [dict(zip(("username", "password", "roles", "department"), row, strict=True))
                                       for row in report.logins], "summary": report.lines})
            return
        for line in report.lines:
            self.stdout.write(line)
        self.stdout.write("\n演示账号（密码相同）：")
        for username, password, roles, dept in report.logins:
            self.stdout.write(f"  {username:<15} {password}  {roles}（{dept}）")
        self.stdout.write("\n打开 http://127.0.0.1:8000/ 登录；后台管理：http://127.0.0.1:8000/admin/（admin 账号）")
