"""The working-day calendar: working-day arithmetic, each year's schedule, seeding and import.

Semantics (the contract every caller relies on):

- A *working day* is Monday–Friday unless the year's schedule makes it a holiday, or a Saturday or
  Sunday that the schedule makes a working day (调休上班). A year with a `CalendarYear` row uses its
  official schedule from the database; any other year is *provisional*: statutory holidays and
  compensatory days from `rules.calendar`, no 调休 bridges.
- `add_working_days(d, n)`: for n > 0 the n-th working day after d, d itself not counted (a Friday
  plus 1 is the next Monday, and so is a Saturday plus 1). n = 0 returns d unchanged, even on a
  holiday. For n < 0 the working day e with `working_days_between(e, d) == -n`: |n| working days
  back, counting d itself when it is a working day (a Wednesday minus 1 is the Tuesday).
- `working_days_between(start, end)`: the working days in (start, end]; negative when end < start.
  Hence `working_days_between(d, add_working_days(d, n).date) == n` for every n.
- Suspensions (clock-stops, 暂停计时): (start, end) date pairs, both ends inclusive; a working day
  inside one does not count, in either function. Overlapping or adjacent intervals are merged.
- Every result is a small tuple `(value, provisional)`: provisional is true when any year from the
  earlier to the later of the two dates involved has no official schedule.
- Dates from 2000-01-01 to 2099-12-31 never raise (lunardate's tables end with lunar 2099); a date
  outside, or a result that would fall outside, raises InvalidInput with a Chinese message.

The arithmetic runs on a per-process index (`services.calendar_index`), O(1) per call without
suspensions. Each year's days are stored as its exceptions to Mon–Fri; holidays that fall on a
weekend may be stored too (harmless: they keep the published span for `year_schedule`).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from typing import NamedTuple

from django.db import IntegrityError, transaction

from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.models import CalendarDay, CalendarYear
from yingshang.kernel.rules import calendar as rules
from yingshang.kernel.services.audit import record
from yingshang.kernel.services.calendar_index import (
    HOLIDAY,
    MAX_SUSPENSIONS,
    RANGE_END,
    RANGE_START,
    WORKDAY,
    CalendarIndex,
    Suspension,
    WorkdayCount,
    WorkdayResult,
    current_index,
    invalidate,
    refresh,
)

WEEKDAYS = "一二三四五六日"
KIND_ALIASES = {"holiday": HOLIDAY, "休": HOLIDAY, "workday": WORKDAY, "班": WORKDAY}
CSV_HEADER = ["date", "kind", "name"]
MAX_FILE_BYTES = 256 * 1024
NAME_MAX = CalendarDay._meta.get_field("name").max_length

__all__ = [
    "HOLIDAY", "MAX_SUSPENSIONS", "RANGE_END", "RANGE_START", "WORKDAY", "CalendarIndex", "CalendarRow",
    "ImportReport", "ScheduleDay", "SeedReport", "Suspension", "WorkdayCount", "WorkdayResult", "YearSchedule",
    "add_working_days", "check_year", "current_index", "do_import_year", "invalidate", "is_official_year",
    "is_working_day", "parse_date", "parse_suspension", "read_calendar_csv", "refresh",
    "seed_from_chinese_calendar", "working_days_between", "year_schedule",
]


def add_working_days(start: date, n: int, suspensions=()) -> WorkdayResult:
    """The date n working days after `start`, start not counted (see the module docstring)."""
    return current_index().add(start, n, suspensions)


def working_days_between(start: date, end: date, suspensions=()) -> WorkdayCount:
    """The working days in (start, end] not inside a suspension; negative when end < start."""
    return current_index().between(start, end, suspensions)


def is_working_day(day: date) -> bool:
    return current_index().is_working_day(day)


def is_official_year(year: int) -> bool:
    return year in current_index().official_years


# --- Parsing input -------------------------------------------------------------------------------


def parse_date(text: str, what: str = "日期") -> date:
    """YYYY-MM-DD or YYYYMMDD, with a Chinese error naming what was wrong."""
    raw = (text or "").strip()[:40]  # echoed in the message: keep a pasted essay out of it
    digits = raw.replace("-", "")
    well_formed = raw.isascii() and digits.isdigit() and (
        (len(raw) == 10 and raw[4] == raw[7] == "-") or len(raw) == 8)
    if not well_formed:
        raise InvalidInput("calendar.date_format", f"{what}“{raw}”格式不正确，应为 YYYY-MM-DD 或 YYYYMMDD",
                           details={"value": raw})
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        raise InvalidInput("calendar.date_invalid", f"{what}“{raw}”不是真实存在的日期", details={"value": raw}) from None


def parse_suspension(text: str) -> Suspension:
    """An ISO 8601 interval "START/END", both inclusive, e.g. 2026-03-02/2026-03-10."""
    text = (text or "")[:60]
    start, sep, end = text.partition("/")
    if not sep:
        raise InvalidInput("calendar.suspension_invalid",
                           f"暂停计时区间“{text}”格式不正确，应为“开始日期/结束日期”，如 2026-03-02/2026-03-10")
    pair = Suspension(parse_date(start, "暂停计时开始日期"), parse_date(end, "暂停计时结束日期"))
    if pair.end < pair.start:
        raise InvalidInput("calendar.suspension_invalid", f"暂停计时区间“{text}”的结束日期早于开始日期")
    return pair


def check_year(year: int) -> None:
    if type(year) is not int or not rules.FIRST_YEAR <= year <= rules.LAST_YEAR:
        raise InvalidInput("calendar.year_invalid", f"年份应在 {rules.FIRST_YEAR} 至 {rules.LAST_YEAR} 之间",
                           details={"value": year})


# --- A year's schedule ----------------------------------------------------------------------------


class ScheduleDay(NamedTuple):
    date: date
    kind: str  # HOLIDAY or WORKDAY
    name: str

    @property
    def weekday(self) -> str:
        return "周" + WEEKDAYS[self.date.weekday()]


class YearSchedule(NamedTuple):
    year: int
    official: bool
    source: str  # the official source, or the statutory rule version of a provisional year
    days: tuple[ScheduleDay, ...]
    working_days: int  # working days in the whole year

    @property
    def provisional(self) -> bool:
        return not self.official


def year_schedule(year: int) -> YearSchedule:
    """The year's holidays and adjusted working days: official from the database, else provisional."""
    check_year(year)
    entry = CalendarYear.objects.filter(year=year).first()
    if entry is not None:
        days = tuple(ScheduleDay(*row) for row in entry.days.order_by("date").values_list("date", "kind", "name"))
        source = entry.source
    else:
        version = rules.version_for_year(year)
        days = tuple(ScheduleDay(d, HOLIDAY, name) for d, name in rules.provisional_holidays(year).items())
        source = f"{version.title}（{version.decree}）推算的临时日历，未含调休"
    index = current_index()
    count = index.between(date(year, 1, 1), date(year, 12, 31)).days + index.is_working_day(date(year, 1, 1))
    return YearSchedule(year, entry is not None, source, days, count)


# --- Seeding from chinese-calendar ---------------------------------------------------------------


class SeedReport(NamedTuple):
    created: tuple[int, ...]
    skipped: tuple[int, ...]  # already in the database: imported or edited by hand, never overwritten


def seed_from_chinese_calendar() -> SeedReport:
    """Store every year chinese-calendar knows in full (2004–2026 in 1.11) that the database lacks.

    Idempotent and safe to run from post_migrate, `yingshang calendar seed` and the demo: a year
    already present is skipped, whatever its source. One audit entry per year created.
    """
    import chinese_calendar

    names = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
    by_year: dict[int, list[tuple[date, str, str]]] = defaultdict(list)
    for day, name in chinese_calendar.holidays.items():
        by_year[day.year].append((day, HOLIDAY, names.get(name, name)[:NAME_MAX]))
    for day, name in chinese_calendar.workdays.items():
        if day.weekday() >= 5:  # a "workday" on a weekday changes nothing
            by_year[day.year].append((day, WORKDAY, names.get(name, name)[:NAME_MAX]))
    source = f"chinese-calendar {chinese_calendar.__version__}（据国务院办公厅历年节假日安排通知）"
    present = set(CalendarYear.objects.values_list("year", flat=True))
    created, skipped = [], []
    for year in sorted(by_year):
        if year in present or not rules.FIRST_YEAR <= year <= rules.LAST_YEAR:
            skipped.append(year)
            continue
        try:
            with transaction.atomic():
                _store_year(year, sorted(by_year[year]), source, "kernel.calendar.seed_year")
        except IntegrityError:  # another process seeded it at the same moment
            skipped.append(year)
            continue
        created.append(year)
    if created:
        invalidate()
        transaction.on_commit(invalidate)
    return SeedReport(tuple(created), tuple(skipped))


def _store_year(year: int, rows, source: str, action: str, entry: CalendarYear | None = None,
                before=None) -> CalendarYear:
    """Write a year's rows (replacing any it had) and its audit entry; the caller holds the transaction."""
    if entry is None:
        entry = CalendarYear.objects.create(year=year, source=source)
    else:
        entry.days.all().delete()
        entry.source = source
        entry.save()  # bumps imported_at, which the index fingerprint includes
    CalendarDay.objects.bulk_create(CalendarDay(date=d, kind=k, name=n, year=entry) for d, k, n in rows)
    record(action, entry, before=before, after=_summary(source, rows))
    return entry


def _summary(source: str, rows) -> dict:
    return {"source": source,
            "holidays": [f"{d.isoformat()} {n}".strip() for d, k, n in rows if k == HOLIDAY],
            "workdays": [f"{d.isoformat()} {n}".strip() for d, k, n in rows if k == WORKDAY]}


# --- Importing a year's official schedule ---------------------------------------------------------


class CalendarRow(NamedTuple):
    line: int  # the line in the file, for error messages
    date: date
    kind: str  # HOLIDAY or WORKDAY
    name: str


class ImportReport(NamedTuple):
    year: int
    holidays: int
    holidays_on_weekdays: int
    workdays: int
    replaced: int | None  # how many rows the year had before; None when it was new
    source: str


def _error(line: int, message: str) -> dict:
    return {"line": line, "message": f"第 {line} 行：{message}"}


def _raise(errors: list[dict]) -> None:
    raise InvalidInput("calendar.file_invalid", f"节假日安排文件有 {len(errors)} 处错误：\n"
                       + "\n".join(e["message"] for e in errors), details=errors)


def read_calendar_csv(data: bytes | str, year: int | None = None) -> tuple[int, list[CalendarRow]]:
    """Parse and fully validate a schedule file; return (year, rows) or raise with every error.

    Format (docs/parts/calendar.md): UTF-8 CSV, header `date,kind,name`; kind holiday|workday (or
    休|班); lines starting with # and blank lines are ignored. The year is `year` or else the year
    of the dates, which must all agree.
    """
    text = _decode(data)
    errors: list[dict] = []
    rows: list[CalendarRow] = []
    header_line = None
    reader = csv.reader(io.StringIO(text))
    try:
        for cells in reader:
            cells = [c.strip() for c in cells]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if header_line is None:
                header_line = reader.line_num
                if [c.lower() for c in cells] not in (CSV_HEADER, CSV_HEADER[:2]):
                    errors.append(_error(header_line, f"表头应为 {','.join(CSV_HEADER)}，实际为 {','.join(cells)}"))
                    break
                continue
            row = _parse_row(reader.line_num, cells, errors)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        errors.append(_error(reader.line_num, f"无法解析 CSV（{exc}）"))
    if header_line is None and not errors:
        errors.append(_error(1, f"文件为空，应以表头 {','.join(CSV_HEADER)} 开始"))
    if year is None:
        years = sorted({row.date.year for row in rows})
        if len(years) > 1 and not errors:
            raise InvalidInput("calendar.year_ambiguous", "文件中的日期属于多个年份（"
                               + "、".join(map(str, years)) + "），请指定年份（--year）")
        if not years and not errors:
            _raise([_error(header_line, "文件只有表头，没有数据行")])
        year = years[0] if len(years) == 1 else None
    if year is not None:
        check_year(year)
        errors += row_errors(year, rows)
    if errors:
        _raise(sorted(errors, key=lambda e: e["line"]))
    return year, rows


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput("calendar.file_too_large", f"文件过大（超过 {MAX_FILE_BYTES // 1024} KB）")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("calendar.file_encoding", "文件不是 UTF-8 编码，请另存为 UTF-8 后重试") from None


def _parse_row(line: int, cells: list[str], errors: list[dict]) -> CalendarRow | None:
    if len(cells) not in (2, 3):
        errors.append(_error(line, f"应有 2 或 3 列（日期,类型,名称），实际 {len(cells)} 列"))
        return None
    day_text, kind_text, name = (*cells, "")[:3]
    try:
        day = parse_date(day_text)
    except InvalidInput as exc:
        errors.append(_error(line, exc.message))
        return None
    kind = KIND_ALIASES.get(kind_text.lower())
    if kind is None:
        errors.append(_error(line, f"类型“{kind_text}”无效，应为 holiday 或 workday（也可写 休 或 班）"))
        return None
    return CalendarRow(line, day, kind, name)


def row_errors(year: int, rows: list[CalendarRow]) -> list[dict]:
    """Every row: a date in `year`, unique; a working day only on a Saturday or Sunday."""
    errors: list[dict] = []
    seen: dict[date, int] = {}
    for row in rows:
        if row.date.year != year:
            errors.append(_error(row.line, f"日期 {row.date.isoformat()} 不属于 {year} 年"))
        elif row.date in seen:
            errors.append(_error(row.line, f"日期 {row.date.isoformat()} 与第 {seen[row.date]} 行重复"))
        elif row.kind == WORKDAY and row.date.weekday() < 5:
            errors.append(_error(row.line, f"{row.date.isoformat()} 是星期{WEEKDAYS[row.date.weekday()]}，本来就是工作日，"
                                           "只有星期六、星期日才能标为调休上班"))
        elif row.kind not in (HOLIDAY, WORKDAY):
            errors.append(_error(row.line, f"类型“{row.kind}”无效"))
        if len(row.name) > NAME_MAX:
            errors.append(_error(row.line, f"名称过长（最多 {NAME_MAX} 个字）"))
        seen.setdefault(row.date, row.line)
    return errors


def check_rows(year: int, rows: list[CalendarRow]) -> None:
    """Raise InvalidInput listing every bad row (see row_errors); a year needs at least one row."""
    check_year(year)
    errors = row_errors(year, rows)
    if not rows:
        errors.append(_error(1, "文件没有数据行"))
    if errors:
        _raise(errors)


def do_import_year(year: int, rows: list[CalendarRow], source: str) -> ImportReport:
    """Replace a year's official schedule with `rows`, atomically, with an audit entry.

    Validates every row first (check_rows) so nothing is written from a bad file. Importing a year
    that is present replaces it (corrections to a notice); the audit entry keeps the old rows.
    """
    check_rows(year, rows)
    source = (source or "").strip()[: CalendarYear._meta.get_field("source").max_length]
    if not source:
        raise InvalidInput("calendar.source_required", "请注明来源（如通知文号：国办发明电〔2026〕X号）")
    data = sorted((row.date, row.kind, row.name) for row in rows)
    with transaction.atomic():
        entry = CalendarYear.objects.select_for_update().filter(year=year).first()
        before, replaced = None, None
        if entry is not None:
            old_rows = list(entry.days.order_by("date").values_list("date", "kind", "name"))
            before, replaced = _summary(entry.source, old_rows), len(old_rows)
        _store_year(year, data, source, "kernel.calendar.import_year", entry, before)
    invalidate()
    transaction.on_commit(invalidate)
    holidays = [d for d, k, _ in data if k == HOLIDAY]
    return ImportReport(year, len(holidays), sum(d.weekday() < 5 for d in holidays),
                        sum(k == WORKDAY for _, k, _ in data), replaced, source)
