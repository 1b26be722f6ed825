"""Working-day arithmetic on the seeded official calendar (chinese-calendar's real data) and the provisional one."""

import threading
from datetime import date, datetime, timedelta

import chinese_calendar
import pytest

from tests.helpers import assert_max_queries
from yingshang.kernel.errors import InvalidInput
from yingshang.kernel.models import AuditEntry, CalendarDay, CalendarYear
from yingshang.kernel.services import calendar, calendar_index

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def seeded():
    """The official years from chinese-calendar; the index re-checked before and after (tests roll back)."""
    calendar.invalidate()
    calendar.seed_from_chinese_calendar()
    yield
    calendar.invalidate()


def naive_add(start: date, n: int) -> date:
    day = start
    while n:
        day += timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


def add(start, n, suspensions=()):
    return calendar.add_working_days(start, n, suspensions)


# --- Holidays and adjusted working days ------------------------------------------------------------


def test_spring_festival_2026_is_skipped_and_its_working_saturdays_count():
    assert add(date(2026, 2, 13), 1) == (date(2026, 2, 14), False)  # Saturday 14 February is a 调休 working day
    assert add(date(2026, 2, 14), 1).date == date(2026, 2, 24)  # 15–23 February off
    assert add(date(2026, 2, 27), 1).date == date(2026, 2, 28)  # another working Saturday
    assert calendar.working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == (2, False)


def test_national_day_2025_with_its_working_sunday_and_saturday():
    assert add(date(2025, 9, 26), 1).date == date(2025, 9, 28)  # Sunday 28 September worked
    assert add(date(2025, 9, 30), 1).date == date(2025, 10, 9)  # 1–8 October off
    assert add(date(2025, 10, 10), 1).date == date(2025, 10, 11)  # Saturday 11 October worked
    assert calendar.working_days_between(date(2025, 9, 27), date(2025, 10, 12)).days == 6


def test_a_20_working_day_licensing_limit_across_national_day_2025_matches_the_day_by_day_count():
    accepted = date(2025, 9, 22)
    deadline = add(accepted, 20)
    assert deadline == (naive_add(accepted, 20), False)
    assert deadline.date == date(2025, 10, 24)  # 9/28 and 10/11 worked, 10/1–10/8 off


def test_is_working_day_follows_the_official_schedule():
    assert calendar.is_working_day(date(2026, 2, 14))  # Saturday, 调休
    assert not calendar.is_working_day(date(2026, 2, 16))  # Monday, Spring Festival
    assert calendar.is_working_day(date(2026, 3, 2))
    assert not calendar.is_working_day(date(2026, 3, 7))


# --- Semantics at the edges ---------------------------------------------------------------------------


def test_the_start_day_is_not_counted():
    assert add(date(2026, 3, 2), 1).date == date(2026, 3, 3)  # Monday + 1 = Tuesday
    assert add(date(2026, 3, 6), 1).date == date(2026, 3, 9)  # Friday + 1 = Monday
    assert add(date(2026, 3, 7), 1).date == date(2026, 3, 9)  # Saturday + 1 = Monday


def test_zero_working_days_returns_the_start_even_on_a_holiday():
    assert add(date(2026, 10, 1), 0) == (date(2026, 10, 1), False)
    assert calendar.working_days_between(date(2026, 10, 1), date(2026, 10, 1)).days == 0


def test_negative_n_counts_back_and_round_trips():
    assert add(date(2026, 2, 24), -1).date == date(2026, 2, 14)
    assert add(date(2026, 3, 4), -1).date == date(2026, 3, 3)  # a Wednesday minus 1 is the Tuesday
    assert calendar.working_days_between(date(2026, 2, 24), date(2026, 2, 14)).days == -1
    start = date(2026, 3, 7)  # a Saturday: the days counted back include Friday
    back = add(start, -3).date
    assert calendar.working_days_between(back, start).days == 3


def test_dates_in_range_never_raise_at_either_end():
    assert add(date(2000, 1, 1), 1).date == date(2000, 1, 4)  # 1999 rules: 元旦 Sat → Mon 3 January off
    assert calendar.working_days_between(date(2000, 1, 1), date(2099, 12, 31)).provisional is True
    assert add(date(2099, 12, 31), -1).provisional is True


@pytest.mark.parametrize(("call", "code"), [
    (lambda: add(date(1999, 12, 31), 1), "calendar.out_of_range"),
    (lambda: add(date(2100, 1, 1), 1), "calendar.out_of_range"),
    (lambda: add(date(2099, 12, 28), 5), "calendar.out_of_range"),
    (lambda: add(date(2000, 1, 5), -5), "calendar.out_of_range"),
    (lambda: calendar.working_days_between(date(2026, 1, 1), date(2100, 1, 1)), "calendar.out_of_range"),
    (lambda: add(datetime(2026, 3, 2, 9, 30), 1), "calendar.date_type"),
    (lambda: add(date(2026, 3, 2), 1.5), "calendar.days_invalid"),
    (lambda: add(date(2026, 3, 2), True), "calendar.days_invalid"),
    (lambda: add(date(2026, 3, 2), 1, [(date(2026, 3, 9), date(2026, 3, 4))]), "calendar.suspension_invalid"),
    (lambda: add(date(2026, 3, 2), 1, [date(2026, 3, 9)]), "calendar.suspension_invalid"),
    (lambda: add(date(2026, 3, 2), 1, [("2026-03-04", "2026-03-05")]), "calendar.suspension_invalid"),
])
def test_bad_input_raises_invalid_input_with_a_chinese_message(call, code):
    with pytest.raises(InvalidInput) as exc:
        call()
    assert exc.value.code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message)


# --- Suspensions (clock-stops) and extensions ---------------------------------------------------------


def test_working_days_inside_a_suspension_do_not_count():
    stop = [(date(2026, 3, 4), date(2026, 3, 6))]  # Wednesday to Friday: three working days
    assert add(date(2026, 3, 2), 10, stop).date == add(date(2026, 3, 2), 13).date == date(2026, 3, 19)
    assert calendar.working_days_between(date(2026, 3, 2), date(2026, 3, 19), stop).days == 10


def test_overlapping_and_adjacent_suspensions_are_merged():
    separate = [(date(2026, 3, 4), date(2026, 3, 6)), (date(2026, 3, 5), date(2026, 3, 9)),
                (date(2026, 3, 10), date(2026, 3, 10))]
    merged = [(date(2026, 3, 4), date(2026, 3, 10))]
    assert add(date(2026, 3, 2), 10, separate) == add(date(2026, 3, 2), 10, merged)
    assert add(date(2026, 3, 2), 10, merged).date == add(date(2026, 3, 2), 15).date


def test_a_suspension_over_holidays_only_changes_nothing():
    stop = [(date(2026, 2, 15), date(2026, 2, 23))]
    assert add(date(2026, 2, 10), 10, stop) == add(date(2026, 2, 10), 10)


def test_a_start_inside_a_suspension_resumes_after_it():
    stop = [(date(2026, 3, 4), date(2026, 3, 6))]
    assert add(date(2026, 3, 5), 1, stop).date == date(2026, 3, 9)
    assert calendar.working_days_between(date(2026, 3, 5), date(2026, 3, 9), stop).days == 1


def test_a_suspension_before_the_start_or_after_the_result_changes_nothing():
    stops = [(date(2026, 1, 5), date(2026, 1, 9)), (date(2026, 6, 1), date(2026, 6, 30))]
    assert add(date(2026, 3, 2), 10, stops) == add(date(2026, 3, 2), 10)


def test_suspensions_count_back_too():
    stop = [(date(2026, 3, 4), date(2026, 3, 6))]
    back = add(date(2026, 3, 12), -5, stop).date
    assert calendar.working_days_between(back, date(2026, 3, 12), stop).days == 5
    assert back == date(2026, 3, 2)


def test_an_extension_adds_working_days_onto_the_original_limit():
    accepted = date(2025, 9, 22)
    original = add(accepted, 20).date
    assert add(original, 10).date == add(accepted, 30).date  # 行政许可法 Art. 42: +10 days


def test_a_suspension_reaching_outside_the_range_is_clipped():
    stop = [(date(1990, 1, 1), date(2000, 1, 7))]
    assert add(date(2000, 1, 1), 1, stop).date == date(2000, 1, 10)


# --- The provisional calendar (2027) ------------------------------------------------------------------


def test_results_touching_2027_are_provisional_and_2026_alone_is_not():
    assert add(date(2026, 12, 1), 5).provisional is False
    assert add(date(2026, 12, 30), 5).provisional is True
    assert calendar.working_days_between(date(2026, 12, 31), date(2027, 1, 4)).provisional is True
    assert calendar.working_days_between(date(2026, 1, 1), date(2026, 12, 31)).provisional is False
    assert add(date(2027, 1, 4), -10).provisional is True  # crosses back into 2026 from 2027


def test_provisional_spring_festival_2027_runs_from_the_eve_with_compensation():
    assert add(date(2027, 2, 4), 1) == (date(2027, 2, 11), True)  # 5–10 February off (eve, 1st–3rd, 2 补假)


def test_no_weekend_is_a_working_day_in_a_provisional_year():
    day = date(2027, 1, 1)
    while day.year == 2027:
        if day.weekday() >= 5:
            assert not calendar.is_working_day(day), day
        day += timedelta(days=1)


def test_the_year_schedule_says_official_or_provisional():
    official = calendar.year_schedule(2026)
    assert official.official and not official.provisional
    assert (date(2026, 2, 14), "workday", "春节") in official.days
    assert official.working_days == 248
    provisional = calendar.year_schedule(2027)
    assert provisional.provisional
    assert "2024年修订" in provisional.source
    assert {d.kind for d in provisional.days} == {"holiday"}
    assert provisional.working_days == 365 - 104 - 13


def test_year_schedule_refuses_years_outside_the_range():
    with pytest.raises(InvalidInput) as exc:
        calendar.year_schedule(2100)
    assert exc.value.code == "calendar.year_invalid"


# --- Seeding ------------------------------------------------------------------------------------------


def test_seeding_is_idempotent_and_covers_2004_to_2026():
    report = calendar.seed_from_chinese_calendar()
    assert report.created == ()
    assert set(report.skipped) == set(range(2004, 2027))
    assert set(CalendarYear.objects.values_list("year", flat=True)) >= set(range(2004, 2027))


def test_seeding_restores_a_missing_year_with_chinese_names_and_one_audit_entry():
    CalendarYear.objects.filter(year=2025).delete()
    before = AuditEntry.objects.filter(action="kernel.calendar.seed_year").count()
    assert calendar.seed_from_chinese_calendar().created == (2025,)
    assert AuditEntry.objects.filter(action="kernel.calendar.seed_year").count() == before + 1
    year = CalendarYear.objects.get(year=2025)
    assert "chinese-calendar" in year.source
    day = year.days.get(date=date(2025, 10, 6))
    assert (day.kind, day.name) == ("holiday", "中秋")
    assert year.days.get(date=date(2025, 9, 28)).kind == "workday"


def test_seeding_never_overwrites_a_year_edited_by_hand():
    year = CalendarYear.objects.get(year=2026)
    year.days.filter(date=date(2026, 2, 28)).delete()
    assert calendar.seed_from_chinese_calendar().created == ()
    assert not year.days.filter(date=date(2026, 2, 28)).exists()
    assert not calendar.is_working_day(date(2026, 2, 28))


# --- Keeping the per-process index fresh ----------------------------------------------------------------


def test_an_orm_save_in_this_process_is_seen_at_once():
    year = CalendarYear.objects.get(year=2026)
    assert calendar.is_working_day(date(2026, 3, 3))
    CalendarDay.objects.create(year=year, date=date(2026, 3, 3), kind="holiday", name="测试")
    assert not calendar.is_working_day(date(2026, 3, 3))


def test_another_processs_change_is_noticed_at_the_next_fingerprint_check(settings):
    settings.CALENDAR_RECHECK_SECONDS = 3600
    calendar.refresh()
    year = CalendarYear.objects.get(year=2026)
    # bulk_create and update() send no signals: what this process sees of another's write.
    CalendarDay.objects.bulk_create([CalendarDay(year=year, date=date(2026, 3, 3), kind="holiday", name="x")])
    assert calendar.is_working_day(date(2026, 3, 3))  # not re-checked yet
    calendar.invalidate()  # what the expiry of CALENDAR_RECHECK_SECONDS does
    assert not calendar.is_working_day(date(2026, 3, 3))
    # An in-place edit keeps the count and the ids: the content checksum still catches it.
    CalendarDay.objects.filter(date=date(2026, 3, 3)).update(date=date(2026, 3, 4))
    calendar.refresh()
    assert calendar.is_working_day(date(2026, 3, 3))
    assert not calendar.is_working_day(date(2026, 3, 4))
    CalendarDay.objects.filter(date=date(2026, 2, 14)).update(kind="holiday")
    calendar.refresh()
    assert not calendar.is_working_day(date(2026, 2, 14))


def test_a_whole_year_added_elsewhere_stops_being_provisional_after_the_check():
    CalendarYear.objects.bulk_create([CalendarYear(year=2027, source="另一进程导入")])
    calendar.refresh()
    assert calendar.is_official_year(2027)
    assert add(date(2027, 2, 4), 1) == (date(2027, 2, 5), False)  # no holidays imported yet


def test_within_the_recheck_interval_no_query_is_made(settings):
    settings.CALENDAR_RECHECK_SECONDS = 3600
    calendar.refresh()
    with assert_max_queries(0):
        for _ in range(100):
            add(date(2026, 3, 2), 20)


def test_after_the_recheck_interval_one_cheap_query_is_made_and_nothing_rebuilt(settings):
    settings.CALENDAR_RECHECK_SECONDS = 0
    index = calendar.refresh()
    with assert_max_queries(1):
        calendar.current_index()
    assert calendar.current_index() is index


def test_concurrent_callers_build_the_index_once(monkeypatch):
    built = calendar.refresh(force=True)
    calls = {"fingerprint": 0, "build": 0}
    barrier = threading.Barrier(8)

    def fingerprint():
        calls["fingerprint"] += 1
        return ("changed",)

    def build(fp=None):
        calls["build"] += 1
        return calendar_index.CalendarIndex([True] * built.size, set(), fp)

    monkeypatch.setattr(calendar_index, "_fingerprint", fingerprint)
    monkeypatch.setattr(calendar_index, "build_index", build)
    calendar.invalidate()
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(calendar.add_working_days(date(2026, 3, 7), 1).date)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert calls == {"fingerprint": 1, "build": 1}
    assert results == [date(2026, 3, 8)] * 8  # the stub index makes every day a working day
