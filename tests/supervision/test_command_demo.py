"""`yingshang supervision` (exit codes and --json, in process and as a real subprocess), the periodic
jobs, and the demo seeder (with and without concluded cases; idempotent)."""

import io
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.supervision.conftest import TODAY
from yingshang.kernel.demo import DemoReport
from yingshang.supervision import demo, tasks
from yingshang.supervision.models import DailyStat, Rating, Rectification

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("supervision", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_refresh_command(march):
    body = json.loads(run("refresh", "--full", "--json"))
    assert body["full"] is True and body["rows"] == DailyStat.objects.count() > 0
    assert "统计已刷新" in run("refresh")


def test_sweep_command(march):
    assert json.loads(run("sweep", "--date", "2026-12-31", "--json")) == {"overdue": 2}
    assert set(Rectification.objects.values_list("status", flat=True)) == {"overdue", "closed"}
    with pytest.raises(SystemExit) as exc:
        call_command("supervision", "sweep", "--date", "tomorrow", stdout=io.StringIO(), stderr=io.StringIO())
    assert exc.value.code == 2


def test_export_command(march, tmp_path):
    path = tmp_path / "report.xlsx"
    body = json.loads(run("export", str(path), "--from", "2026-03-01", "--to", "2026-03-31", "--json"))
    assert body["departments"] == 2 and body["items"] == 2
    rows = list(load_workbook(path)["按部门"].iter_rows(min_row=2, values_only=True))
    assert rows[0][:4] == ("610800-SCJG", "榆林市市场监督管理局", 6, 5)
    for bad in (["--from", "2026-03-31", "--to", "2026-03-01"], ["--from", "March"]):
        with pytest.raises(SystemExit) as exc:
            call_command("supervision", "export", str(path), *bad, stdout=io.StringIO(), stderr=io.StringIO())
        assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        call_command("supervision", "export", str(tmp_path / "no" / "such" / "dir.xlsx"), stdout=io.StringIO(),
                     stderr=io.StringIO())
    assert exc.value.code == 1


@pytest.mark.embedded
def test_command_runs_as_a_real_process(fresh_data_dir):
    tmp_path = fresh_data_dir
    env = {**os.environ, "YS_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "yingshang.settings"}
    env.pop("YS_DATABASE_URL", None)  # a fresh SQLite database in tmp_path
    yingshang = Path(sys.executable).parent / "yingshang"
    done = subprocess.run([str(yingshang), "supervision", "refresh", "--json"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["full"] is True
    bad = subprocess.run([str(yingshang), "supervision", "export", str(tmp_path / "x.xlsx"), "--from", "2026-02-30"],
                         env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and "不是有效日期" in bad.stderr


def test_periodic_jobs(march, monkeypatch):
    from yingshang.kernel import clock

    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 31))
    assert tasks.rebuild_statistics.call_local()["full"] is True
    assert tasks.refresh_statistics.call_local()["full"] is False
    assert tasks.mark_overdue_rectifications.call_local() == 2


def test_demo_without_concluded_cases_does_nothing(db):
    report = DemoReport()
    demo.seed_supervision(report, today=TODAY)
    assert not Rating.objects.exists() and not DailyStat.objects.exists()
    assert report.lines == ["电子监察：没有已办结的演示办件，未生成评价"]


@pytest.mark.slow
def test_demo_seeds_ratings_and_rectifications_in_every_state(db, official_calendar):
    from django.db import transaction

    from yingshang.kernel.context import SYSTEM, acting_as
    from yingshang.kernel.demo import SEEDERS
    from yingshang.kernel.management.commands.demo import discover

    discover()
    report = DemoReport()
    with acting_as(SYSTEM), transaction.atomic():
        for _order, _name, seed in sorted(SEEDERS, key=lambda s: (s[0], s[1])):
            seed(report)
    assert Rating.objects.count() >= 10
    states = set(Rectification.objects.values_list("status", flat=True))
    assert {"open", "responded", "closed", "overdue"} <= states, states
    assert DailyStat.objects.exists()
    assert any(line.startswith("电子监察：") for line in report.lines)
    counts = (Rating.objects.count(), Rectification.objects.count())
    demo.seed_supervision(DemoReport())  # a second run adds nothing
    assert (Rating.objects.count(), Rectification.objects.count()) == counts
