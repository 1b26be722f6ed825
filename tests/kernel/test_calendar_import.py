"""Importing a year's official schedule from a CSV file: validation, atomic replacement, audit, index."""

from datetime import date
from pathlib import Path

import pytest

from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.models import AuditEntry, CalendarDay, CalendarYear
from yingshang.kernel.services import calendar

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "calendar-2027-example.csv"


@pytest.fixture(autouse=True)
def seeded():
    calendar.invalidate()
    calendar.seed_from_chinese_calendar()
    yield
    calendar.invalidate()


def errors_of(data, year=None) -> list[dict]:
    with pytest.raises(InvalidInput) as exc:
        calendar.read_calendar_csv(data, year)
    return exc.value.details


def test_the_2027_example_file_is_valid_and_marked_as_an_example():
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "示例文件" in text.splitlines()[0]
    year, rows = calendar.read_calendar_csv(EXAMPLE.read_bytes())
    assert year == 2027
    assert {r.kind for r in rows} == {"holiday", "workday"}
    assert (date(2027, 4, 3), "holiday", "清明节") in [(r.date, r.kind, r.name) for r in rows]  # 休 accepted


def test_importing_a_year_makes_it_official_at_once_with_an_audit_entry():
    assert add_one(date(2027, 2, 19)).provisional
    year, rows = calendar.read_calendar_csv(EXAMPLE.read_bytes())
    report = calendar.do_import_year(year, rows, "示例")
    assert report.replaced is None
    assert (report.workdays, report.holidays) == (5, 28)
    assert report.holidays_on_weekdays == sum(r.kind == "holiday" and r.date.weekday() < 5 for r in rows)
    assert add_one(date(2027, 2, 19)) == (date(2027, 2, 20), False)  # the example's working Saturday
    entry = AuditEntry.objects.filter(action="kernel.calendar.import_year").latest("seq")
    assert entry.object_id == str(CalendarYear.objects.get(year=2027).pk)
    assert "2027-02-20 春节" in entry.summary  # the imported working Saturday, by name


def add_one(day):
    return calendar.add_working_days(day, 1)


def test_reimporting_a_year_replaces_all_its_rows_and_keeps_the_old_ones_in_the_audit_entry():
    year_id = CalendarYear.objects.get(year=2026).pk
    _, rows = calendar.read_calendar_csv("date,kind,name\n2026-01-01,holiday,元旦\n2026-02-28,workday,春节\n")
    report = calendar.do_import_year(2026, rows, "更正")
    assert report.replaced == 39  # chinese-calendar's 2026 rows, weekend holidays included
    assert CalendarYear.objects.get(year=2026).pk == year_id  # same row, new contents
    assert CalendarDay.objects.filter(year_id=year_id).count() == 2
    assert calendar.is_working_day(date(2026, 2, 16))  # no longer Spring Festival
    entry = AuditEntry.objects.filter(action="kernel.calendar.import_year").latest("seq")
    assert "2026-02-16" in entry.summary and "更正" in entry.summary


def test_a_bad_file_reports_every_error_with_its_line_number_and_changes_nothing():
    text = (
        "# comment\n"
        "date,kind,name\n"
        "2027-02-05,holiday,春节\n"
        "2027-13-01,holiday,坏日期\n"        # line 4
        "2027-02-08,vacation,春节\n"         # line 5
        "2027-02-09,workday,春节\n"          # line 6: a Tuesday
        "2027-02-05,holiday,重复\n"          # line 7
        "2027-02-10\n"                       # line 8
        "\n"
        "2027-02-11,holiday,春节,多余\n"     # line 10
    )
    details = errors_of(text)
    assert [e["line"] for e in details] == [4, 5, 6, 7, 8, 10]
    assert all(e["message"].startswith(f"第 {e['line']} 行") for e in details)
    assert "星期二" in details[2]["message"] and "第 3 行重复" in details[3]["message"]
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize(("data", "fragment"), [
    ("", "文件为空"),
    ("date,kind,name\n", "没有数据行"),
    ("日期,类型,名称\n2027-01-01,休,元旦\n", "表头应为"),
    ("date,kind,name\n2027/01/01,holiday,元旦\n", "格式不正确"),
    ("date,kind,name\n2027-02-29,holiday,x\n", "不是真实存在的日期"),
    ("date,kind,name\n2027-01-01,holiday," + "长" * 41 + "\n", "名称过长"),
    ("date,kind,name\n2027-01-01,holiday,元旦\n2026-12-31,holiday,x\n", "多个年份"),
])
def test_malformed_files_are_refused_in_chinese(data, fragment):
    with pytest.raises(InvalidInput) as exc:
        calendar.read_calendar_csv(data)
    assert fragment in exc.value.message


def test_a_date_outside_the_given_year_is_an_error():
    details = errors_of("date,kind,name\n2027-01-01,holiday,元旦\n2026-12-31,holiday,x\n", year=2027)
    assert details == [{"line": 3, "message": "第 3 行：日期 2026-12-31 不属于 2027 年"}]


def test_non_utf8_and_oversized_files_are_refused():
    with pytest.raises(InvalidInput) as exc:
        calendar.read_calendar_csv("date,kind,name\n2027-01-01,休,元旦\n".encode("gbk"))
    assert exc.value.code == "calendar.file_encoding"
    with pytest.raises(InvalidInput) as exc:
        calendar.read_calendar_csv(b"x" * (calendar.MAX_FILE_BYTES + 1))
    assert exc.value.code == "calendar.file_too_large"


def test_a_utf8_bom_compact_dates_and_a_two_column_header_are_accepted():
    data = "\ufeffdate,kind\n20270101,HOLIDAY\n20270130,班\n".encode()
    year, rows = calendar.read_calendar_csv(data)
    assert year == 2027
    assert [(r.date, r.kind, r.name) for r in rows] == [(date(2027, 1, 1), "holiday", ""), (date(2027, 1, 30), "workday", "")]


def test_a_holiday_on_a_weekend_is_accepted_and_changes_no_count():
    _, rows = calendar.read_calendar_csv("date,kind,name\n2027-01-02,holiday,元旦\n")
    calendar.do_import_year(2027, rows, "测试")
    assert calendar.working_days_between(date(2027, 1, 1), date(2027, 1, 8)) == (5, False)


def test_import_requires_a_source_and_a_year_in_range():
    _, rows = calendar.read_calendar_csv("date,kind,name\n2027-01-01,holiday,元旦\n")
    with pytest.raises(InvalidInput) as exc:
        calendar.do_import_year(2027, rows, "  ")
    assert exc.value.code == "calendar.source_required"
    with pytest.raises(InvalidInput) as exc:
        calendar.do_import_year(2100, rows, "x")
    assert exc.value.code == "calendar.year_invalid"


def test_do_import_year_revalidates_rows_from_any_caller():
    rows = [calendar.CalendarRow(1, date(2027, 3, 1), "workday", "")]  # a Monday
    with pytest.raises(InvalidInput):
        calendar.do_import_year(2027, rows, "x")
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_failure_while_replacing_leaves_the_old_schedule_intact(monkeypatch):
    from yingshang.kernel.services import calendar as service

    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(service, "record", broken)
    _, rows = calendar.read_calendar_csv("date,kind,name\n2026-01-01,holiday,元旦\n")
    with pytest.raises(RuntimeError):
        calendar.do_import_year(2026, rows, "更正")
    year = CalendarYear.objects.get(year=2026)
    assert year.days.count() == 39 and "chinese-calendar" in year.source
    calendar.refresh()
    assert not calendar.is_working_day(date(2026, 2, 16))
