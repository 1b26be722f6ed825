"""`yingshang bid seal` / `bid verify` (call_command and the installed command), and seal.js run under Node's
WebCrypto against sealing.open_bid (the Chromium test in test_bids_browser.py does it in a real page)."""

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.conftest import run_command
from yingshang.trading import sealing

SEAL_JS = Path(__file__).resolve().parents[2] / "src/yingshang/trading/static/trading/js/seal.js"


def test_seal_writes_sealed_file_and_key_and_prints_the_sha256(tmp_path):
    plain = tmp_path / "技术标.pdf"
    plain.write_bytes(b"%PDF-1.7 " + b"x" * 3_000_000)
    out = run_command("bid", "seal", str(plain), "--price", "4500000", "--duration", "300", "--quality", "合格",
                      "--manager", "张工", "--out", str(tmp_path / "b.ysbid"), "--key-out", str(tmp_path / "b.key"))
    digest = hashlib.sha256((tmp_path / "b.ysbid").read_bytes()).hexdigest()
    assert f"SHA-256 {digest}" in out
    assert (tmp_path / "b.key").stat().st_mode & 0o077 == 0  # the key file is the bidder's alone
    key = sealing.decode_key((tmp_path / "b.key").read_text())
    sheet, name, body = sealing.open_bid(key, (tmp_path / "b.ysbid").open("rb"))
    assert sheet == {"price": "4500000", "duration": 300, "quality": "合格", "manager": "张工"}
    assert name == "技术标.pdf" and body.read() == plain.read_bytes()
    verified = run_command("bid", "verify", str(tmp_path / "b.ysbid"))
    assert f"SHA-256 {digest}" in verified and sealing.key_check(key) in verified


def test_seal_json_and_usage_errors(tmp_path):
    plain = tmp_path / "a.doc"
    plain.write_bytes(b"abc")
    data = json.loads(run_command("bid", "seal", str(plain), "--price", "100.5", "--json"))
    assert data["sealed"] == f"{plain}.ysbid" and data["key"] == f"{plain}.key" and len(data["sha256"]) == 64
    for args, code in ((["seal", str(plain), "--price", "1.234"], 2), (["seal", str(plain), "--price", "-1"], 2),
                       (["seal", str(tmp_path / "none"), "--price", "1"], 2), (["verify", str(plain)], 1)):
        with pytest.raises(SystemExit) as exc:
            call_command("bid", *args)
        assert exc.value.code == code


def test_the_installed_command_runs(tmp_path):
    plain = tmp_path / "a.pdf"
    plain.write_bytes(b"%PDF-1.7 x")
    done = subprocess.run([sys.executable, "-m", "yingshang", "bid", "seal", str(plain), "--price", "10"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "SHA-256" in done.stdout
    bad = subprocess.run([sys.executable, "-m", "yingshang", "bid", "verify", str(plain)], capture_output=True,
                         text=True, timeout=120)
    assert bad.returncode == 1 and "trading.bid_not_sealed" in bad.stderr


NODE_RUNNER = """
import fs from "fs";
import { File } from "buffer";
globalThis.window = globalThis;
globalThis.document = { addEventListener() {} };
eval(fs.readFileSync(process.argv[2], "utf8"));
const size = parseInt(process.argv[3]);
const data = new Uint8Array(size);
for (let i = 0; i < size; i++) data[i] = (i * 7) % 251;
const r = await window.YSBID1.seal({price: "4500000", duration: 300, quality: "合格", manager: "张工"},
                                   new File([data], "投标文件.pdf"));
fs.writeFileSync(process.argv[4], Buffer.from(await r.blob.arrayBuffer()));
fs.writeFileSync(process.argv[5], r.keyText);
"""


@pytest.mark.skipif(not shutil.which("node"), reason="Node.js not installed")
@pytest.mark.parametrize("size", [0, 1, 1_048_576 - 104, 1_048_576, 2_500_000])
def test_seal_js_writes_exactly_the_python_format(tmp_path, size):
    """Sizes around the chunk: 1 048 576 − 104 makes the payload (104 bytes of price sheet and name + file)
    exactly one chunk, so the last-chunk flag is tested at the boundary."""
    runner = tmp_path / "run.mjs"
    runner.write_text(NODE_RUNNER)
    sealed_path, key_path = tmp_path / "b.ysbid", tmp_path / "b.key"
    subprocess.run(["node", str(runner), str(SEAL_JS), str(size), str(sealed_path), str(key_path)], check=True,
                   timeout=120)
    key = sealing.decode_key(key_path.read_text())
    sheet, name, body = sealing.open_bid(key, sealed_path.open("rb"))
    assert sheet == {"price": "4500000", "duration": 300, "quality": "合格", "manager": "张工"}
    assert name == "投标文件.pdf" and body.read() == bytes((i * 7) % 251 for i in range(size))
    header = sealing.read_header(sealed_path.open("rb"))
    assert header.chunk == sealing.CHUNK and header.check == sealing.key_check(key)
