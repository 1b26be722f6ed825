"""Reading an uploaded table row by row, in constant memory: CSV (UTF-8, UTF-8 with BOM, GBK/GB18030) or xlsx.

CSV encoding: a byte-order mark decides; otherwise the first 64 KiB are tried as UTF-8 and, when
they are not UTF-8, the file is read as GB18030 (a superset of GBK and GB2312, so files saved by
Excel or WPS on Chinese Windows read correctly). A byte sequence that the chosen encoding cannot
decode further down stops the import with the row number (exit code 3 of the command).
xlsx: openpyxl in read-only mode streams the first worksheet without loading it whole. Rows that are
entirely empty are skipped; row numbers are the file's own (the spreadsheet row, the CSV record
counted from 1 at the header's first line).
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

SAMPLE_BYTES = 64 * 1024
HEADER_SEARCH_ROWS = 10


class Unreadable(Exception):
    """The file cannot be read as a table (exit code 3)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def detect_encoding(sample: bytes) -> str:
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        # Incremental: a multi-byte character cut at the end of the sample is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


class _CountingReader(io.RawIOBase):
    """Counts the bytes read, so progress can be shown for text streams."""

    def __init__(self, raw):
        self.raw, self.count = raw, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        self.count += n or 0
        return n


class Table:
    """Rows of cells (str, or numbers and dates from xlsx); `fraction()` tells how far reading got."""

    encoding = ""

    def rows(self) -> Iterator[tuple[int, list]]:
        raise NotImplementedError

    def fraction(self) -> float | None:
        return None

    def close(self) -> None:
        pass


class CsvTable(Table):
    def __init__(self, path: Path):
        self.size = path.stat().st_size
        self._file = path.open("rb")
        sample = self._file.read(SAMPLE_BYTES)
        self._file.seek(0)
        self.encoding = detect_encoding(sample)
        head = sample.split(b"\n", 1)[0]
        self.delimiter = "\t" if head.count(b"\t") > head.count(b",") else ","
        self._counter = _CountingReader(self._file)

    def rows(self) -> Iterator[tuple[int, list]]:
        text = io.TextIOWrapper(io.BufferedReader(self._counter, 1 << 20), encoding=self.encoding, newline="")
        reader = csv.reader(text, delimiter=self.delimiter)
        row_no = 0
        try:
            for row_no, cells in enumerate(reader, 1):
                if (cells and cells[0].strip()) or any(c.strip() for c in cells):  # skip blank rows (first cell: quick)
                    yield row_no, cells
        except UnicodeDecodeError:
            raise Unreadable("file.encoding", f"文件第{row_no + 1}行附近含有无法按{self.encoding.upper()}识别的字符；"
                                              "请另存为UTF-8或GB18030编码的CSV，或xlsx文件") from None
        except csv.Error as exc:
            raise Unreadable("file.csv", f"文件第{row_no + 1}行不是规范的CSV：{exc}") from None

    def fraction(self) -> float | None:
        return min(self._counter.count / self.size, 1.0) if self.size else None

    def close(self) -> None:
        self._file.close()


class XlsxTable(Table):
    encoding = "xlsx"

    def __init__(self, path: Path):
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        # A file object, not the path: openpyxl judges paths by their extension, uploads keep any name.
        self._file = path.open("rb")
        try:
            self._book = load_workbook(self._file, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, InvalidFileException) as exc:
            self._file.close()
            raise Unreadable("file.xlsx", f"无法读取xlsx文件：{exc.__class__.__name__}") from None
        self._sheet = self._book.worksheets[0] if self._book.worksheets else None
        if self._sheet is None:
            raise Unreadable("file.empty", "工作簿中没有工作表")
        self._read, self._total = 0, None
        with contextlib.suppress(TypeError, ValueError):  # a sheet without a dimension record
            self._total = self._sheet.max_row

    def rows(self) -> Iterator[tuple[int, list]]:
        try:
            for row_no, cells in enumerate(self._sheet.iter_rows(values_only=True), 1):
                self._read = row_no
                if any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells):
                    yield row_no, list(cells)
        except (zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise Unreadable("file.xlsx", f"xlsx文件第{self._read + 1}行无法读取：{exc.__class__.__name__}") from None

    def fraction(self) -> float | None:
        return min(self._read / self._total, 1.0) if self._total else None

    def close(self) -> None:
        self._book.close()
        self._file.close()


def open_table(path: Path, name: str = "") -> Table:
    """Open `path` by its content (zip → xlsx, OLE → old .xls refused, anything else → CSV)."""
    try:
        with path.open("rb") as f:
            magic = f.read(8)
    except OSError:
        raise Unreadable("file.missing", f"无法打开文件{name or path.name}") from None
    if not magic:
        raise Unreadable("file.empty", "文件为空")
    if magic.startswith(b"PK\x03\x04"):
        return XlsxTable(path)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable("file.xls", "不支持旧版Excel（.xls）文件，请另存为 .xlsx 或 CSV 后上传")
    if b"\x00" in magic and not magic.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise Unreadable("file.binary", "文件不是CSV或xlsx表格")
    return CsvTable(path)


def find_header(rows: Iterator[tuple[int, list]], score) -> tuple[int, list, list[tuple[int, list]]]:
    """The header row among the first rows (templates often put a title above it).

    Returns (header row number, header cells, rows read past the header) — the caller processes the
    rows read past the header before continuing the iterator. `score(cells)` counts known columns.
    """
    seen: list[tuple[int, list]] = []
    for item in rows:
        seen.append(item)
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    if not seen:
        raise Unreadable("file.empty", "文件中没有数据")
    best = max(range(len(seen)), key=lambda i: (score(seen[i][1]), -i))
    if score(seen[best][1]) == 0:
        raise Unreadable("file.header", "文件前10行中找不到表头（应使用国家双公示模板的中文列名）")
    row_no, header = seen[best]
    return row_no, [("" if c is None else str(c)) for c in header], seen[best + 1:]
