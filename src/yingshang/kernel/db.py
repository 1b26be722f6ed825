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
"""

from __future__ import annotations

from contextlib import contextmanager
from types import SimpleNamespace

from django.db import connection, models


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
