# ruff: noqa: S608 - only table and column names taken from the models are interpolated; values are parameters.
"""Storing a batch on PostgreSQL while it is still being read: a writer thread applies each chunk.

Validating rows is Python work and storing them is the database server's, so on two cores they can
run at the same time. Instead of staging the whole file and upserting at the end (`store.Store`, as
on SQLite), each chunk of rows is copied into a temporary table and upserted by a writer thread on
the batch's own connection — the same transaction — while the reader validates the next chunk
(psycopg releases the GIL while it waits for the server, and serialises use of the connection).

The reader formats each row for a binary COPY as it comes; the writer thread copies a full chunk
and runs its statements, so the reader never waits for the connection unless both chunk tables are
busy (then it is ahead of the server). At most three chunks are in memory: one being filled, one
queued, one being applied.

Semantics are those of `Store`: within a chunk the last row of a document number is kept; across
chunks a later row updates the record again, so the file's last row wins. What each chunk wrote is
kept in the temporary table `touched`, and the batch's counts are taken from it at the end, each
document counted once. A batch killed midway still leaves nothing: it is one transaction.
"""

from __future__ import annotations

import io
import queue
import sys
import threading
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction
from psycopg.copy import Copy, FileWriter

from yingshang.credit.services.store import CHUNK, LATE_ROWS_REPORTED, Store, StoreResult

TEMP_BUFFERS_PAGES = 8192  # 64 MB of 8 kB pages: both chunk tables (~12 MB each) stay in memory


def _reserve_temp_buffers(cursor) -> None:
    """Let the chunk tables live in memory: with the default 8 MB of temp_buffers PostgreSQL writes
    their pages out to files and reads them back, for every chunk. The setting can change only
    before a session first uses a temporary table; a session that already has keeps its size."""
    cursor.execute("SELECT setting::int FROM pg_settings WHERE name = 'temp_buffers'")
    if cursor.fetchone()[0] >= TEMP_BUFFERS_PAGES:
        return
    try:
        with transaction.atomic():
            cursor.execute(f"SET temp_buffers = {TEMP_BUFFERS_PAGES}")
    except DatabaseError:
        pass  # temporary tables were used before on this connection


class _Chunk:
    """The rows of one chunk in COPY's binary format, formatted as they come (no connection needed), and whether
    a document number or a subject identity repeats within it: only then must the chunk's statements
    pick the last row of each."""

    def __init__(self, raw, columns: list[str], types: list[int]):
        self._raw, self._types = raw, types
        self._document = columns.index("document_no")
        self._identity = (columns.index("id_kind"), columns.index("id_key"))
        self.reset()

    def reset(self) -> None:
        self._buffer = io.BytesIO()
        self._copy = Copy(self._raw.cursor(), binary=True, writer=FileWriter(self._buffer))
        self._copy.set_types(self._types)  # binary COPY, dumpers chosen once: a third of the text format's cost
        self._documents: set[str] = set()
        self._identities: set[tuple[str, str]] = set()
        self.rows = 0
        self.documents_repeat = self.identities_repeat = False

    def add(self, values: tuple) -> None:
        self._copy.write_row(values)
        self.rows += 1
        document, identity = values[self._document], (values[self._identity[0]], values[self._identity[1]])
        self.documents_repeat |= document in self._documents
        self.identities_repeat |= identity in self._identities
        self._documents.add(document)
        self._identities.add(identity)

    def data(self) -> memoryview:
        self._copy.finish(None)  # writes what the formatter still holds
        return self._buffer.getbuffer()  # no copy: each chunk has its own buffer


class PipelinedStore(Store):
    def __init__(self, kind: str, department_id: int, batch_id: int, now):
        super().__init__(kind, department_id, batch_id, now)
        self.chunks = (f"credit_chunk_{kind}_a", f"credit_chunk_{kind}_b")  # copied to and applied in turns
        self.docs = f"credit_docs_{kind}"  # (row, document number) of every valid row, for duplicates
        self.touched = f"credit_touched_{kind}"  # what the upserts wrote, for the counts

    def _create_tables(self, cursor) -> None:
        for table in self.chunks:
            self._create_stage(cursor, table)
        for table, defs in ((self.docs, "row_no integer, document_no varchar(128)"),
                            (self.touched, "row_no integer, document_no varchar(128), ins boolean, late boolean, "
                                           "late_days integer")):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(f"CREATE TEMPORARY TABLE {table} ({defs}) ON COMMIT DROP")

    @contextmanager
    def writer(self):
        """Yields `write(row_tuple)`. Rows are formatted for COPY as they come (Python work, on this
        thread, without the connection); a full chunk goes to the writer thread, which copies it into a
        free chunk table and runs that chunk's statements — waiting on the server, with the GIL
        released — while this thread validates the next. Two chunk tables take turns, so at most three
        chunks are held (one filling, one queued, one being applied) and memory stays flat. The
        writer's first error is raised here, and the caller's transaction rolls back."""
        with connection.cursor() as cursor:
            _reserve_temp_buffers(cursor)
            self._create_tables(cursor)
            types = self._column_types(cursor)
        raw = connection.connection  # psycopg: thread-safe, statements are serialised on the connection
        free: queue.Queue = queue.Queue()
        for table in self.chunks:
            free.put(table)
        work: queue.Queue = queue.Queue()
        failure: list[BaseException] = []
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)

        def run() -> None:
            try:
                with raw.cursor() as cur:
                    while (job := work.get()) is not None:
                        table, data, repeats = job
                        if not failure:
                            try:
                                with cur.copy(f"COPY {table} ({cols}) FROM STDIN (FORMAT BINARY)") as copy:
                                    copy.write(data)
                                self._apply(cur, table, repeats)
                            except BaseException as exc:
                                failure.append(exc)
                        free.put(table)  # also after a failure, so that the reader never waits forever
            except BaseException as exc:  # the cursor itself failed: keep handing tables back until told to stop
                failure.append(exc)
                while (job := work.get()) is not None:
                    free.put(job[0])

        thread = threading.Thread(target=run, name=f"credit-import-{self.batch_id}", daemon=True)
        chunk = _Chunk(raw, self.columns, types)

        def flush() -> None:
            table = free.get()  # both tables busy: wait (the writer is behind)
            if failure:
                raise failure[0]
            work.put((table, chunk.data(), (chunk.documents_repeat, chunk.identities_repeat)))
            chunk.reset()

        def write(values: tuple) -> None:
            chunk.add(values)
            self.staged += 1
            if chunk.rows >= CHUNK:
                flush()

        # The writer wakes on each server reply and then needs the GIL from the busy reader: hand it over
        # sooner than the default 5 ms, or the server idles while the writer waits for its turn.
        interval = sys.getswitchinterval()
        sys.setswitchinterval(0.0005)
        thread.start()
        try:
            yield write
            if chunk.rows:
                flush()
        finally:
            work.put(None)
            thread.join()
            sys.setswitchinterval(interval)
        if failure:
            raise failure[0]

    def _column_types(self, cursor) -> list[int]:
        """The type of each staged column as PostgreSQL has it, in `self.columns` order (binary COPY)."""
        cursor.execute("SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
                       "AND NOT attisdropped", [self.chunks[0]])
        oids = dict(cursor.fetchall())
        return [oids[c] for c in self.columns]

    def _apply(self, cur, stage: str, repeats: tuple[bool, bool]) -> None:
        """One copied chunk: note its documents, keep the last row per document, upsert subjects and records."""
        t = self.table
        cur.execute(f"INSERT INTO {self.docs} (row_no, document_no) SELECT row_no, document_no FROM {stage}")
        documents_repeat, identities_repeat = repeats
        if documents_repeat:
            cur.execute(f"DELETE FROM {stage} s USING (SELECT document_no, max(row_no) AS keep FROM {stage} GROUP BY "
                        f"document_no HAVING count(*) > 1) d WHERE s.document_no = d.document_no AND s.row_no < d.keep")
        subjects, subject_params = self.subjects_upsert_sql(stage, distinct=identities_repeat)
        # One statement: the subjects this chunk inserted or renamed come back from their upsert and are
        # joined to the rows by identity; only a subject left as it was is looked up in its index.
        upsert, params = self.records_upsert_sql(
            stage, subject_id=f"COALESCE(w.id, {self.subject_lookup('s')})",
            joins="LEFT JOIN written_subjects w ON w.id_kind = s.id_kind AND w.id_key = s.id_key")
        # xmax = 0 on the returned row: it was inserted, not updated (lateness belongs to the first report).
        cur.execute(
            f"WITH written_subjects AS ({subjects} RETURNING id, id_kind, id_key), "
            f"up AS ({upsert} RETURNING {t}.document_no, {t}.xmax = 0 AS ins, {t}.is_late, {t}.late_days) "
            f"INSERT INTO {self.touched} (row_no, document_no, ins, late, late_days) "
            f"SELECT s.row_no, up.document_no, up.ins, up.ins AND up.is_late, up.late_days "
            f"FROM up JOIN {stage} s ON s.document_no = up.document_no", [*subject_params, *params])
        cur.execute(f"TRUNCATE {stage}")

    def finish(self) -> StoreResult:
        result = StoreResult(staged=self.staged)
        with connection.cursor() as cursor:
            result.duplicates = self.find_duplicates(cursor, self.docs)
            if result.duplicates:  # a document written by two chunks counts once
                cursor.execute(f"SELECT count(DISTINCT document_no) FILTER (WHERE ins), count(DISTINCT document_no), "
                               f"count(DISTINCT document_no) FILTER (WHERE late) FROM {self.touched}")
            else:
                cursor.execute(f"SELECT count(*) FILTER (WHERE ins), count(*), count(*) FILTER (WHERE late) "
                               f"FROM {self.touched}")
            inserted, written, result.late = cursor.fetchone()
            result.inserted, result.updated = inserted, written - inserted
            result.unchanged = self.staged - len(result.duplicates) - written
            if result.late:
                cursor.execute(f"SELECT row_no, document_no, late_days FROM {self.touched} "
                               f"WHERE late ORDER BY row_no LIMIT {LATE_ROWS_REPORTED}")
                result.late_rows = [tuple(r) for r in cursor.fetchall()]
            result.recomputed_late = self._needing_late(cursor)
        return result


def make_store(kind: str, department_id: int, batch_id: int, now) -> Store:
    """The pipelined store on PostgreSQL; on SQLite (one connection per thread) stage, then upsert."""
    cls = PipelinedStore if connection.vendor == "postgresql" else Store
    return cls(kind, department_id, batch_id, now)
