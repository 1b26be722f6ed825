"""Every import path on whichever database the suite runs on (SQLite and PostgreSQL), with real files in
every format the reader accepts: new rows, late rows, corrected rows (lateness recomputed against the
first report), rows re-submitted unchanged, rejected rows — and a batch that fails midway."""

from __future__ import annotations

import csv
import gc
import json
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from tests.credit.conftest import TODAY, penalty_rows, run_file
from yingshang.credit import sample
from yingshang.credit.ingest.rows import late_for
from yingshang.credit.models import ImportBatch, PenaltyRecord
from yingshang.credit.services import imports

LATE_DECIDED = date(2026, 7, 15)  # months before TODAY: first reported late
ON_TIME_DECIDED = TODAY - timedelta(days=1)
BAD_USCC = "91610802MA0000000X"  # wrong check character


def scenario_rows(dept) -> list[dict]:
    """The issue's file: 5 late rows, 3 on time, one bad USCC, one without a decision date (data rows 2–11)."""
    rows = penalty_rows(dept, 5, seed=11, decided=LATE_DECIDED) + penalty_rows(dept, 5, seed=12, decided=ON_TIME_DECIDED)
    for i, row in enumerate(rows):
        row["document_no"] = f"榆市监罚〔2026〕{i + 1:04d}号"
    rows[8]["uscc"] = BAD_USCC
    rows[9]["decision_date"] = ""
    return rows


def _csv(encoding: str, delimiter: str = ","):
    def write(path: Path, rows: list[dict]) -> Path:
        with path.open("w", encoding=encoding, newline="") as f:
            out = csv.writer(f, delimiter=delimiter)
            out.writerow(sample.headers("penalty"))
            out.writerows(sample.cells("penalty", r) for r in rows)
        return path
    return write


FORMATS = {
    "utf-8.csv": _csv("utf-8"), "utf-8-bom.csv": _csv("utf-8-sig"), "gbk.csv": _csv("gbk"),
    "gb18030.csv": _csv("gb18030"), "utf-16.csv": _csv("utf-16"), "tab-separated.txt": _csv("gbk", "\t"),
    "plain.xlsx": lambda path, rows: sample.write_xlsx(path, "penalty", rows),
}


def write_file(tmp_path: Path, fmt: str, rows: list[dict], name: str = "penalty") -> Path:
    return FORMATS[fmt](tmp_path / f"{name}-{fmt}", rows)


def counts(report) -> tuple:
    b = report.batch
    return b.status, b.rows_total, b.accepted, b.inserted, b.updated, b.unchanged, b.rejected, b.late


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_new_late_rejected_unchanged_and_corrected_rows_in_every_accepted_format(city, tmp_path, today, fmt):
    rows = scenario_rows(city.scjg)
    first = run_file(write_file(tmp_path, fmt, rows), "penalty", city.scjg)
    assert counts(first) == ("succeeded", 10, 8, 8, 0, 0, 2, 5), first.batch.error_message
    assert [(i.row, i.field) for i in first.issues] == [(10, "uscc"), (11, "decision_date")]
    assert [r for r, _doc, _days in first.late_rows] == [2, 3, 4, 5, 6]
    late_days = late_for(LATE_DECIDED, TODAY)[0]
    assert {r.document_no: r.late_days for r in PenaltyRecord.objects.filter(is_late=True)} == {
        rows[i]["document_no"]: late_days for i in range(5)}
    assert first.exit_code == 1

    again = run_file(write_file(tmp_path, fmt, rows, "again"), "penalty", city.scjg)
    assert counts(again) == ("succeeded", 10, 8, 0, 0, 8, 2, 0)

    # A week later: one decision date corrected (lateness recomputed against the first report, not today),
    # one content corrected (lateness kept), one new row, the rejected rows fixed.
    today(TODAY + timedelta(days=7))
    corrected = [dict(r) for r in rows]
    corrected[0]["decision_date"] = "2026-11-10"
    corrected[5]["content"] = "警告，罚款1万元（更正）"
    corrected[8]["uscc"] = rows[7]["uscc"]
    corrected[9]["decision_date"] = (TODAY + timedelta(days=5)).isoformat()
    corrected += penalty_rows(city.scjg, 1, seed=13, decided=TODAY + timedelta(days=6))
    corrected[10]["document_no"] = "榆市监罚〔2026〕0011号"
    third = run_file(write_file(tmp_path, fmt, corrected, "corrected"), "penalty", city.scjg)
    assert counts(third) == ("succeeded", 11, 11, 3, 2, 6, 0, 0), [i.message for i in third.issues]
    assert third.exit_code == 0
    record = PenaltyRecord.objects.get(document_no=rows[0]["document_no"])
    days, late, rule = late_for(date(2026, 11, 10), TODAY)  # the first report, on TODAY
    assert (record.late_days, record.is_late, record.late_rule) == (days, late, rule)
    assert record.late_days != late_for(date(2026, 11, 10), TODAY + timedelta(days=7))[0]
    kept = PenaltyRecord.objects.get(document_no=rows[5]["document_no"])
    assert (kept.content, kept.is_late, kept.late_days) == ("警告，罚款1万元（更正）", False, late_for(ON_TIME_DECIDED, TODAY)[0])
    assert timezone.localtime(record.submitted_at).date() == TODAY  # the first report's time, read back aware


def test_a_record_the_orm_left_for_recomputation_is_recomputed_by_the_next_import(city, tmp_path, today):
    # The demo's shape: a record written by the ORM (naive UTC text on SQLite) with its lateness still to compute.
    # The raw-SQL read of its submission time is what failed on SQLite.
    rows = scenario_rows(city.scjg)
    run_file(write_file(tmp_path, "gbk.csv", rows), "penalty", city.scjg)
    submitted = timezone.make_aware(timezone.datetime(2026, 7, 17, 10, 0))
    PenaltyRecord.objects.filter(document_no=rows[0]["document_no"]).update(late_rule="", late_days=None,
                                                                           submitted_at=submitted)
    report = run_file(write_file(tmp_path, "gbk.csv", rows, "again"), "penalty", city.scjg)
    assert counts(report) == ("succeeded", 10, 8, 0, 0, 8, 2, 0), report.batch.error_message
    record = PenaltyRecord.objects.get(document_no=rows[0]["document_no"])
    assert (record.late_days, record.is_late, record.late_rule) == late_for(LATE_DECIDED, date(2026, 7, 17))


def _command(capsys, path: Path) -> tuple[int, dict]:
    try:
        call_command("credit", "import", str(path), "--kind", "penalty", "--department", "610800-SCJG", "--json")
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, json.loads(capsys.readouterr().out)


def test_the_issue_scenario_through_the_command_accepts_8_rejects_2_flags_5_late_and_reimports_unchanged(
        city, tmp_path, today, capsys):
    path = write_file(tmp_path, "gbk.csv", scenario_rows(city.scjg))
    code, data = _command(capsys, path)
    assert data["error"] is None and data["status"] == "succeeded"
    assert (data["rows"], data["accepted"], data["inserted"], data["rejected"], data["late"]) == (10, 8, 8, 2, 5)
    assert [r["row"] for r in data["rejected_rows"]] == [10, 11] and data["corrections_file"] is True
    assert code == 1  # the contract: 0 all accepted, 1 some rows rejected, 3 the file could not be read
    code, again = _command(capsys, path)
    assert (again["accepted"], again["unchanged"], again["inserted"], again["rejected"], again["late"]) == (8, 8, 0, 2, 0)
    assert code == 1 and PenaltyRecord.objects.count() == 8


# --- a batch that fails: nothing stored, the corrections file whole ----------------------------------


def _corrections(batch: ImportBatch, settings) -> list[tuple]:
    path = Path(settings.DATA_DIR) / batch.corrections_path
    assert not path.with_suffix(".part").exists()
    return list(load_workbook(path, read_only=True).worksheets[0].iter_rows(values_only=True))


@pytest.fixture
def unraisable(monkeypatch):
    """Exceptions raised where nobody can catch them (a generator finalised by the garbage collector)."""
    seen = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    yield seen
    gc.collect()


def test_a_batch_failing_midway_stores_nothing_and_writes_the_rows_rejected_so_far_whole(
        city, tmp_path, today, settings, unraisable):
    rows = penalty_rows(city.scjg, 8)
    rows[1]["uscc"] = BAD_USCC
    rows[3]["content"] = ""
    report = run_file(write_file(tmp_path, "gbk.csv", rows), "penalty", city.scjg, fail_after=6)
    b = report.batch
    assert (b.status, b.error_code, report.exit_code) == ("failed", "import.error", 3)
    assert PenaltyRecord.objects.count() == 0 and b.corrections_path
    data = _corrections(b, settings)
    assert data[0][0] == "原行号" and [r[0] for r in data[1:]] == [3, 5]
    assert "统一社会信用代码" in data[1][-1] and "处罚内容为必填项" in data[2][-1]
    gc.collect()
    assert unraisable == []
    assert report.as_dict()["corrections_file"] is True

    # Run again (the failure gone): the earlier attempt's file is replaced by this run's.
    imports.do_rerun_batch(city.reviewer, b.pk)
    rerun = imports.run_batch(b.pk)
    assert counts(rerun) == ("succeeded", 8, 6, 6, 0, 0, 2, 0)
    assert [r[0] for r in _corrections(rerun.batch, settings)[1:]] == [3, 5]


def test_a_batch_failing_after_the_last_row_keeps_every_rejected_row_in_a_whole_corrections_file(
        city, tmp_path, today, settings, monkeypatch, unraisable):
    def broken(kind, rows):  # where the import failed on SQLite: after every row was read
        raise ValueError("localtime() cannot be applied to a naive datetime")

    monkeypatch.setattr(imports, "_recompute_late", broken)
    report = run_file(write_file(tmp_path, "gbk.csv", scenario_rows(city.scjg)), "penalty", city.scjg)
    assert (report.batch.status, report.batch.error_code) == ("failed", "import.error")
    assert PenaltyRecord.objects.count() == 0
    assert [r[0] for r in _corrections(report.batch, settings)[1:]] == [10, 11]
    gc.collect()
    assert unraisable == []


def test_a_failed_json_batch_leaves_no_corrections_file(city, today, settings, monkeypatch):
    from django.db import transaction

    folder = Path(settings.DATA_DIR) / "credit" / "corrections"
    before = set(folder.iterdir()) if folder.exists() else set()
    monkeypatch.setattr(imports, "_recompute_late", lambda kind, rows: 1 / 0)
    rows = penalty_rows(city.scjg, 2)
    rows[0]["uscc"] = BAD_USCC
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        imports.import_rows(city.reviewer, kind="penalty", department=city.scjg, rows=rows)
    assert not ImportBatch.objects.exists()  # the batch went with its rows: a file would have no owner
    assert (set(folder.iterdir()) if folder.exists() else set()) == before
