"""`yingshang bid seal FILE ...` and `yingshang bid verify SEALED`: seal a bid on the bidder's own machine.

seal: packs the price sheet (开标一览表) and the bid file into the YSBID1 format (trading/sealing.py),
streaming (flat memory for any size), writes the sealed file and the key file, and prints the sealed
file's SHA-256 — the platform's receipt shows the same hash. The key is written only to --key-out: keep it,
it is needed at the opening and the platform never receives it.
verify: checks the header and prints the SHA-256 and size (exit 1 when the file is not a sealed bid).
Exit codes: 0 done, 1 the file is not usable, 2 usage error.
"""

import hashlib
import os
from decimal import Decimal, InvalidOperation
from pathlib import Path

from yingshang.kernel.management.contract import ContractCommand
from yingshang.trading import sealing


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as src:
        while block := src.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


class Command(ContractCommand):
    help = "加密投标文件。seal：本机加密（含开标一览表），输出密文和密钥文件并显示 SHA-256；verify：检查加密文件。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="seal|verify")
        seal = sub.add_parser("seal", help="加密投标文件")
        seal.add_argument("file", help="投标文件（任意格式、任意大小）")
        seal.add_argument("--price", required=True, help="投标报价（元），如 4500000 或 4500000.50")
        seal.add_argument("--duration", type=int, help="工期（日历天）")
        seal.add_argument("--quality", default="", help="质量标准，如 合格")
        seal.add_argument("--manager", default="", help="项目经理")
        seal.add_argument("--out", help="加密文件（默认 FILE.ysbid）")
        seal.add_argument("--key-out", help="密钥文件（默认 FILE.key）；请妥善保管，开标时凭此解密")
        seal.add_argument("--json", action="store_true", help="以 JSON 输出 {sealed, key, sha256, size}")
        verify = sub.add_parser("verify", help="检查加密投标文件（文件头与 SHA-256）")
        verify.add_argument("sealed", help="加密投标文件（.ysbid）")
        verify.add_argument("--json", action="store_true", help="以 JSON 输出 {sha256, size, chunk, check}")

    def handle(self, *args, action, **options):
        return self._seal(**options) if action == "seal" else self._verify(**options)

    def _seal(self, *, file, price, duration, quality, manager, out, key_out, json, **_):
        source = Path(file)
        if not source.is_file():
            self.fail(f"找不到投标文件：{file}", 2)
        try:
            amount = Decimal(price)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            self.fail("投标报价须为正数，最多两位小数", 2)
        sheet = {"price": f"{amount:f}", "duration": duration, "quality": quality, "manager": manager}
        sealed_path = Path(out or f"{source}.ysbid")
        key_path = Path(key_out or f"{source}.key")
        key = sealing.new_key()
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # the key is for the bidder alone
        with os.fdopen(fd, "w", encoding="utf-8") as key_file:
            key_file.write(sealing.encode_key(key))
        with source.open("rb") as src, sealed_path.open("wb") as dst:
            size, digest = sealing.seal_bid(key, sheet, source.name, src, dst)
        if json:
            self.emit_json({"sealed": str(sealed_path), "key": str(key_path), "sha256": digest, "size": size})
            return
        self.stdout.write(f"已加密：{sealed_path}（{size} 字节）")
        self.stdout.write(f"密钥文件：{key_path}（请妥善保管，开标时凭此解密；平台不接收密钥）")
        self.stdout.write(f"SHA-256 {digest}")

    def _verify(self, *, sealed, json, **_):
        path = Path(sealed)
        if not path.is_file():
            self.fail(f"找不到文件：{sealed}", 2)
        try:
            with path.open("rb") as src:
                header = sealing.read_header(src)
        except sealing.SealError as exc:
            self.fail(f"{exc.code}：{exc.message}", 1)
        digest, size = _sha256(path), path.stat().st_size
        if json:
            self.emit_json({"sha256": digest, "size": size, "chunk": header.chunk, "check": header.check})
            return
        self.stdout.write(f"YSBID1 加密投标文件，{size} 字节，分块 {header.chunk} 字节，密钥校验值 {header.check}")
        self.stdout.write(f"SHA-256 {digest}")
