"""The platform clock: the real date and time, or a seeded day under `as_of` for every app at once."""

import threading
from datetime import date

import pytest
from django.utils import timezone

from yingshang.kernel import clock

DAY = date(2024, 2, 29)


def test_outside_as_of_the_clock_is_the_local_date_and_the_current_moment():
    before = timezone.now()
    assert clock.today() == timezone.localdate()
    assert before <= clock.now() <= timezone.now()


def test_as_of_sets_today_and_now_to_that_day_at_the_current_time_of_day():
    with clock.as_of(DAY) as day:
        assert day == DAY
        assert clock.today() == DAY
        moment = clock.now()
    assert timezone.is_aware(moment) and timezone.localtime(moment).date() == DAY


def test_a_nested_as_of_restores_the_outer_day_and_the_last_one_the_real_date():
    with clock.as_of(DAY):
        with clock.as_of(date(2024, 3, 1)):
            assert clock.today() == date(2024, 3, 1)
        assert clock.today() == DAY
    assert clock.today() == timezone.localdate()


def test_as_of_ends_when_its_block_raises():
    with pytest.raises(RuntimeError), clock.as_of(DAY):
        raise RuntimeError
    assert clock.today() == timezone.localdate()


def test_a_seeded_day_does_not_leak_into_another_thread():
    """Requests run in their own threads: a demo seeding history never moves their clock."""
    seen = []
    with clock.as_of(DAY):
        thread = threading.Thread(target=lambda: seen.append(clock.today()))
        thread.start()
        thread.join()
    assert seen == [timezone.localdate()]


def test_the_apps_keep_no_clock_of_their_own():
    """One clock: a day seeded with `clock.as_of` is the day of every app (supervision's demo had to enter two)."""
    from yingshang.cases.services import common as cases_common
    from yingshang.credit.services import common as credit_common
    from yingshang.supervision.services import common as supervision_common

    assert not hasattr(cases_common, "as_of") and not hasattr(supervision_common, "as_of")
    assert not hasattr(credit_common, "as_of")
    assert not hasattr(credit_common, "today") and not hasattr(credit_common, "now")
