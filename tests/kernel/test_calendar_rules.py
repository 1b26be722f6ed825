"""The statutory holiday rules behind the provisional calendar, checked against lunardate and real schedules."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from lunardate import LunarDate

from yingshang.kernel.rules import calendar as rules

OFFICIAL_YEARS = range(2004, 2027)  # what chinese-calendar 1.11 knows


def test_2027_spring_festival_eve_is_5_february_and_new_year_is_6_february():
    assert LunarDate(2027, 1, 1).to_solar_date() == date(2027, 2, 6)
    days = rules.statutory_holidays(2027)
    spring = [d for d, name in days.items() if name == "春节"]
    assert spring == [date(2027, 2, 5), date(2027, 2, 6), date(2027, 2, 7), date(2027, 2, 8)]


def test_2027_provisional_calendar_compensates_weekend_holidays_on_the_following_weekdays():
    days = rules.provisional_holidays(2027)
    assert days[date(2027, 2, 9)] == "春节（补假）"  # Sat 6 and Sun 7 February are holidays by law
    assert days[date(2027, 2, 10)] == "春节（补假）"
    assert date(2027, 2, 11) not in days
    assert days[date(2027, 5, 3)] == days[date(2027, 5, 4)] == "劳动节（补假）"  # 1–2 May fall on Sat/Sun
    assert days[date(2027, 10, 4)] == days[date(2027, 10, 5)] == "国庆节（补假）"
    assert days[date(2027, 4, 5)] == "清明节"
    assert days[date(2027, 6, 9)] == "端午节"  # lunar 5/5
    assert days[date(2027, 9, 15)] == "中秋节"  # lunar 8/15


def test_spring_festival_eve_is_the_last_day_of_the_twelfth_lunar_month_whether_it_has_29_or_30_days():
    lengths = set()
    for year in range(2025, 2100):
        eve = rules.statutory_holidays(year)
        first = min(d for d, name in eve.items() if name == "春节")
        lunar = LunarDate.from_solar_date(first.year, first.month, first.day)
        assert (lunar.month, lunar.is_leap_month) == (12, False)
        assert LunarDate.from_solar_date(*(first + timedelta(days=1)).timetuple()[:3]).day == 1
        lengths.add(lunar.day)
    assert lengths == {29, 30}


@pytest.mark.parametrize("year", OFFICIAL_YEARS)
def test_every_statutory_holiday_is_a_day_off_in_the_official_schedule(year):
    """The rule version in force that year agrees with what the State Council actually published."""
    for day, name in rules.statutory_holidays(year).items():
        assert chinese_calendar.is_holiday(day), (day, name)


@pytest.mark.parametrize("year", range(2008, 2027))  # Qingming became a public holiday in 2008
def test_qingming_matches_the_official_qingming_holiday(year):
    assert chinese_calendar.get_holiday_detail(rules.qingming(year)) == (True, "Tomb-sweeping Day")


@pytest.mark.parametrize(("year", "title", "days"), [
    (2000, "全国年节及纪念日放假办法（1999年修订）", 10),
    (2007, "全国年节及纪念日放假办法（1999年修订）", 10),
    (2008, "全国年节及纪念日放假办法（2007年修订）", 11),
    (2013, "全国年节及纪念日放假办法（2007年修订）", 11),
    (2014, "全国年节及纪念日放假办法（2013年修订）", 11),
    (2024, "全国年节及纪念日放假办法（2013年修订）", 11),
    (2025, "全国年节及纪念日放假办法（2024年修订）", 13),
    (2099, "全国年节及纪念日放假办法（2024年修订）", 13),
])
def test_the_version_in_force_on_1_january_applies(year, title, days):
    assert rules.version_for_year(year).title == title
    assert rules.statutory_day_count(year) == days


def test_2013_rules_start_spring_festival_on_the_first_day_and_2024_rules_on_the_eve():
    assert min(d for d, n in rules.statutory_holidays(2024).items() if n == "春节") == date(2024, 2, 10)
    assert min(d for d, n in rules.statutory_holidays(2025).items() if n == "春节") == date(2025, 1, 28)
    assert [d for d, n in rules.statutory_holidays(2024).items() if n == "劳动节"] == [date(2024, 5, 1)]
    assert [d for d, n in rules.statutory_holidays(2025).items() if n == "劳动节"] == [date(2025, 5, 1), date(2025, 5, 2)]


def test_every_provisional_year_gives_exactly_the_statutory_number_of_weekday_days_off():
    for year in range(rules.FIRST_YEAR, rules.LAST_YEAR + 1):
        weekdays_off = sum(d.weekday() < 5 for d in rules.provisional_holidays(year))
        assert weekdays_off == rules.statutory_day_count(year), year


def test_official_schedules_give_the_statutory_net_days_off_except_known_special_years():
    """Net weekday days off (holidays on weekdays minus working weekends) equal the statutory count.

    Known exceptions: 2006/2007 and 2011/2012 (a New Year's working Saturday in the previous year),
    2015 (the one-off 70th anniversary holiday), 2020 (Spring Festival extended for the epidemic).
    """
    special = {2006, 2007, 2011, 2012, 2015, 2020}
    for year in OFFICIAL_YEARS:
        off = sum(1 for d in chinese_calendar.holidays if d.year == year and d.weekday() < 5)
        worked = sum(1 for d in chinese_calendar.workdays if d.year == year)
        if year not in special:
            assert off - worked == rules.statutory_day_count(year), year
    pair = [sum(1 for d in chinese_calendar.holidays if d.year == y and d.weekday() < 5)
            - sum(1 for d in chinese_calendar.workdays if d.year == y) for y in (2011, 2012)]
    assert sum(pair) == 2 * rules.statutory_day_count(2011)


def test_2022_new_year_on_a_saturday_is_compensated_on_monday_as_the_notice_did():
    assert rules.provisional_holidays(2022)[date(2022, 1, 3)] == "元旦（补假）"
    assert chinese_calendar.is_holiday(date(2022, 1, 3))


def test_mid_autumn_on_national_day_is_compensated_too():
    days = rules.statutory_holidays(2020)
    assert days[date(2020, 10, 1)] == "中秋节、国庆节" or days[date(2020, 10, 1)] == "国庆节、中秋节"
    assert sum(d.weekday() < 5 for d in rules.provisional_holidays(2020)) == 11


def test_years_outside_the_supported_range_are_refused():
    with pytest.raises(ValueError):
        rules.version_for_year(1999)
    with pytest.raises(ValueError):
        rules.version_for_year(2100)
