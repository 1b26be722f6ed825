"""Readable serial numbers per kind and period, unique under concurrency on PostgreSQL and SQLite.

Format of `next_number`: PREFIX + YYYY + the serial, zero-padded to `width` digits, for example
"SL2026000123" (prefix "SL", year 2026, serial 123). The serial restarts at 1 each year. A serial
that outgrows `width` is printed with more digits rather than refused: numbers stay unique, a
counter never stops issuing.

How it stays unique: the counter row is incremented by one atomic statement
(`UPDATE ... SET value = value + 1`), which takes the row's write lock until the caller's transaction
ends; a second transaction drawing from the same counter waits for it and then sees the new value.
On first use the row is created by `INSERT ... ON CONFLICT DO UPDATE`, so two transactions that
both find no row still get different numbers (the loser of the insert race waits and increments).
On SQLite every transaction starts with BEGIN IMMEDIATE (see settings), so writers queue anyway.

Gaps: the increment belongs to the caller's transaction, so a rollback takes the number back and the
next caller gets it again. Numbers are therefore contiguous as long as each number is drawn in the
transaction that stores it. The price is that transactions drawing from one counter run one after
another until commit: keep them short (no network calls while holding a number).
"""

from __future__ import annotations

import re
from datetime import date as Date

from django.db import connections, router, transaction
from django.utils import timezone

from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.models import SerialCounter

_KIND = re.compile(r"^[a-z][a-z0-9_.-]{0,31}$")
_PERIOD = re.compile(r"^[0-9A-Za-z-]{1,8}$")
_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{0,9}$")
MAX_WIDTH = 12


def _check(kind: str, period: str) -> None:
    if not isinstance(kind, str) or not _KIND.match(kind):
        raise InvalidInput("invalid_serial_kind", "编号种类须为小写字母开头的字母、数字、点、下划线或连字符，至多 32 位",
                           details={"kind": str(kind)[:64]})
    if not isinstance(period, str) or not _PERIOD.match(period):
        raise InvalidInput("invalid_serial_period", "编号周期须为 1 至 8 位字母或数字（如 2026）",
                           details={"period": str(period)[:64]})


def _statements(connection) -> tuple[str, str, str | None]:
    """UPDATE and first-use upsert, both returning the new value; a SELECT where RETURNING is missing.

    RETURNING needs SQLite 3.35 (2021); older SQLite reads the value back, which is safe because the
    UPDATE already holds the write lock.
    """
    qn = connection.ops.quote_name
    table, kind, period, value = qn(SerialCounter._meta.db_table), qn("kind"), qn("period"), qn("value")
    has_returning = connection.vendor == "postgresql" or connection.features.can_return_columns_from_insert
    returning = f" RETURNING {value}" if has_returning else ""
    # Only the model's own quoted identifiers are interpolated; kind and period are bound parameters.
    where = f"WHERE {kind} = %s AND {period} = %s"
    update = f"UPDATE {table} SET {value} = {value} + 1 {where}{returning}"  # noqa: S608
    upsert = (
        f"INSERT INTO {table} ({kind}, {period}, {value}) VALUES (%s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({kind}, {period}) DO UPDATE SET {value} = {table}.{value} + 1{returning}"
    )
    select = None if has_returning else f"SELECT {value} FROM {table} {where}"  # noqa: S608
    return update, upsert, select


def next_serial(kind: str, period: str) -> int:
    """The next serial of `kind` in `period` (1, 2, 3, ...), drawn inside the caller's transaction."""
    _check(kind, period)
    alias = router.db_for_write(SerialCounter)
    connection = connections[alias]
    update, upsert, select = _statements(connection)
    params = [kind, period]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        # Common case: one statement. Only the first draw of a period needs the upsert, which on
        # PostgreSQL would otherwise use up an id from the table's sequence on every call.
        cursor.execute(update, params)
        if select is None:
            row = cursor.fetchone()
            if row is None:
                cursor.execute(upsert, params)
                row = cursor.fetchone()
        else:
            if cursor.rowcount == 0:
                cursor.execute(upsert, params)
            cursor.execute(select, params)
            row = cursor.fetchone()
    return int(row[0])


def next_number(kind: str, *, prefix: str, date: Date | None = None, width: int = 6) -> str:
    """A readable number such as "SL2026000123": prefix, year, serial of `kind` within that year.

    `date` picks the year (default: today in the platform's time zone). Each kind should have its
    own prefix: two kinds sharing a prefix would draw from different counters and collide.
    """
    if not isinstance(prefix, str) or not _PREFIX.match(prefix):
        raise InvalidInput("invalid_number_prefix", "编号前缀须为大写字母开头的 1 至 10 位大写字母或数字",
                           details={"prefix": str(prefix)[:64]})
    if not isinstance(width, int) or isinstance(width, bool) or not 1 <= width <= MAX_WIDTH:
        raise InvalidInput("invalid_number_width", f"流水号位数须在 1 至 {MAX_WIDTH} 之间", details={"width": width})
    day = date or timezone.localdate()
    year = f"{day.year:04d}"
    return f"{prefix}{year}{next_serial(kind, year):0{width}d}"
