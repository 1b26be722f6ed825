"""The corrections file: the rejected rows as they were submitted, plus a 错误原因 column.

Written while the batch streams (openpyxl write-only mode keeps memory flat) and saved next to the
upload. Personal document numbers are masked here as everywhere outside the database: the
department fills them back in from its own records before re-submitting (a masked number is
rejected with its own reason, so it can never be imported by mistake).
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from pathlib import Path

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from yingshang.credit.ingest.values import as_text
from yingshang.kernel.rules.identifiers import mask

REASON_HEADER = "错误原因"
ROW_HEADER = "原行号"


def _cell(value):
    if value is None or isinstance(value, int | float | date | datetime):
        return value
    # Control characters (NUL, vertical tab, …) cannot be stored in a worksheet: shown as "\ufffd" where they were.
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    # A leading "=" would make the spreadsheet evaluate the cell (formula injection).
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


class CorrectionsWriter:
    def __init__(self, path: Path, header: list[str], personal_positions: set[int]):
        self.path = path
        self.header = header
        self.personal = personal_positions
        self.rows = 0
        self._book = None
        self._sheet = None
        self._done = False
        self._saved: Path | None = None

    def _open(self) -> None:
        from openpyxl import Workbook

        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("待更正数据")
        self._sheet.append([ROW_HEADER, *self.header, REASON_HEADER])

    def add(self, row_no: int, cells: list, reasons: list[str]) -> None:
        if self._book is None:
            self._open()
        out = []
        for index in range(len(self.header)):
            value = cells[index] if index < len(cells) else None
            if index in self.personal and value not in (None, ""):
                value = mask(as_text(value))
            out.append(_cell(value))
        self._sheet.append([row_no, *out, "；".join(reasons)])
        self.rows += 1

    def save(self) -> Path | None:
        """Write the file whole (only when a row was rejected) and return its path. Once: a second call
        returns the first's result. The file appears under its name only complete (written aside, then renamed)."""
        if self._done:
            return self._saved
        self._done = True
        if self._book is None:
            return None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_suffix(".part")
        try:
            self._book.save(temp)
        except BaseException:
            self._discard()
            temp.unlink(missing_ok=True)
            raise
        temp.replace(self.path)
        self._saved = self.path
        return self.path

    def discard(self) -> None:
        """Write nothing and release the sheet's temporary file (a batch whose rows go nowhere)."""
        if not self._done:
            self._done = True
            self._discard()

    def _discard(self) -> None:
        # A write-only sheet left to the garbage collector closes its stream in no set order and then writes
        # to a closed file; closed here instead, and its temporary file removed.
        sheet, self._book, self._sheet = self._sheet, None, None
        if sheet is not None and not sheet.closed:
            with contextlib.suppress(Exception):
                sheet.close()
        writer = getattr(sheet, "_writer", None)
        if writer is not None:
            with contextlib.suppress(OSError, ValueError):
                writer.cleanup()
