"""`yingshang credit import|check|expire-lists`: exit codes and --json shapes are contracts."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.credit.conftest import catalog, licence_rows, uscc
from tests.credit.test_lists import designate
from yingshang.credit import sample


def run(capsys, *args) -> tuple[int, str, str]:
    try:
        call_command("credit", *args)
        code = 0
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_of_a_clean_file_exits_0_and_prints_the_counts(city, tmp_path, capsys):
    path = sample.write_csv(tmp_path / "ok.csv", "license", licence_rows(city.scjg, 3))
    code, out, _err = run(capsys, "import", str(path), "--kind", "license", "--department", "610800-SCJG")
    assert code == 0 and "接收 3 行（新增 3，更新 0，未变化 0），拒收 0 行" in out


def test_import_with_rejected_rows_exits_1_and_json_lists_them(city, tmp_path, capsys):
    rows = licence_rows(city.scjg, 3)
    rows[1]["decision_date"] = "2026-02-30"
    path = sample.write_csv(tmp_path / "some.csv", "license", rows, encoding="gbk")
    code, out, _err = run(capsys, "import", str(path), "--kind", "license", "--department", "610800-SCJG", "--json")
    data = json.loads(out)
    assert code == 1
    assert set(data) == {"batch", "kind", "department", "file", "status", "error", "rows", "accepted", "inserted",
                         "updated", "unchanged", "rejected", "late", "rejected_rows", "rejected_rows_truncated",
                         "late_rows", "late_rows_truncated", "corrections_file"}
    assert (data["rows"], data["accepted"], data["rejected"], data["status"]) == (3, 2, 1, "succeeded")
    assert data["rejected_rows"] == [{"row": 3, "column": "许可决定日期", "field": "decision_date", "code": "date_invalid",
                                      "reason": "“2026-02-30”不是真实存在的日期"}]
    assert data["corrections_file"] is True


def test_import_of_an_unknown_department_is_a_usage_error(city, tmp_path, capsys):
    path = sample.write_csv(tmp_path / "ok.csv", "license", licence_rows(city.scjg, 1))
    code, _out, err = run(capsys, "import", str(path), "--kind", "license", "--department", "NOPE")
    assert code == 2 and "部门编码“NOPE”不存在" in err


def test_import_of_a_missing_or_unreadable_file_exits_3(city, tmp_path, capsys):
    code, _out, err = run(capsys, "import", str(tmp_path / "none.csv"), "--kind", "license", "--department", "610800-SCJG")
    assert code == 3 and "不存在" in err
    bad = tmp_path / "bad.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 64)
    code, out, err = run(capsys, "import", str(bad), "--kind", "penalty", "--department", "610800-SCJG", "--json")
    data = json.loads(out)
    assert code == 3 and data["status"] == "failed" and data["error"]["code"] == "file.xls"


def test_import_with_a_wrong_kind_is_a_usage_error(city, tmp_path):
    from django.core.management import CommandError

    # From the command line argparse exits 2; called in-process Django raises CommandError instead.
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("credit", "import", "x.csv", "--kind", "permit", "--department", "610800-SCJG")


def test_check_exit_codes_are_0_none_3_hit_4_blocking_1_bad_input(city, capsys):
    c = catalog(city)
    designate(city.officer, c["debtor"], uscc(1))
    designate(city.officer, c["tax_a"], uscc(2), department=city.xyb)
    assert run(capsys, "check", uscc(9))[0] == 0
    assert run(capsys, "check", uscc(2), "--scenario", "administrative_licensing")[0] == 3
    code, out, _err = run(capsys, "check", uscc(1), "--scenario", "administrative_licensing")
    assert code == 4 and "【限制】限制取得行政许可" in out and "含限制性措施" in out
    assert run(capsys, "check", uscc(1), "--scenario", "lending")[0] == 3
    code, _out, err = run(capsys, "check", "91610802ABCDEFGHIJ")
    assert code == 1 and "证件号码无效" in err
    code, _out, err = run(capsys, "check", uscc(1), "--scenario", "picnic")
    assert code == 1 and "业务场景无效" in err


def test_check_json_shape(city, capsys):
    c = catalog(city)
    designate(city.officer, c["debtor"], uscc(1))
    code, out, _err = run(capsys, "check", uscc(1), "--scenario", "administrative_licensing", "--json")
    data = json.loads(out)
    assert code == 4
    assert set(data) == {"identifier", "id_kind", "subject_name", "scenario", "hit", "blocking", "memberships", "measures"}
    assert data["memberships"][0]["list_type"] == "judgment_debtor" and data["measures"][0]["action"] == "block"
    code, out, _err = run(capsys, "check", uscc(9), "--json")
    assert code == 0 and json.loads(out)["memberships"] == []


def test_check_reads_the_code_from_standard_input(city, capsys, monkeypatch):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(uscc(9) + "\n"))
    assert run(capsys, "check", "-")[0] == 0


@pytest.mark.embedded
def test_the_installed_command_exits_1_for_an_invalid_code():
    exe = Path(sys.prefix) / "bin" / "yingshang"
    if not exe.exists():
        exe = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "yingshang"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "yingshang.settings"}
    env.pop("YS_DATABASE_URL", None)
    done = subprocess.run([str(exe), "credit", "check", "91610802ABCDEFGHIJ", "--json"], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    assert "证件号码无效" in done.stderr
    done = subprocess.run([str(exe), "credit", "check"], capture_output=True, text=True, env=env, timeout=120,
                          check=False)
    assert done.returncode == 2
