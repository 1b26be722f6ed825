"""Batches: idempotent re-submission, duplicates within a file, all-or-nothing on failure, re-runs."""

from datetime import timedelta

import pytest
from django.db import transaction

from tests.credit.conftest import TODAY, import_csv, licence_rows, penalty_rows
from yingshang.credit import sample
from yingshang.credit.models import ImportBatch, LicenseRecord, PenaltyRecord, Subject
from yingshang.credit.services import imports as batches
from yingshang.kernel.models import AuditEntry


def test_resubmitting_the_same_file_changes_nothing_and_duplicates_nothing(city, tmp_path):
    rows = licence_rows(city.scjg, 20, person_every=4)
    first = import_csv(tmp_path, "license", city.scjg, rows)
    second = import_csv(tmp_path, "license", city.scjg, rows)
    assert (first.batch.inserted, first.batch.updated, first.batch.unchanged) == (20, 0, 0)
    assert (second.batch.inserted, second.batch.updated, second.batch.unchanged) == (0, 0, 20)
    assert LicenseRecord.objects.count() == 20 and Subject.objects.count() == 20


def test_a_corrected_row_updates_its_record_and_keeps_the_first_report_time(city, tmp_path, today):
    rows = licence_rows(city.scjg, 3)
    import_csv(tmp_path, "license", city.scjg, rows)
    first = LicenseRecord.objects.get(document_no=rows[0]["document_no"])
    today(TODAY + timedelta(days=3))
    rows[0]["content"] = "更正后的许可内容"
    report = import_csv(tmp_path, "license", city.scjg, rows)
    assert (report.batch.inserted, report.batch.updated, report.batch.unchanged) == (0, 1, 2)
    again = LicenseRecord.objects.get(document_no=rows[0]["document_no"])
    assert again.content == "更正后的许可内容" and again.submitted_at == first.submitted_at
    assert again.batch_id == report.batch.pk and again.updated_at > first.updated_at


def test_the_same_document_number_in_two_departments_is_two_records(city, tmp_path):
    rows = licence_rows(city.scjg, 2)
    import_csv(tmp_path, "license", city.scjg, rows)
    import_csv(tmp_path, "license", city.yj, rows)
    assert LicenseRecord.objects.count() == 4


def test_a_document_number_repeated_within_a_file_keeps_the_last_row(city, tmp_path):
    rows = licence_rows(city.scjg, 3)
    rows[2]["document_no"] = rows[0]["document_no"]
    rows[2]["content"] = "后一行"
    report = import_csv(tmp_path, "license", city.scjg, rows)
    assert report.batch.accepted == 2 and report.batch.rejected == 1
    assert [(i.row, i.code) for i in report.issues] == [(2, "duplicate_in_file")]
    assert LicenseRecord.objects.get(document_no=rows[0]["document_no"]).content == "后一行"


def test_a_batch_failing_midway_leaves_nothing_and_runs_again_without_duplicates(city, tmp_path):
    path = sample.write_csv(tmp_path / "big.csv", "penalty", penalty_rows(city.scjg, 60))
    with transaction.atomic():
        batch = batches.do_create_batch(None, kind="penalty", department=city.scjg, source="command",
                                        file_name="big.csv", path=path)
    report = batches.run_batch(batch.pk, _fail_after_rows=30)
    assert report.batch.status == "failed" and report.batch.error_code == "import.error"
    assert PenaltyRecord.objects.count() == 0 and Subject.objects.count() == 0
    assert not AuditEntry.objects.filter(action="credit.import.run").exists()
    with transaction.atomic():
        batches.do_rerun_batch(city.officer, batch.pk)
    report = batches.run_batch(batch.pk)
    assert report.batch.status == "succeeded" and report.batch.accepted == 60 and report.batch.attempts == 2
    with transaction.atomic():
        batch2 = batches.do_create_batch(None, kind="penalty", department=city.scjg, source="command",
                                         file_name="big.csv", path=path)
    assert batches.run_batch(batch2.pk).batch.unchanged == 60
    assert PenaltyRecord.objects.count() == 60


def test_a_batch_runs_once_even_when_the_job_is_delivered_twice(city, tmp_path):
    path = sample.write_csv(tmp_path / "a.csv", "license", licence_rows(city.scjg, 2))
    with transaction.atomic():
        batch = batches.do_create_batch(None, kind="license", department=city.scjg, source="command", file_name="a.csv",
                                        path=path)
    batches.run_batch(batch.pk)
    again = batches.run_batch(batch.pk)  # already finished: the stored report, no second import
    assert again.batch.attempts == 1 and ImportBatch.objects.get(pk=batch.pk).inserted == 2


def test_a_batch_whose_worker_died_is_marked_interrupted_and_can_be_rerun(city, tmp_path):
    path = sample.write_csv(tmp_path / "a.csv", "license", licence_rows(city.scjg, 2))
    with transaction.atomic():
        batch = batches.do_create_batch(None, kind="license", department=city.scjg, source="command", file_name="a.csv",
                                        path=path)
    # A worker claimed it and was killed: its transaction rolled back, the row still says running.
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", started_at=batch.created_at - timedelta(hours=1))
    assert batches.sweep_stale_batches() == 1
    batch.refresh_from_db()
    assert batch.status == "interrupted" and "可重新导入" in batch.error_message
    with transaction.atomic():
        batches.do_rerun_batch(city.officer, batch.pk)
    assert batches.run_batch(batch.pk).batch.inserted == 2


def test_only_failed_or_interrupted_batches_can_be_rerun(city, tmp_path):
    from yingshang.kernel.errors import Conflict

    report = import_csv(tmp_path, "license", city.scjg, licence_rows(city.scjg, 1))
    with pytest.raises(Conflict):
        batches.do_rerun_batch(city.officer, report.batch.pk)


def test_a_reporting_officer_reports_only_for_their_own_department(city):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        batches.do_create_batch(city.reviewer, kind="license", department=city.yj, source="upload", file_name="x.csv")
    with pytest.raises(PermissionDenied):
        batches.do_create_batch(city.clerk, kind="license", department=city.scjg, source="upload", file_name="x.csv")
    assert batches.do_create_batch(city.officer, kind="license", department=city.yj, source="upload", file_name="x.csv")


def test_each_batch_is_audited_with_its_counts(city, tmp_path):
    import json

    report = import_csv(tmp_path, "license", city.scjg, licence_rows(city.scjg, 3))
    entry = AuditEntry.objects.get(action="credit.import.run", object_id=str(report.batch.pk))
    assert json.loads(entry.summary)["after"]["inserted"] == 3


def test_progress_is_written_for_other_processes_and_removed_at_the_end(city, tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(batches, "PROGRESS_EVERY_ROWS", 10)
    original = batches.write_progress

    def spy(batch_id, rows, fraction, phase):
        original(batch_id, rows, fraction, phase)
        seen.append((rows, phase, batches.read_progress(ImportBatch(pk=batch_id)).get("rows")))

    monkeypatch.setattr(batches, "write_progress", spy)
    monkeypatch.setattr(batches.time, "monotonic", iter(range(0, 10_000, 5)).__next__)
    report = import_csv(tmp_path, "license", city.scjg, licence_rows(city.scjg, 25))
    assert (10, "reading", 10) in seen and seen[-1][1] == "storing"
    assert batches.read_progress(report.batch) == {}
