"""Database helpers shared by the domains.

`BlockRangeIndex`: for a column whose values follow the order rows are written in (a time of first
report), a BRIN index on PostgreSQL — a few bytes per block range, nothing per row — and a B-tree
elsewhere. A B-tree over such a column costs every insert a descent, and when a whole batch shares one
value (an import's `submitted_at`), a rewrite of that value's posting list as well.

`prepared_cursor()`: for a hot read statement run thousands of times a second (the credit check at
every window), planning costs more than running — a three-table join plans in about 2 ms and runs
in 0.15 ms on ten million records. On PostgreSQL this cursor binds parameters on the server and
prepares each statement once per connection, so later runs skip the planner. Django keeps psycopg's
automatic preparation off so that transaction-pooling proxies work; use this only for fixed SQL
text, and note that a transaction-pooling proxy (PgBouncer before 1.21) needs its prepared-statement
support switched on. Elsewhere (SQLite) it is Django's usual cursor. Either way the statement goes
through Django's cursor wrapper, so query logging and query counting see it.

`aware(value)` / `aware_rows(rows, *positions)`: every datetime read by raw SQL goes through them. The
ORM converts a column it reads; raw SQL skips that, and the backends then disagree: PostgreSQL gives
an aware datetime, SQLite gives whatever text was stored, parsed by its declared column type — naive
for what the ORM wrote (UTC), aware for text with an offset, plain text when an expression hides the
type. These return what the ORM would: aware, in the database's time zone (UTC) when naive.

`db_datetime(value)`: every datetime written (or compared) by raw SQL goes through it, so a row looks
the same whether the ORM or a statement wrote it (on SQLite, naive UTC text, as Django stores it).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from datetime import datetime
from types import SimpleNamespace

from django.conf import settings
from django.db import connection, models
from django.utils.dateparse import parse_datetime


class BlockRangeIndex(models.Index):
    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        statement = super().create_sql(model, schema_editor, using=" USING brin", **kwargs)
        # Ranges filled since the last vacuum are summarised by autovacuum as soon as the next one starts;
        # until then a scan reads them whole (correct, slower).
        statement.parts["extra"] = " WITH (autosummarize = on)" + statement.parts["extra"]
        return statement


def _prepared_cursor_class():
    import psycopg

    class PreparedCursor(psycopg.Cursor):
        def execute(self, query, params=None, *, prepare=None, binary=None):
            self._query = None
            result = super().execute(query, params, prepare=True if prepare is None else prepare, binary=binary)
            if self._query is None and isinstance(query, str):
                # Run by name, psycopg keeps no query text; Django's query log reads `_query.query`.
                self._query = SimpleNamespace(query=query.encode(), params=None)
            return result

    return PreparedCursor


_CLASS = None


@contextmanager
def prepared_cursor():
    global _CLASS  # built once, on first use (psycopg is imported only on PostgreSQL)
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            yield cursor
        return
    connection.ensure_connection()
    if _CLASS is None:
        _CLASS = _prepared_cursor_class()
    pg = connection.connection
    if pg.prepare_threshold is None:
        # Django turns psycopg's preparation off (None refuses even an explicit prepare=True). A threshold
        # no statement reaches keeps automatic preparation off and lets this cursor prepare its own.
        pg.prepare_threshold = 2**31 - 1
    raw = _CLASS(pg)
    wrapped = connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)
    try:
        yield wrapped
    finally:
        raw.close()


# --- datetimes through raw SQL -------------------------------------------------------------------


def aware(value, conn=None) -> datetime | None:
    """A datetime column as raw SQL returned it, made what the ORM returns (None stays None)."""
    if value is None:
        return None
    if isinstance(value, str):
        parsed = parse_datetime(value)
        if parsed is None:
            raise ValueError(f"not a datetime: {value[:40]!r}")
        value = parsed
    elif not isinstance(value, datetime):
        raise TypeError(f"not a datetime: {type(value).__name__}")
    if settings.USE_TZ and value.tzinfo is None:
        # Naive only from SQLite: stored in the connection's time zone (UTC unless the database sets one), as
        # Django's own converter reads it.
        return value.replace(tzinfo=(conn or connection).timezone)
    return value


def aware_rows(rows: Iterable, *positions: int) -> list[tuple]:
    """Cursor rows as tuples, the datetime columns at `positions` passed through `aware`."""
    out = []
    for row in rows:
        row = list(row)
        for i in positions:
            row[i] = aware(row[i])
        out.append(tuple(row))
    return out


def db_datetime(value: datetime | None, conn=None):
    """A datetime parameter of raw SQL as the ORM would write it: unchanged on PostgreSQL, naive UTC text
    on SQLite (the sqlite3 module would otherwise store the value's own offset, '+08:00' or '+00:00',
    and text comparisons with what the ORM wrote would be off)."""
    return (conn or connection).ops.adapt_datetimefield_value(value)
