"""A file (or JSON batch) without a column its rows need gets one error for the batch, naming the column
(`import.missing_column`, details listing the columns) — not the same reason on every row: through the
service, the command (--json and text), the API and the page upload."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from tests.credit.conftest import penalty_rows, run_file
from tests.credit.test_import_paths import BAD_USCC
from yingshang.credit import sample
from yingshang.credit.models import ImportBatch, PenaltyRecord

SEVERITY = "失信严重程度"
API = "/api/v1/credit"


def write_without(path: Path, rows: list[dict], *dropped: str, encoding: str = "gbk") -> Path:
    header = sample.headers("penalty")
    keep = [i for i, h in enumerate(header) if h not in dropped]
    with path.open("w", encoding=encoding, newline="") as f:
        out = csv.writer(f)
        out.writerow([header[i] for i in keep])
        for row in rows:
            cells = sample.cells("penalty", row)
            out.writerow([cells[i] for i in keep])
    return path


def test_a_penalty_file_without_the_severity_column_fails_once_naming_it(city, tmp_path, today, settings):
    rows = penalty_rows(city.scjg, 4)  # decided after 2026-04-01: severity needed
    rows[2]["uscc"] = BAD_USCC
    report = run_file(write_without(tmp_path / "no-severity.csv", rows, SEVERITY), "penalty", city.scjg)
    b = report.batch
    assert (b.status, b.error_code, report.exit_code) == ("failed", "import.missing_column", 3)
    assert b.error_details == {"columns": [SEVERITY], "first_row": 2, "rows": 4}
    assert b.error_message.count(SEVERITY) == 2 and "第2行等4行" in b.error_message  # the column, and the reason
    assert PenaltyRecord.objects.count() == 0 and report.issues == []
    # The other problems found on the way are in the corrections file, without the missing column's reason.
    data = list(load_workbook(Path(settings.DATA_DIR) / b.corrections_path).active.iter_rows(values_only=True))
    assert [r[0] for r in data[1:]] == [4] and SEVERITY not in data[1][-1] and "统一社会信用代码" in data[1][-1]


def test_the_severity_column_may_be_absent_when_no_decision_needs_it(city, tmp_path, today):
    rows = penalty_rows(city.scjg, 3, decided=date(2026, 3, 20))  # before the 2025 measures took effect
    report = run_file(write_without(tmp_path / "old.csv", rows, SEVERITY), "penalty", city.scjg)
    assert (report.batch.status, report.batch.accepted, report.batch.rejected) == ("succeeded", 3, 0)


def test_a_file_without_a_column_every_row_needs_names_each_missing_column(city, tmp_path, today):
    path = write_without(tmp_path / "x.csv", penalty_rows(city.scjg, 2), "行政处罚决定书文号", "处罚依据")
    b = run_file(path, "penalty", city.scjg).batch
    assert (b.status, b.error_code) == ("failed", "import.missing_column")
    assert b.error_details == {"columns": ["行政处罚决定书文号", "处罚依据"]}
    assert "缺少必填列“行政处罚决定书文号、处罚依据”" in b.error_message


def test_the_command_reports_the_missing_column_once_in_json_and_in_text(city, tmp_path, today, capsys):
    path = write_without(tmp_path / "no-severity.csv", penalty_rows(city.scjg, 3), SEVERITY)
    args = ["credit", "import", str(path), "--kind", "penalty", "--department", "610800-SCJG"]
    with pytest.raises(SystemExit) as exit_json:
        call_command(*args, "--json")
    assert exit_json.value.code == 3
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "failed" and data["rejected_rows"] == [] and data["accepted"] == 0
    assert data["error"]["code"] == "import.missing_column"
    assert data["error"]["details"] == {"columns": [SEVERITY], "first_row": 2, "rows": 3}
    assert SEVERITY in data["error"]["message"]
    with pytest.raises(SystemExit) as exit_text:
        call_command(*args)
    assert exit_text.value.code == 3
    err = capsys.readouterr().err
    assert "导入失败" in err and err.count("文件缺少列") == 1


def test_the_api_answers_a_batch_whose_rows_all_lack_a_needed_key_with_one_error(city, client, today):
    client.force_login(city.reviewer)
    rows = [{k: v for k, v in row.items() if k != "severity"} for row in penalty_rows(city.scjg, 3)]
    response = client.post(f"{API}/imports/penalty", data=json.dumps({"department": "610800-SCJG", "rows": rows}),
                           content_type="application/json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "import.missing_column" and SEVERITY in body["message"]
    assert body["details"] == {"columns": [SEVERITY], "first_row": 1, "rows": 3}
    assert not PenaltyRecord.objects.exists() and not ImportBatch.objects.exists()

    # A key that is sent, but empty, is the row's own problem.
    sent = [{**row, "severity": None} for row in rows]
    data = client.post(f"{API}/imports/penalty", data=json.dumps({"department": "610800-SCJG", "rows": sent}),
                       content_type="application/json").json()
    assert (data["status"], data["rejected"]) == ("succeeded", 3)
    assert {r["field"] for r in data["rejected_rows"]} == {"severity"}

    # A required key no row sends.
    bare = [{k: v for k, v in row.items() if k != "document_no"} for row in penalty_rows(city.scjg, 2)]
    body = client.post(f"{API}/imports/penalty", data=json.dumps({"department": "610800-SCJG", "rows": bare}),
                       content_type="application/json").json()
    assert body["code"] == "import.missing_column"
    assert body["details"] == {"columns": ["行政处罚决定书文号"], "keys": ["document_no"]}


def test_an_uploaded_file_without_the_column_shows_one_error_on_the_batch_page(
        city, client, tmp_path, today, django_capture_on_commit_callbacks):
    client.force_login(city.reviewer)
    path = write_without(tmp_path / "u.csv", penalty_rows(city.scjg, 3), SEVERITY)
    upload = SimpleUploadedFile("处罚.csv", path.read_bytes(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/credit/imports/", {"department": "610800-SCJG", "kind": "penalty", "file": upload})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and (batch.status, batch.error_code) == ("failed", "import.missing_column")
    page = client.get(response.url).content.decode()
    assert page.count("文件缺少列") == 1 and "为必填项" not in page
    status = client.get(f"{API}/imports/{batch.pk}").json()
    assert status["error"]["code"] == "import.missing_column" and status["error"]["details"]["columns"] == [SEVERITY]
