"""Properties of working-day arithmetic, checked with hypothesis against a naive day-by-day loop."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from yingshang.kernel.services import calendar

pytestmark = pytest.mark.django_db

# The seeded index is read-only for these examples, so a function-scoped fixture is safe.
PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

any_day = st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31))  # ± 240 working days stay in range
official_day = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 9, 30))
counts = st.integers(min_value=-240, max_value=240)
small = st.integers(min_value=0, max_value=60)


@pytest.fixture(autouse=True)
def seeded():
    calendar.invalidate()
    calendar.seed_from_chinese_calendar()
    yield
    calendar.invalidate()


def suspension_list(base: date):
    interval = st.tuples(st.integers(-30, 120), st.integers(0, 30)).map(
        lambda t: (base + timedelta(days=t[0]), base + timedelta(days=t[0] + t[1])))
    return st.lists(interval, max_size=4)


def naive(start: date, n: int, stops=()) -> date:
    """Step day by day, counting working days that no suspension covers."""
    day = start
    while n:
        day += timedelta(days=1)
        if chinese_calendar.is_workday(day) and not any(a <= day <= b for a, b in stops):
            n -= 1
    return day


@PROPERTY
@given(start=any_day, n=counts)
def test_between_undoes_add(start, n):
    result = calendar.add_working_days(start, n)
    assert calendar.working_days_between(start, result.date).days == n


@PROPERTY
@given(start=any_day, n=counts, data=st.data())
def test_between_undoes_add_with_suspensions(start, n, data):
    stops = data.draw(suspension_list(start))
    result = calendar.add_working_days(start, n, stops)
    assert calendar.working_days_between(start, result.date, stops).days == n


@PROPERTY
@given(start=any_day, n=st.integers(1, 240))
def test_a_positive_result_is_a_working_day_after_the_start(start, n):
    result = calendar.add_working_days(start, n).date
    assert result > start
    assert calendar.is_working_day(result)


@PROPERTY
@given(start=any_day, n=st.integers(0, 200), m=st.integers(0, 200))
def test_more_working_days_never_give_an_earlier_date(start, n, m):
    low, high = sorted((n, m))
    assert calendar.add_working_days(start, low).date <= calendar.add_working_days(start, high).date


@PROPERTY
@given(a=any_day, b=any_day, end=any_day)
def test_a_later_start_never_counts_more_days_to_the_same_end(a, b, end):
    early, late = sorted((a, b))
    assert calendar.working_days_between(early, end).days >= calendar.working_days_between(late, end).days


@PROPERTY
@given(start=any_day, n=st.integers(0, 120), extra=st.integers(0, 60))
def test_an_extension_composes(start, n, extra):
    first = calendar.add_working_days(start, n).date
    if n == 0:
        return
    assert calendar.add_working_days(first, extra).date == calendar.add_working_days(start, n + extra).date


@PROPERTY
@given(a=any_day, b=any_day)
def test_between_is_antisymmetric(a, b):
    assert calendar.working_days_between(a, b).days == -calendar.working_days_between(b, a).days


@PROPERTY
@given(start=official_day, n=small)
def test_agrees_with_the_naive_chinese_calendar_loop_2004_to_2026(start, n):
    result = calendar.add_working_days(start, n)
    assert result.date == naive(start, n)
    assert result.provisional is False


@PROPERTY
@given(start=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 3, 31)), n=small, data=st.data())
def test_agrees_with_the_naive_loop_when_the_clock_stops(start, n, data):
    # Starts end in March 2026 so that 60 working days plus up to 4 clock-stops stay inside
    # chinese-calendar's last year, which the naive loop cannot look past.
    stops = data.draw(suspension_list(start))
    assert calendar.add_working_days(start, n, stops).date == naive(start, n, stops)


@PROPERTY
@given(start=official_day, span=st.integers(0, 150))
def test_counts_agree_with_chinese_calendar(start, span):
    low, high = start, min(start + timedelta(days=span), date(2026, 12, 31))
    expected = len(chinese_calendar.get_workdays(low + timedelta(days=1), high)) if high > low else 0
    count = calendar.working_days_between(low, high)
    assert count == (expected, False)


def test_every_day_2004_to_2026_agrees_with_chinese_calendar():
    day = date(2004, 1, 1)
    while day.year <= 2026:
        assert calendar.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
