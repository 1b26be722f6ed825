"""`yingshang calendar`: the contracts other systems script against (exit codes, --json shapes)."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from yingshang.kernel.models import AuditEntry, CalendarYear
from yingshang.kernel.services import calendar

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "docs" / "examples" / "calendar-2027-example.csv"


@pytest.fixture(autouse=True)
def seeded():
    calendar.invalidate()
    calendar.seed_from_chinese_calendar()
    yield
    calendar.invalidate()


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("calendar", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def fails(*args) -> str:
    err = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("calendar", *args, stdout=StringIO(), stderr=err)
    assert exc.value.code == 1
    return err.getvalue()


def test_add_workdays_prints_the_date():
    assert run("add-workdays", "2026-02-13", "1")[0] == "2026-02-14\n"


def test_add_workdays_json_has_exactly_date_and_provisional():
    out, _ = run("add-workdays", "2025-09-30", "1", "--json")
    assert json.loads(out) == {"date": "2025-10-09", "provisional": False}


def test_a_provisional_result_is_marked_in_text_and_json():
    out, _ = run("add-workdays", "20261230", "5")
    assert out == "2027-01-07 （临时日历）\n"
    assert json.loads(run("add-workdays", "2026-12-30", "5", "--json")[0]) == {"date": "2027-01-07", "provisional": True}


def test_add_workdays_accepts_negative_n_and_suspensions():
    assert run("add-workdays", "2026-02-24", "-1")[0] == "2026-02-14\n"
    out, _ = run("add-workdays", "2026-03-02", "10", "--suspend", "2026-03-04/2026-03-06")
    assert out == "2026-03-19\n"


def test_workdays_between_prints_the_count_and_json():
    assert run("workdays-between", "2026-02-13", "2026-02-24")[0] == "2\n"
    out, _ = run("workdays-between", "2026-12-31", "2027-01-04", "--json")
    assert json.loads(out) == {"days": 1, "provisional": True}


@pytest.mark.parametrize(("args", "fragment"), [
    (("add-workdays", "2026-02-30", "1"), "不是真实存在的日期"),
    (("add-workdays", "2026/02/03", "1"), "格式不正确"),
    (("add-workdays", "2026-02-03", "x"), "不是整数"),
    (("add-workdays", "1999-12-31", "1"), "超出工作日历的范围"),
    (("add-workdays", "2099-12-30", "5"), "超出工作日历的范围"),
    (("add-workdays", "2026-03-02", "1", "--suspend", "2026-03-09"), "暂停计时区间"),
    (("workdays-between", "2026-01-01", "abc"), "结束日期"),
    (("show", "1999"), "年份应在"),
    (("show", "二〇二七"), "不是整数"),
    (("import", "/nonexistent/calendar.csv"), "无法读取文件"),
])
def test_bad_input_exits_1_with_a_chinese_message_on_stderr(args, fragment):
    assert fragment in fails(*args)


def test_import_prints_a_report_and_makes_the_year_official(tmp_path):
    out, _ = run("import", str(EXAMPLE), "--source", "示例文件")
    assert out.startswith("已导入 2027 年官方节假日安排（新增年度）")
    assert "调休上班 5 天" in out
    assert CalendarYear.objects.get(year=2027).source == "示例文件"
    assert json.loads(run("add-workdays", "2027-02-19", "1", "--json")[0]) == {"date": "2027-02-20", "provisional": False}
    assert AuditEntry.objects.filter(action="kernel.calendar.import_year", actor_name__startswith="命令行").exists()


def test_import_of_a_bad_file_exits_1_listing_every_row_error(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("date,kind,name\n2027-02-08,workday,x\n2027-13-01,holiday,y\n", encoding="utf-8")
    err = fails("import", str(path))
    assert "第 2 行" in err and "第 3 行" in err
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_import_with_a_year_that_does_not_match_the_file_fails(tmp_path):
    err = fails("import", str(EXAMPLE), "--year", "2028")
    assert "不属于 2028 年" in err


def test_show_lists_an_official_year():
    out, _ = run("show", "2026")
    assert out.startswith("2026 年：官方安排")
    assert "2026-02-14 周六 班 春节" in out
    assert "全年工作日：248 天" in out


def test_show_json_marks_a_provisional_year():
    data = json.loads(run("show", "2027", "--json")[0])
    assert data["official"] is False and data["provisional"] is True
    assert {"date": "2027-02-05", "kind": "holiday", "name": "春节", "weekday": "周五"} in data["days"]
    assert set(data) == {"year", "official", "provisional", "source", "working_days", "days"}


def test_seed_reports_nothing_new_when_everything_is_present():
    assert run("seed")[0].startswith("新增年度：无")


@pytest.mark.embedded
def test_the_real_command_runs_in_a_subprocess(fresh_data_dir):
    env = {**os.environ, "YS_DATA_DIR": str(fresh_data_dir), "DJANGO_SETTINGS_MODULE": "yingshang.settings"}
    env.pop("YS_DATABASE_URL", None)
    yingshang = str(Path(sys.executable).with_name("yingshang"))
    subprocess.run([yingshang, "calendar", "seed"], env=env, check=True, capture_output=True, timeout=60)
    done = subprocess.run([yingshang, "calendar", "add-workdays", "2025-09-30", "1", "--json"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"date": "2025-10-09", "provisional": False}
    bad = subprocess.run([yingshang, "calendar", "add-workdays", "2025-02-30", "1"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert "不是真实存在的日期" in bad.stderr and bad.stdout == ""
