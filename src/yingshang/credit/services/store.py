# ruff: noqa: S608 - only table and column names taken from the models are interpolated; values are parameters.
"""Storing a batch's valid rows: a staging table, then set-based upserts, in the caller's transaction.

Rows stream into a temporary table (COPY on PostgreSQL, executemany in chunks on SQLite), so memory
stays flat however large the file. Then, in SQL: rows repeating a document number within the file
are dropped but the last; subjects are upserted (one per identity); records are upserted on
(department, document number), writing only rows whose content changed. All of it runs inside the
batch's single transaction: a batch killed midway leaves nothing.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import connection
from django.db.models import BooleanField, DateField, DateTimeField, DecimalField, IntegerField

from yingshang.credit.models import LicenseRecord, OtherRecord, PenaltyRecord, Subject
from yingshang.kernel.db import aware_rows, db_datetime

MODELS = {"license": LicenseRecord, "penalty": PenaltyRecord, "other": OtherRecord}
# Kept by the platform, never taken from a submitted row.
_PLATFORM = {"id", "department", "subject", "batch", "submitted_at", "updated_at", "late_days", "is_late", "late_rule",
             "publication_ended_at", "publication_end_reason"}
INSERT_ONLY = ("late_days", "is_late", "late_rule")  # lateness belongs to the first report
_IDENTITY = ("row_no", "id_kind", "id_key", "subject_kind", "subject_label", "id_display", "id_cipher")
CHUNK = 20_000  # rows per COPY (PostgreSQL) or executemany (SQLite); larger chunks: fewer hand-overs of the connection
LATE_ROWS_REPORTED = 1000  # the report lists the first late rows; the count covers all


def content_columns(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.name not in _PLATFORM]


@dataclass
class StoreResult:
    staged: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: list[tuple[int, int, str]] = field(default_factory=list)  # (row, kept row, document no)
    late: int = 0
    late_rows: list[tuple[int, str, int]] = field(default_factory=list)  # (row, document no, working days)
    recomputed_late: list[tuple[int, date, datetime]] = field(default_factory=list)


class Store:
    def __init__(self, kind: str, department_id: int, batch_id: int, now: datetime):
        self.kind = kind
        self.model = MODELS[kind]
        self.table = self.model._meta.db_table
        self.stage = f"credit_stage_{kind}"
        self.department_id, self.batch_id, self.now = department_id, batch_id, now
        self.db_now = db_datetime(now)  # the parameter: written as the ORM writes it, and compared so
        self.content = content_columns(self.model)
        self.columns = [*_IDENTITY, *self.content, *INSERT_ONLY]
        self.vendor = connection.vendor
        self._defaults = self._column_defaults()
        self._pairs = list(zip([*self.content, *INSERT_ONLY], self._defaults, strict=True))
        self.staged = 0

    # --- staging ---------------------------------------------------------------------------------
    def _column_defaults(self) -> list:
        fields = {f.attname: f for f in self.model._meta.concrete_fields}
        defaults = []
        for name in [*self.content, *INSERT_ONLY]:
            f = fields[name]
            defaults.append(None if f.null or isinstance(f, DateField | DecimalField | IntegerField) else
                            False if isinstance(f, BooleanField) else "")
        return defaults

    def _create_stage(self, cursor, table: str | None = None) -> None:
        table = table or self.stage
        q = connection.ops.quote_name
        fields = {f.attname: f for f in self.model._meta.concrete_fields}
        defs = ["row_no integer", "id_kind varchar(24)", "id_key varchar(64)", "subject_kind varchar(24)",
                "subject_label varchar(200)", "id_display varchar(64)", "id_cipher text"]
        defs += [f"{q(name)} {fields[name].db_type(connection)}" for name in [*self.content, *INSERT_ONLY]]
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        suffix = " ON COMMIT DROP" if self.vendor == "postgresql" else ""
        cursor.execute(f"CREATE TEMPORARY TABLE {table} ({', '.join(defs)}){suffix}")

    def row(self, row_no: int, data: dict) -> tuple:
        who = data["_identity"]
        get = data.get
        values = [d if (v := get(n)) is None else v for n, d in self._pairs]
        return (row_no, who.id_kind, who.key, data["_subject_kind"], data["subject_name"], who.display, who.cipher, *values)

    @contextmanager
    def writer(self):
        """Yields `write(row_tuple)`. Rows are buffered and flushed in chunks, so the connection is
        free between chunks (validation may query the database, e.g. the calendar)."""
        with connection.cursor() as cursor:
            self._create_stage(cursor)
            cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
            buffer: list[tuple] = []
            if self.vendor == "postgresql":
                def flush() -> None:
                    with cursor.cursor.copy(f"COPY {self.stage} ({cols}) FROM STDIN") as copy:
                        for values in buffer:
                            copy.write_row(values)
                    buffer.clear()
            else:
                sql = f"INSERT INTO {self.stage} ({cols}) VALUES ({', '.join(['%s'] * len(self.columns))})"
                convert = self._sqlite_converters()

                def flush() -> None:
                    rows = [tuple(v if f is None or v is None else f(v) for f, v in zip(convert, row, strict=True))
                            for row in buffer]
                    cursor.executemany(sql, rows)
                    buffer.clear()

            def write(values: tuple) -> None:
                buffer.append(values)
                self.staged += 1
                if len(buffer) >= CHUNK:
                    flush()

            yield write
            if buffer:
                flush()

    def _sqlite_converters(self) -> list:
        """SQLite stores dates as ISO text and decimals as text, as Django does: one converter per column."""
        fields = {f.attname: f for f in self.model._meta.concrete_fields}
        converters = [None] * len(_IDENTITY)
        for name in [*self.content, *INSERT_ONLY]:
            f = fields[name]
            dates = isinstance(f, DateField) and not isinstance(f, DateTimeField)
            converters.append(date.isoformat if dates else str if isinstance(f, DecimalField) else None)
        return converters

    # --- set-based upserts ------------------------------------------------------------------------
    def finish(self) -> StoreResult:
        result = StoreResult(staged=self.staged)
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                cursor.execute(f"ANALYZE {self.stage}")  # temp tables have no statistics until analysed
            result.duplicates = self._drop_duplicates(cursor)
            staged = self.staged - len(result.duplicates)
            if staged:
                self._upsert_subjects(cursor)
                before = self._count(cursor)
                changed = self._upsert_records(cursor)
                result.inserted = self._count(cursor) - before
                result.updated = changed - result.inserted
                result.unchanged = staged - changed
                result.late, result.late_rows = self._late_rows(cursor)
                result.recomputed_late = self._needing_late(cursor)
        return result

    @staticmethod
    def find_duplicates(cursor, table: str) -> list[tuple[int, int, str]]:
        """Rows repeating a document number of a later row: (row, the later row kept, document number)."""
        cursor.execute(
            f"SELECT s.row_no, d.keep, s.document_no FROM {table} s JOIN "
            f"(SELECT document_no, max(row_no) AS keep FROM {table} GROUP BY document_no HAVING count(*) > 1) d "
            f"ON s.document_no = d.document_no WHERE s.row_no < d.keep ORDER BY s.row_no"
        )
        return [tuple(r) for r in cursor.fetchall()]

    def _drop_duplicates(self, cursor) -> list[tuple[int, int, str]]:
        duplicates = self.find_duplicates(cursor, self.stage)
        rows = [r[0] for r in duplicates]
        for start in range(0, len(rows), 500):
            chunk = rows[start:start + 500]
            cursor.execute(f"DELETE FROM {self.stage} WHERE row_no IN ({', '.join(['%s'] * len(chunk))})", chunk)
        return duplicates

    def _upsert_subjects(self, cursor) -> None:
        sql, params = self.subjects_upsert_sql(self.stage)
        cursor.execute(sql, params)

    def subjects_upsert_sql(self, stage: str, *, distinct: bool = True) -> tuple[str, list]:
        """One subject per identity, named by its last row; an existing subject is written only when its
        name changed or its protected number was missing. `distinct=False`: the caller knows that no
        identity repeats in the stage, and the sort that picks the last row is skipped."""
        t = Subject._meta.db_table
        cols = "kind, name, id_kind, id_key, id_display, id_cipher, created_at, updated_at"
        picked = "subject_kind, subject_label, id_kind, id_key, id_display, id_cipher, %s, %s"
        if not distinct:
            source = f"SELECT {picked} FROM {stage} WHERE true"
        elif self.vendor == "postgresql":
            source = (f"SELECT DISTINCT ON (id_kind, id_key) {picked} FROM {stage} "
                      f"ORDER BY id_kind, id_key, row_no DESC")
        else:  # SQLite takes bare columns from the row holding max(row_no)
            source = (f"SELECT {picked} FROM (SELECT *, max(row_no) AS last_row FROM {stage} "
                      f"GROUP BY id_kind, id_key) WHERE true")
        sql = (f"INSERT INTO {t} ({cols}) {source} ON CONFLICT (id_kind, id_key) DO UPDATE SET "
               f"name = excluded.name, updated_at = excluded.updated_at, "
               f"id_cipher = CASE WHEN {t}.id_cipher = '' THEN excluded.id_cipher ELSE {t}.id_cipher END "
               f"WHERE {t}.name IS DISTINCT FROM excluded.name OR ({t}.id_cipher = '' AND excluded.id_cipher <> '')")
        return sql, [self.db_now, self.db_now]

    def _count(self, cursor) -> int:
        cursor.execute(f"SELECT count(*) FROM {self.table} WHERE department_id = %s", [self.department_id])
        return cursor.fetchone()[0]

    def _upsert_records(self, cursor) -> int:
        sql, params = self.records_upsert_sql(self.stage)
        cursor.execute(sql, params)
        return cursor.rowcount

    def records_upsert_sql(self, stage: str, *, subject_id: str = "", joins: str = "") -> tuple[str, list]:
        """Insert the staged rows (`s`), or update a record of the same (department, document number)
        whose content changed; unchanged records are not written. `subject_id` and `joins`: another way
        to find each row's subject than looking it up by identity."""
        q = connection.ops.quote_name
        t = self.table
        content = [q(c) for c in self.content]
        insert_cols = [*content, *(q(c) for c in INSERT_ONLY), "subject_id", "department_id", "batch_id",
                       "submitted_at", "updated_at", "publication_end_reason"]
        subject_id = subject_id or self.subject_lookup("s")
        select_cols = [f"s.{c}" for c in content] + [f"s.{q(c)}" for c in INSERT_ONLY] + [
            subject_id, "%s", "%s", "%s", "%s", "''"]
        updates = [f"{c} = excluded.{c}" for c in content] + [
            "subject_id = excluded.subject_id", "batch_id = excluded.batch_id", "updated_at = excluded.updated_at",
            # A changed decision date makes the first report's lateness stale: recomputed below.
            f"late_rule = CASE WHEN {t}.decision_date IS DISTINCT FROM excluded.decision_date THEN '' "
            f"ELSE {t}.late_rule END",
        ]
        changed = " OR ".join(f"{t}.{c} IS DISTINCT FROM excluded.{c}" for c in [*content, "subject_id"])
        sql = (f"INSERT INTO {t} ({', '.join(insert_cols)}) SELECT {', '.join(select_cols)} "
               f"FROM {stage} s {joins} WHERE true "
               f"ON CONFLICT (department_id, document_no) DO UPDATE SET {', '.join(updates)} WHERE {changed}")
        return sql, [self.department_id, self.batch_id, self.db_now, self.db_now]

    @staticmethod
    def subject_lookup(alias: str) -> str:
        """A row's subject by a correlated lookup, not a join: always one probe of its unique index per
        row, whatever the planner believes about a temporary table without statistics."""
        return (f"(SELECT subj.id FROM {Subject._meta.db_table} subj "
                f"WHERE subj.id_kind = {alias}.id_kind AND subj.id_key = {alias}.id_key)")

    def _late_rows(self, cursor, limit: int = LATE_ROWS_REPORTED) -> tuple[int, list[tuple[int, str, int]]]:
        """Rows first reported by this batch, and late: the count and the first `limit` of them. First reported:
        written by this batch with its time (an update keeps the first report's time; two batches may share one)."""
        join = (f"FROM {self.stage} s JOIN {self.table} r ON r.department_id = %s AND r.document_no = s.document_no "
                f"AND r.batch_id = %s AND r.submitted_at = %s WHERE s.is_late")
        params = [self.department_id, self.batch_id, self.db_now]
        cursor.execute(f"SELECT count(*) {join}", params)
        count = cursor.fetchone()[0]
        if not count:
            return 0, []
        cursor.execute(f"SELECT s.row_no, s.document_no, s.late_days {join} ORDER BY s.row_no LIMIT {int(limit)}", params)
        return count, [tuple(r) for r in cursor.fetchall()]

    def _needing_late(self, cursor) -> list[tuple[int, date, datetime]]:
        cursor.execute(f"SELECT id, decision_date, submitted_at FROM {self.table} WHERE department_id = %s AND late_rule = ''",
                       [self.department_id])
        return aware_rows(cursor.fetchall(), 2)

