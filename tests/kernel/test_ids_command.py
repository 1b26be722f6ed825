"""`yingshang ids check CODE... [--json]`: the output lines, the JSON shape and the exit codes are a contract."""

import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

VALID = ["91110000600037341L", "60003734-1", "11010519491231002X"]


def run(*args, stdin: str | None = None, monkeypatch=None) -> tuple[int, str]:
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        call_command("ids", *args, stdout=out)
    except SystemExit as exc:
        return exc.code, out.getvalue()
    return 0, out.getvalue()


def test_all_valid_codes_print_ok_kind_normalized_and_exit_0():
    code, out = run("check", *VALID, "110105491231002", "９１１１００００６０００３７３４１ｌ")
    assert code == 0
    assert out.splitlines() == [
        "OK uscc 91110000600037341L",
        "OK organization_code 600037341",
        "OK resident_id 11010519491231002X",
        "OK resident_id 11010519491231002X",
        "OK uscc 91110000600037341L",
    ]


def test_any_invalid_code_prints_invalid_kind_reason_in_order_and_exits_1():
    code, out = run("check", "91110000600037341L", "91110000600037342L", "xyz")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "OK uscc 91110000600037341L"
    assert lines[1].startswith("INVALID uscc ") and "组织机构代码" in lines[1] and "；" in lines[1]
    assert lines[2].startswith("INVALID unknown 无法识别号码类型")


def test_json_output_is_a_list_of_the_contract_shape():
    code, out = run("check", "--json", "91110000600037341L", "91110000600037341M", "中文")
    assert code == 1
    data = json.loads(out)
    assert [list(item) for item in data] == [["code", "kind", "valid", "normalized", "errors"]] * 3
    assert data[0] == {"code": "91110000600037341L", "kind": "uscc", "valid": True,
                       "normalized": "91110000600037341L", "errors": []}
    assert data[1]["errors"] == [{"code": "uscc.check_character", "message": data[1]["errors"][0]["message"]}]
    assert data[2]["kind"] == "unknown" and data[2]["normalized"] is None


def test_json_exit_code_is_0_when_all_are_valid():
    code, out = run("check", *VALID, "--json")
    assert code == 0 and all(item["valid"] for item in json.loads(out))


def test_dash_reads_codes_from_standard_input(monkeypatch):
    code, out = run("check", "-", stdin="91110000600037341L\n\n  11010519491231002X  \n", monkeypatch=monkeypatch)
    assert code == 0
    assert out.splitlines() == ["OK uscc 91110000600037341L", "OK resident_id 11010519491231002X"]


def test_empty_standard_input_is_a_usage_error(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))
    err = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("ids", "check", "-", stdout=io.StringIO(), stderr=err)
    assert exc.value.code == 2 and "没有要校验的号码" in err.getvalue()


def test_mask_option_hides_resident_id_digits():
    code, out = run("check", "--mask", "11010519491231002X", "91110000600037341L")
    assert out.splitlines() == ["OK resident_id 110105********002X", "OK uscc 91110000600037341L"]
    code, out = run("check", "--mask", "--json", "110105491231002")
    assert json.loads(out)[0]["code"] == "110105******002"
    assert json.loads(out)[0]["normalized"] == "110105********002X"


@pytest.mark.parametrize("args", [[], ["check"], ["verify", "x"], ["check", "--bogus", "x"]])
def test_usage_errors_raise_command_error_in_process(args):
    with pytest.raises(CommandError):
        call_command("ids", *args, stdout=io.StringIO(), stderr=io.StringIO())


def test_nothing_is_logged(caplog):
    with caplog.at_level(logging.DEBUG):
        run("check", "11010519491231002X", "110105194912310021")
    assert not [r for r in caplog.records if "1949" in r.getMessage()]


def _yingshang(tmp_path: Path, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "YS_DATA_DIR": str(tmp_path), "YS_SECRET_KEY": "x" * 50, "DJANGO_SETTINGS_MODULE": "yingshang.settings"}
    env.pop("YS_DATABASE_URL", None)
    exe = Path(sys.executable).with_name("yingshang")
    return subprocess.run([str(exe), "ids", *args], input=stdin, capture_output=True, text=True, env=env, timeout=60, check=False)


@pytest.mark.embedded
def test_real_command_contract(tmp_path):
    ok = _yingshang(tmp_path, "check", *VALID)
    assert (ok.returncode, ok.stdout.splitlines()[0]) == (0, "OK uscc 91110000600037341L")
    bad = _yingshang(tmp_path, "check", "--json", "91110000600037341M", "11010519491231002X")
    assert bad.returncode == 1
    assert [item["valid"] for item in json.loads(bad.stdout)] == [False, True]
    piped = _yingshang(tmp_path, "check", "-", stdin="110105491231002\n")
    assert (piped.returncode, piped.stdout.strip()) == (0, "OK resident_id 11010519491231002X")
    usage = _yingshang(tmp_path, "check")
    assert usage.returncode == 2 and "CODE" in usage.stderr
    assert _yingshang(tmp_path).returncode == 2
