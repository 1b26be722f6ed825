"""Collection (归集): import batches from files, the API and the command, all or nothing per batch.

A batch reads its rows as a stream, validates each (`ingest.rows`), writes the valid ones to the
database in chunks (`store_pipeline`: on PostgreSQL a writer thread stores one chunk while the next
is validated; on SQLite staged, then upserted) and the rejected ones to the corrections file — all
inside one transaction. `run_batch` is the edge for files (the job and the command): it claims the
batch, runs it in its own transaction and records a failure after the rollback, so a batch that
failed or was killed leaves no rows and can be run again. Re-running never duplicates: records are
unique on (department, document number).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import time
import uuid
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from yingshang.credit.choices import BatchKind, BatchSource, BatchStatus
from yingshang.credit.ingest import readers
from yingshang.credit.ingest.corrections import CorrectionsWriter
from yingshang.credit.ingest.rows import MISSING_COLUMN, HeaderProblem, Issue, RowChecker, late_for
from yingshang.credit.ingest.values import as_text
from yingshang.credit.models import ImportBatch, RowIssue
from yingshang.credit.services import common
from yingshang.credit.services.store import MODELS
from yingshang.credit.services.store_pipeline import make_store
from yingshang.kernel import access, clock
from yingshang.kernel.context import acting_as, actor_for
from yingshang.kernel.errors import Conflict, InvalidInput, NotFound
from yingshang.kernel.rules.identifiers import mask
from yingshang.kernel.services.audit import record

logger = logging.getLogger("yingshang.credit.imports")

MAX_STORED_ISSUES = 1000  # per batch, in the database; the corrections file lists every rejected row
MAX_API_ROWS = 5000
PROGRESS_EVERY_ROWS = 5000
STALE_AFTER_SECONDS = 30 * 60  # a running batch silent this long was killed
_LOCK_NAMESPACE = 41_707  # pg_advisory_xact_lock(namespace, key): one batch per department and kind at a time


def data_dir() -> Path:
    return Path(settings.DATA_DIR) / "credit"


def progress_path(batch_id: int) -> Path:
    return data_dir() / "progress" / f"{batch_id}.json"


def corrections_file(batch_id: int) -> Path:
    return data_dir() / "corrections" / f"{batch_id}.xlsx"


# --- reports --------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    batch: ImportBatch
    issues: list[Issue] = field(default_factory=list)
    late_rows: list[tuple[int, str, int]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """The command's contract: 0 all accepted, 1 some rows rejected, 3 the file could not be read."""
        if self.batch.status != BatchStatus.SUCCEEDED:
            return 3
        return 1 if self.batch.rejected else 0

    def as_dict(self) -> dict:
        b = self.batch
        return {
            "batch": b.pk, "kind": b.kind, "department": b.department.code, "file": b.file_name, "status": b.status,
            "error": error_of(b),
            "rows": b.rows_total, "accepted": b.accepted, "inserted": b.inserted, "updated": b.updated,
            "unchanged": b.unchanged, "rejected": b.rejected, "late": b.late,
            "rejected_rows": [i.as_dict() for i in self.issues], "rejected_rows_truncated": b.issues_truncated,
            "late_rows": [{"row": r, "document_no": d, "working_days": w} for r, d, w in self.late_rows],
            "late_rows_truncated": b.late > len(self.late_rows),
            "corrections_file": bool(b.corrections_path),
        }


def error_of(batch: ImportBatch) -> dict | None:
    """A failed batch's error as the API shows errors: {"code", "message"} and "details" when there are some."""
    if not batch.error_code:
        return None
    error = {"code": batch.error_code, "message": batch.error_message}
    if batch.error_details:
        error["details"] = batch.error_details
    return error


def report_for(batch: ImportBatch) -> ImportReport:
    """The report of a finished batch, from what was stored (issues capped at MAX_STORED_ISSUES)."""
    issues = [Issue(i.row_no, i.column, i.field, i.code, i.message) for i in batch.issues.all()[:MAX_STORED_ISSUES]]
    return ImportReport(batch, issues)


# --- checks and creation ------------------------------------------------------------------------


def check_collect(user, department) -> None:
    """Reporting officers report for their own department (heads: and the units below), the credit office for all."""
    access.check_perm(user, common.COLLECT)
    access.access_department(user, department)


def _check_kind(kind: str) -> None:
    if kind not in BatchKind.values:
        raise InvalidInput("credit.kind_invalid", "信息类型应为 license（行政许可）、penalty（行政处罚）或 other（其他信用信息）",
                           details={"field": "kind"})


def do_create_batch(user, *, kind: str, department, source: str, file_name: str, path: Path | None = None,
                    upload=None) -> ImportBatch:
    """Register a batch and keep its file (copied from `path` or streamed from an uploaded file)."""
    _check_kind(kind)
    if user is not None:
        check_collect(user, department)
    max_bytes = getattr(settings, "CREDIT_IMPORT_MAX_BYTES", 1024 ** 3)
    size = upload.size if upload is not None else (path.stat().st_size if path else 0)
    if size > max_bytes:
        raise InvalidInput("credit.file_too_large", f"文件过大：最大{max_bytes // 1024 // 1024} MB", details={"field": "file"})
    now = clock.now()
    batch = ImportBatch.objects.create(
        kind=kind, source=source, department=department, created_by=user if user and user.pk else None,
        created_by_name=getattr(user, "display_name", "") if user else "", file_name=file_name[:255], file_size=size,
        created_at=now,
    )
    if upload is not None or path is not None:
        suffix = Path(file_name).suffix.lower()[:8] if Path(file_name).suffix.lower() in (".csv", ".xlsx", ".txt") else ""
        stored = data_dir() / "imports" / f"{batch.pk}-{uuid.uuid4().hex}{suffix}"
        stored.parent.mkdir(parents=True, exist_ok=True)
        if upload is not None:
            with stored.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
        else:
            shutil.copyfile(path, stored)
        batch.stored_path = str(stored.relative_to(Path(settings.DATA_DIR)))
        batch.save(update_fields=["stored_path"])
    record("credit.import.create", batch, after={"kind": kind, "department": department.code, "file": file_name,
                                                 "source": source, "bytes": size})
    return batch


# --- running --------------------------------------------------------------------------------------


def _claim(batch_id: int) -> bool:
    """Atomically move a queued batch to running (a second worker on the same batch gets False)."""
    return bool(ImportBatch.objects.filter(pk=batch_id, status=BatchStatus.QUEUED).update(
        status=BatchStatus.RUNNING, started_at=clock.now(), error_code="", error_message=""))


def run_batch(batch_id: int, *, _fail_after_rows: int | None = None) -> ImportReport:
    """Run a queued file batch to the end (the job's and the command's edge). Never raises for bad files."""
    if not _claim(batch_id):
        batch = ImportBatch.objects.select_related("department").get(pk=batch_id)
        if batch.status == BatchStatus.RUNNING:
            raise Conflict("credit.batch_running", "该批次正在导入中")
        return report_for(batch)
    ImportBatch.objects.filter(pk=batch_id).update(attempts=F("attempts") + 1)
    batch = ImportBatch.objects.select_related("department", "created_by").get(pk=batch_id)
    corrections_file(batch_id).unlink(missing_ok=True)  # an earlier attempt's: this run writes its own
    actor = actor_for(batch.created_by) if batch.created_by_id else None
    try:
        with acting_as(actor) if actor else nullcontext():
            table = readers.open_table(Path(settings.DATA_DIR) / batch.stored_path, batch.file_name)
            try:
                with transaction.atomic():
                    report = _ingest_table(batch, table, fail_after_rows=_fail_after_rows)
            finally:
                table.close()
    except HeaderProblem as exc:
        return _failed(batch, exc.code, exc.message, exc.details)
    except readers.Unreadable as exc:
        return _failed(batch, exc.code, exc.message)
    except Exception:
        logger.exception("credit import batch %s failed", batch_id)
        return _failed(batch, "import.error", "导入过程中出现系统错误，本批次数据未写入，可重新导入")
    finally:
        progress_path(batch_id).unlink(missing_ok=True)
    return report


def _failed(batch: ImportBatch, code: str, message: str, details: dict | None = None) -> ImportReport:
    """Record the failure after the rollback. The rows rejected before it stay listed in the corrections
    file, written whole when the batch stopped (`_ingest`)."""
    corrections = corrections_file(batch.pk)
    kept = str(corrections.relative_to(Path(settings.DATA_DIR))) if corrections.is_file() else ""
    ImportBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.FAILED, error_code=code, error_message=message,
                                                   error_details=details or {}, corrections_path=kept,
                                                   finished_at=clock.now())
    batch.refresh_from_db()
    return ImportReport(batch)


def _ingest_table(batch: ImportBatch, table: readers.Table, *, fail_after_rows: int | None = None) -> ImportReport:
    today = clock.today()
    checker = RowChecker(batch.kind, today)
    rows = table.rows()
    _header_row, header, pending = readers.find_header(rows, checker.header_score)
    checker.bind_header(header)

    def all_rows():
        yield from pending
        yield from rows

    return _ingest(batch, checker, header, all_rows(), table.fraction, fail_after_rows=fail_after_rows)


def import_rows(user, *, kind: str, department, rows: list[dict]) -> ImportReport:
    """The JSON API: rows as {key: value}, stored in the caller's transaction (≤ MAX_API_ROWS)."""
    _check_kind(kind)
    if len(rows) > MAX_API_ROWS:
        raise InvalidInput("credit.too_many_rows", f"每次最多报送{MAX_API_ROWS}条", details={"field": "rows"})
    checker = RowChecker(kind, clock.today())
    present = set().union(*(row.keys() for row in rows))
    checker.bind_keys(present)
    missing = [c.header for c in checker.columns if c.required and c.key not in present]
    if missing:  # as a file without those columns: one error, not the same reason on every row
        raise HeaderProblem(f"报送数据缺少必填字段“{'、'.join(missing)}”", missing,
                            keys=[c.key for c in checker.columns if c.required and c.key not in present])
    batch = do_create_batch(user, kind=kind, department=department, source=BatchSource.API, file_name="")
    batch.status, batch.started_at, batch.attempts = BatchStatus.RUNNING, clock.now(), 1
    header = [c.header for c in checker.columns]
    numbered = ((i, checker.cells_from_mapping(row)) for i, row in enumerate(rows, 1))
    return _ingest(batch, checker, header, numbered, lambda: None)


def _lock_department_kind(batch: ImportBatch) -> None:
    if connection.vendor == "postgresql":
        key = batch.department_id * 4 + BatchKind.values.index(batch.kind)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, key % 2_147_483_647])


def _ingest(batch, checker: RowChecker, header: list[str], rows, fraction, *, fail_after_rows=None) -> ImportReport:
    personal = {i for c, i in checker.bound if c.personal}
    corrections = CorrectionsWriter(corrections_file(batch.pk), header, personal)
    try:
        return _ingest_rows(batch, checker, rows, fraction, corrections, fail_after_rows)
    except BaseException:
        # The rows are rolled back; the rows rejected so far are kept for the department to correct — in
        # a whole file, never a torn one — when the batch is a file's (an API batch disappears with its rows).
        if batch.stored_path:
            with contextlib.suppress(Exception):  # the batch's own error is what is reported
                corrections.save()
        corrections.discard()
        raise


def _ingest_rows(batch, checker: RowChecker, rows, fraction, corrections: CorrectionsWriter,
                 fail_after_rows) -> ImportReport:
    _lock_department_kind(batch)
    now = clock.now()
    store = make_store(batch.kind, batch.department_id, batch.pk, now)
    key_at = {c.key: i for c, i in checker.bound}
    issues: list[Issue] = []
    stored_issues: list[RowIssue] = []
    total = rejected = 0
    last_progress = time.monotonic()
    with store.writer() as write:
        for row_no, cells in rows:
            total += 1
            data, problems = checker.check(row_no, cells)
            if data is not None:
                write(store.row(row_no, data))
            elif problems := [p for p in problems if p.code != MISSING_COLUMN]:
                # (A column the file lacks is the batch's one error, below, not each row's.)
                rejected += 1
                corrections.add(row_no, cells, [f"【{p.column}】{p.message}" if p.column else p.message for p in problems])
                for p in problems:
                    if len(issues) < MAX_STORED_ISSUES:
                        issues.append(p)
                        stored_issues.append(_row_issue(batch, p, cells, key_at))
            if fail_after_rows is not None and total >= fail_after_rows:
                raise RuntimeError("simulated failure midway (tests)")
            if total % PROGRESS_EVERY_ROWS == 0 and time.monotonic() - last_progress > 1:
                write_progress(batch.pk, total, fraction(), "reading")
                last_progress = time.monotonic()
        if (missing := checker.missing_columns()) is not None:
            raise missing  # every row was read, so the corrections file lists all the other problems
    write_progress(batch.pk, total, 1.0, "storing")
    result = store.finish()
    _recompute_late(batch.kind, result.recomputed_late)
    for row, kept, document_no in result.duplicates:
        p = Issue(row, "", "document_no", "duplicate_in_file",
                  f"决定文书号“{document_no[:60]}”与第{kept}行重复，以第{kept}行为准")
        if len(issues) < MAX_STORED_ISSUES:
            issues.append(p)
            stored_issues.append(RowIssue(batch=batch, row_no=row, column="", field=p.field, code=p.code,
                                          message=p.message, document_no=document_no[:128]))
    RowIssue.objects.bulk_create(stored_issues)
    saved = corrections.save()
    batch.status, batch.finished_at = BatchStatus.SUCCEEDED, clock.now()
    batch.rows_total, batch.rejected = total, rejected + len(result.duplicates)
    batch.accepted = result.inserted + result.updated + result.unchanged
    batch.inserted, batch.updated, batch.unchanged, batch.late = result.inserted, result.updated, result.unchanged, result.late
    batch.issues_truncated = len(issues) >= MAX_STORED_ISSUES
    batch.corrections_path = str(saved.relative_to(Path(settings.DATA_DIR))) if saved else ""
    batch.save()
    record("credit.import.run", batch, after={
        "kind": batch.kind, "department": batch.department.code, "rows": total, "accepted": batch.accepted,
        "inserted": batch.inserted, "updated": batch.updated, "unchanged": batch.unchanged,
        "rejected": batch.rejected, "late": batch.late})
    return ImportReport(batch, issues, result.late_rows)


def _row_issue(batch, p: Issue, cells, key_at: dict[str, int]) -> RowIssue:
    def cell(key: str) -> str:
        i = key_at.get(key)
        return as_text(cells[i]) if i is not None and i < len(cells) and cells[i] is not None else ""

    number = cell("id_number")
    return RowIssue(batch=batch, row_no=p.row, column=p.column[:100], field=p.field[:60], code=p.code[:64],
                    message=p.message, document_no=cell("document_no")[:128], subject_name=cell("subject_name")[:200],
                    identifier=(mask(number) if number else cell("uscc"))[:64])


def _recompute_late(kind: str, rows) -> None:
    if not rows:
        return
    model = MODELS[kind]
    updates = []
    for pk, decided, submitted in rows:
        days, late, rule = late_for(decided, timezone.localtime(submitted).date())
        updates.append(model(pk=pk, late_days=days, is_late=late, late_rule=rule))
    model.objects.bulk_update(updates, ["late_days", "is_late", "late_rule"], batch_size=1000)


# --- progress, stale batches, re-runs -------------------------------------------------------------


def write_progress(batch_id: int, rows: int, fraction: float | None, phase: str) -> None:
    """A small file any process can read (the batch row itself is inside the uncommitted transaction)."""
    path = progress_path(batch_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_suffix(f".{os.getpid()}.tmp")
    temp.write_text(json.dumps({"rows": rows, "fraction": fraction, "phase": phase, "at": time.time()}))
    temp.replace(path)


def read_progress(batch: ImportBatch) -> dict:
    try:
        return json.loads(progress_path(batch.pk).read_text())
    except (OSError, ValueError):
        return {}


def sweep_stale_batches(now=None) -> int:
    """Mark running batches whose worker went silent (killed) as interrupted: their rows were rolled back."""
    now = now or clock.now()
    count = 0
    for batch in ImportBatch.objects.filter(status=BatchStatus.RUNNING).exclude(source=BatchSource.API):
        heard = read_progress(batch).get("at") or (batch.started_at.timestamp() if batch.started_at else 0)
        if now.timestamp() - heard > STALE_AFTER_SECONDS:
            updated = ImportBatch.objects.filter(pk=batch.pk, status=BatchStatus.RUNNING).update(
                status=BatchStatus.INTERRUPTED, finished_at=now, error_code="import.interrupted",
                error_message="导入进程意外中止，本批次数据未写入，可重新导入")
            count += updated
            progress_path(batch.pk).unlink(missing_ok=True)
    return count


def get_batch(user, batch_id: int) -> ImportBatch:
    batch = ImportBatch.objects.select_related("department").filter(pk=batch_id).first()
    if batch is None:
        raise NotFound("credit.batch_not_found", "导入批次不存在")
    check_collect(user, batch.department)
    return batch


def do_rerun_batch(user, batch_id: int) -> ImportBatch:
    """Queue a failed or interrupted file batch again (its file is kept)."""
    batch = get_batch(user, batch_id)
    if batch.status not in (BatchStatus.FAILED, BatchStatus.INTERRUPTED):
        raise Conflict("credit.batch_not_rerunnable", "只有失败或中断的批次可以重新导入")
    if not batch.stored_path:
        raise Conflict("credit.batch_no_file", "接口报送的批次没有保存文件，请重新报送")
    updated = ImportBatch.objects.filter(pk=batch.pk, status=batch.status).update(status=BatchStatus.QUEUED)
    if not updated:
        raise Conflict("credit.batch_conflict", "该批次状态已变化，请刷新后重试")
    record("credit.import.rerun", batch, before={"status": batch.status}, after={"status": BatchStatus.QUEUED})
    batch.refresh_from_db()
    return batch
