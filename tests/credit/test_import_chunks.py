"""A file stored chunk by chunk (on PostgreSQL while it is read) counts and keeps rows as one pass would.

CHUNK is made tiny here so that small files cross many chunks: repeats within a chunk and across
chunks, lateness of first reports, and a failure of the writer midway.
"""

from datetime import timedelta

import pytest
from django.db import connection, transaction

from tests.credit.conftest import TODAY, import_csv, licence_rows
from yingshang.credit import sample
from yingshang.credit.models import ImportBatch, LicenseRecord, Subject
from yingshang.credit.services import imports as batches
from yingshang.credit.services import store, store_pipeline


@pytest.fixture(autouse=True)
def tiny_chunks(monkeypatch):
    monkeypatch.setattr(store, "CHUNK", 3)
    monkeypatch.setattr(store_pipeline, "CHUNK", 3)


def test_a_document_repeated_in_a_later_chunk_keeps_the_last_row_and_counts_once(city, tmp_path):
    rows = licence_rows(city.scjg, 10)
    # File rows are numbered from 2 (row 1 is the header); chunks hold rows 2–4, 5–7, 8–10, 11.
    rows[7]["document_no"] = rows[1]["document_no"]  # row 9 repeats row 3, two chunks later
    rows[7]["content"] = "后一行"
    rows[5]["document_no"] = rows[4]["document_no"]  # rows 6 and 7: the same chunk
    report = batches.report_for(import_csv(tmp_path, "license", city.scjg, rows).batch)
    b = report.batch
    assert (b.rows_total, b.accepted, b.inserted, b.updated, b.unchanged, b.rejected) == (10, 8, 8, 0, 0, 2)
    assert sorted(i.row for i in report.issues if i.code == "duplicate_in_file") == [3, 6]
    assert LicenseRecord.objects.count() == 8
    assert LicenseRecord.objects.get(document_no=rows[1]["document_no"]).content == "后一行"


def test_one_subject_in_several_rows_of_a_chunk_and_across_chunks_is_one_subject_named_by_its_last_row(city, tmp_path):
    rows = licence_rows(city.scjg, 7)
    same = ("subject_name", "subject_category", "uscc", "legal_rep", "legal_rep_id_type")
    for i, name in ((1, "榆林市第一名称有限公司"), (2, "榆林市第二名称有限公司"), (5, "榆林市最后名称有限公司")):
        rows[i].update({k: rows[0][k] for k in same}, subject_name=name)  # rows 2, 3, 4 share a chunk; row 7 does not
    b = import_csv(tmp_path, "license", city.scjg, rows).batch
    assert (b.accepted, b.inserted, b.rejected) == (7, 7, 0)
    subject = Subject.objects.get(id_key=rows[0]["uscc"])
    assert subject.name == "榆林市最后名称有限公司"
    assert LicenseRecord.objects.filter(subject=subject).count() == 4
    assert Subject.objects.count() == 4


def test_each_record_points_at_its_subject_whether_the_subject_is_new_renamed_or_unchanged(city, tmp_path):
    # The writer takes new and renamed subjects from their upsert and looks up only the unchanged ones.
    rows = licence_rows(city.scjg, 3)
    import_csv(tmp_path, "license", city.scjg, rows)
    later = licence_rows(city.scjg, 6)[3:]  # three new documents of three new subjects
    same = ("subject_name", "subject_category", "uscc", "legal_rep", "legal_rep_id_type")
    later[0].update({k: rows[0][k] for k in same})  # an existing subject, unchanged
    later[1].update({k: rows[1][k] for k in same}, subject_name="榆林市改名后有限公司")  # an existing one, renamed
    rows[2]["content"] = "更正后的内容"  # a corrected record of an existing, unchanged subject
    b = import_csv(tmp_path, "license", city.scjg, [*later, rows[2]]).batch
    assert (b.inserted, b.updated, b.unchanged, b.rejected) == (3, 1, 0, 0)
    for row in [*later, rows[2]]:
        record = LicenseRecord.objects.select_related("subject").get(document_no=row["document_no"])
        assert (record.subject.id_key, record.subject.name) == (row["uscc"], row["subject_name"])
    assert Subject.objects.count() == 4


@pytest.mark.skipif(connection.vendor != "postgresql", reason="chunks are formatted for PostgreSQL's COPY")
def test_a_chunk_notes_repeated_documents_and_identities_apart(db):
    connection.ensure_connection()
    chunk = store_pipeline._Chunk(connection.connection, _COLUMNS, ["int4", "varchar", "varchar", "varchar"])
    chunk.add(_row("文1", "91A"))
    chunk.add(_row("文2", "91B"))
    assert (chunk.rows, chunk.documents_repeat, chunk.identities_repeat) == (2, False, False)
    chunk.add(_row("文3", "91A"))
    assert (chunk.documents_repeat, chunk.identities_repeat) == (False, True)
    chunk.add(_row("文1", "91C"))
    assert (chunk.documents_repeat, chunk.identities_repeat) == (True, True)
    assert bytes(chunk.data()).startswith(b"PGCOPY\n")  # the whole binary format: signature, rows, trailer
    chunk.reset()
    assert (chunk.rows, chunk.documents_repeat, chunk.identities_repeat) == (0, False, False)


_COLUMNS = ["row_no", "id_kind", "id_key", "document_no"]


def _row(document: str, key: str) -> tuple:
    return (1, "uscc", key, document)


def test_a_repeat_across_chunks_of_an_existing_record_counts_as_one_update(city, tmp_path):
    rows = licence_rows(city.scjg, 6)
    import_csv(tmp_path, "license", city.scjg, rows)
    again = [dict(r) for r in rows]
    again[0]["content"] = "第一次更正"
    again.append(dict(again[0], content="第二次更正"))  # row 7 corrects row 1 again, in a later chunk
    b = import_csv(tmp_path, "license", city.scjg, again).batch
    assert (b.accepted, b.inserted, b.updated, b.unchanged, b.rejected) == (6, 0, 1, 5, 1)
    assert LicenseRecord.objects.get(document_no=rows[0]["document_no"]).content == "第二次更正"


def test_late_first_reports_are_counted_and_listed_across_chunks(city, tmp_path):
    late = licence_rows(city.scjg, 4, decided=TODAY - timedelta(days=40), prefix="迟")
    timely = licence_rows(city.scjg, 4, decided=TODAY - timedelta(days=1), prefix="及")
    report = import_csv(tmp_path, "license", city.scjg, [*timely[:2], *late, *timely[2:]])
    assert report.batch.late == 4
    assert [row for row, _doc, _days in report.late_rows] == [4, 5, 6, 7]  # file rows (the header is row 1)


def test_a_file_resubmitted_in_chunks_changes_nothing(city, tmp_path):
    rows = licence_rows(city.scjg, 8, person_every=3)
    import_csv(tmp_path, "license", city.scjg, rows)
    b = import_csv(tmp_path, "license", city.scjg, rows).batch
    assert (b.inserted, b.updated, b.unchanged) == (0, 0, 8)
    assert LicenseRecord.objects.count() == 8 and Subject.objects.count() == 8


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite stores once, after reading: no later chunk to fail in")
def test_a_store_failing_in_a_later_chunk_leaves_nothing(city, tmp_path, monkeypatch):
    calls = {"n": 0}
    original = store.Store.subjects_upsert_sql

    def failing(self, stage, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("the database went away (test)")
        return original(self, stage, **kwargs)

    monkeypatch.setattr(store.Store, "subjects_upsert_sql", failing)
    path = sample.write_csv(tmp_path / "a.csv", "license", licence_rows(city.scjg, 9))
    with transaction.atomic():
        batch = batches.do_create_batch(None, kind="license", department=city.scjg, source="command",
                                        file_name="a.csv", path=path)
    report = batches.run_batch(batch.pk)
    assert report.batch.status == "failed" and report.batch.error_code == "import.error"
    assert LicenseRecord.objects.count() == 0 and Subject.objects.count() == 0
    assert ImportBatch.objects.get(pk=batch.pk).inserted == 0
