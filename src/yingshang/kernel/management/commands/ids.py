"""`yingshang ids check CODE... [--json]`: detect, normalize and validate identifiers.

Contract (docs/cli.md): one line per code, in the order given — `OK kind normalized` or
`INVALID kind reason` (the Chinese messages joined by "；"). Exit 0 when every code is valid, 1 when
any is not, 2 on a usage error. `--json` prints a list of `{code, kind, valid, normalized,
errors: [{code, message}]}` instead. `-` reads codes from standard input, one per line, which keeps
resident IDs out of the shell history and the process list. The operator sees their own input
unmasked (or masked with `--mask`); nothing is logged.
"""

import sys

from django.utils import timezone

from yingshang.kernel.management.contract import ContractCommand
from yingshang.kernel.rules.identifiers import RESIDENT_ID, IdCheck, mask_resident_id, validate


def _masked(result: IdCheck) -> dict:
    data = result.as_dict()
    if result.kind == RESIDENT_ID:
        data["code"] = mask_resident_id(result.code)
        data["normalized"] = mask_resident_id(result.normalized) if result.normalized else None
    return data


class Command(ContractCommand):
    help = ("证件号码校验。check：识别类型（统一社会信用代码、组织机构代码、公民身份号码）、规范化并校验；"
            "全部有效时退出码 0，否则 1，用法错误 2。")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="check")
        check = sub.add_parser("check", help="校验一个或多个号码")
        check.add_argument("codes", nargs="+", metavar="CODE", help="要校验的号码；“-” 表示从标准输入逐行读取")
        check.add_argument("--json", action="store_true",
                           help="以 JSON 输出列表：[{code, kind, valid, normalized, errors: [{code, message}]}]")
        check.add_argument("--mask", action="store_true", help="输出中遮蔽公民身份号码的出生日期和顺序码")

    def handle(self, *args, action, codes, **options):
        codes = self._expand_stdin(codes)
        if not codes:
            self.fail("没有要校验的号码（标准输入为空）", 2)
        today = timezone.localdate()
        results = [validate(code, today=today) for code in codes]
        rows = [_masked(r) if options["mask"] else r.as_dict() for r in results]
        if options["json"]:
            self.emit_json(rows)
        else:
            for row, result in zip(rows, results, strict=True):
                if result.valid:
                    self.stdout.write(f"OK {row['kind']} {row['normalized']}")
                else:
                    self.stdout.write(f"INVALID {row['kind']} {result.reason}")
        if not all(r.valid for r in results):
            raise SystemExit(1)

    @staticmethod
    def _expand_stdin(codes: list[str]) -> list[str]:
        if "-" not in codes:
            return codes
        lines = [line.strip() for line in sys.stdin.read().splitlines()]
        stdin_codes = [line for line in lines if line]
        expanded = []
        for code in codes:
            expanded.extend(stdin_codes if code == "-" else [code])
        return expanded
