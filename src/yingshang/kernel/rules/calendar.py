"""Statutory public holidays (全国年节及纪念日放假办法), as versioned data, for the provisional calendar.

A year whose official schedule (the State Council General Office's annual notice 国务院办公厅关于X年
部分节假日安排的通知) is not in the database is computed from these rules. The rules give the
statutory holiday dates and, per Art. 6, a compensatory day off (补假) on a working day when a
holiday falls on a Saturday or Sunday. They do NOT guess the bridge days (调休: a weekday off paired
with a weekend worked) that each annual notice adds: those are policy, not law, and a guess that
turns out wrong would silently shift deadlines. A provisional year therefore has the statutory
number of weekday days off and no working weekends; every result touching it is flagged.

Sources (**verify**: read from secondary sources; the official texts are on www.gov.cn):
- 1999 revision, 国务院令第270号, promulgated and in force 1999-09-18.
- 2007 revision, 国务院令第513号, promulgated 2007-12-14, in force 2008-01-01.
- 2013 revision, 国务院令第644号, promulgated 2013-12-11, in force 2014-01-01.
- 2024 revision, 国务院令第795号, promulgated 2024-11-12, in force 2025-01-01.
- Art. 6 (all revisions since 1999): 全体公民放假的假日，如果适逢星期六、星期日，应当在工作日补假。

Lunar dates are converted with `lunardate` (lunar years 1900–2099); the Qingming solar term comes
from chinese-calendar's solar-term formula (寿星公式 with its published corrections).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from chinese_calendar import get_solar_terms
from lunardate import LunarDate

FIRST_YEAR = 2000
LAST_YEAR = 2099  # lunardate's tables end with lunar year 2099, so 2100's Spring Festival is unknown

SOLAR, LUNAR, QINGMING = "solar", "lunar", "qingming"
COMPENSATION_SUFFIX = "（补假）"


@dataclass(frozen=True)
class Festival:
    """One holiday of a rule version: `days` consecutive days starting `offset` days from its anchor."""

    name: str
    anchor: str  # SOLAR (month/day), LUNAR (lunar month/day) or QINGMING (the solar term)
    month: int = 0
    day: int = 0
    days: int = 1
    offset: int = 0  # the Spring Festival eve is one day before lunar 1/1

    def dates(self, year: int) -> list[dt.date]:
        if self.anchor == SOLAR:
            first = dt.date(year, self.month, self.day)
        elif self.anchor == LUNAR:
            # Always the regular (non-leap) month, and the eve is "the day before 1/1", so a 12th
            # month of 29 or 30 days needs no special case.
            first = LunarDate(year, self.month, self.day).to_solar_date()
        else:
            first = qingming(year)
        first += dt.timedelta(days=self.offset)
        return [first + dt.timedelta(days=i) for i in range(self.days)]


@dataclass(frozen=True)
class RuleVersion:
    title: str
    decree: str
    effective: dt.date
    festivals: tuple[Festival, ...]
    verify: str = "**verify** 依据二手资料整理，请以中国政府网公布的正式文本为准"


_NEW_YEAR = Festival("元旦", SOLAR, 1, 1)
_QINGMING = Festival("清明节", QINGMING)
_DRAGON_BOAT = Festival("端午节", LUNAR, 5, 5)
_MID_AUTUMN = Festival("中秋节", LUNAR, 8, 15)
_NATIONAL_DAY = Festival("国庆节", SOLAR, 10, 1, days=3)

# Newest last. Each version applies to dates from its effective date until the next one's.
VERSIONS: tuple[RuleVersion, ...] = (
    RuleVersion(
        "全国年节及纪念日放假办法（1999年修订）", "国务院令第270号", dt.date(1999, 9, 18),
        (_NEW_YEAR, Festival("春节", LUNAR, 1, 1, days=3), Festival("劳动节", SOLAR, 5, 1, days=3), _NATIONAL_DAY),
    ),
    RuleVersion(
        "全国年节及纪念日放假办法（2007年修订）", "国务院令第513号", dt.date(2008, 1, 1),
        (_NEW_YEAR, Festival("春节", LUNAR, 1, 1, days=3, offset=-1), _QINGMING,
         Festival("劳动节", SOLAR, 5, 1), _DRAGON_BOAT, _MID_AUTUMN, _NATIONAL_DAY),
    ),
    RuleVersion(
        "全国年节及纪念日放假办法（2013年修订）", "国务院令第644号", dt.date(2014, 1, 1),
        (_NEW_YEAR, Festival("春节", LUNAR, 1, 1, days=3), _QINGMING,
         Festival("劳动节", SOLAR, 5, 1), _DRAGON_BOAT, _MID_AUTUMN, _NATIONAL_DAY),
    ),
    RuleVersion(
        "全国年节及纪念日放假办法（2024年修订）", "国务院令第795号", dt.date(2025, 1, 1),
        (_NEW_YEAR, Festival("春节", LUNAR, 1, 1, days=4, offset=-1), _QINGMING,
         Festival("劳动节", SOLAR, 5, 1, days=2), _DRAGON_BOAT, _MID_AUTUMN, _NATIONAL_DAY),
    ),
)


def version_for_year(year: int) -> RuleVersion:
    """The rule version in force on 1 January of `year` (every revision since 2008 took effect on a 1 January)."""
    check_year(year)
    jan1 = dt.date(year, 1, 1)
    return [v for v in VERSIONS if v.effective <= jan1][-1]


def check_year(year: int) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"year {year} outside {FIRST_YEAR}..{LAST_YEAR}")


def qingming(year: int) -> dt.date:
    """The Qingming solar term (清明, sun at 15° ecliptic longitude), 4–6 April."""
    terms = get_solar_terms(dt.date(year, 4, 1), dt.date(year, 4, 30))
    return next(day for day, name in terms if name == "清明")


@lru_cache(maxsize=256)
def statutory_holidays(year: int) -> dict[dt.date, str]:
    """The statutory holiday dates of `year` under the version in force, with their names.

    When two holidays fall on the same date (中秋 on 1 October), the names are joined with "、".
    """
    days: dict[dt.date, str] = {}
    for festival in version_for_year(year).festivals:
        for day in festival.dates(year):
            days[day] = f"{days[day]}、{festival.name}" if day in days else festival.name
    return dict(sorted(days.items()))


def _lost_days(year: int) -> dict[dt.date, int]:
    """Per statutory date, how many holiday days it fails to give on a working day.

    A date on a Saturday or Sunday loses each of its holidays (Art. 6); a weekday date on which two
    holidays coincide loses one. The State Council restores both kinds in practice (2020: 中秋 on
    1 October, eight days off), so the provisional calendar restores both.
    """
    lost: dict[dt.date, int] = {}
    for day, name in statutory_holidays(year).items():
        count = name.count("、") + 1
        missing = count if day.weekday() >= 5 else count - 1
        if missing:
            lost[day] = missing
    return lost


@lru_cache(maxsize=256)
def provisional_holidays(year: int) -> dict[dt.date, str]:
    """The days off of a year with no official schedule: statutory holidays plus compensatory days (补假).

    Compensation goes on the first weekdays after the holiday block (the run of consecutive holiday
    dates) that are not already days off: how every annual notice since 2008 places it (2022:
    元旦 on a Saturday, Monday 3 January off). No 调休 bridges are guessed (see the module docstring).
    """
    days = dict(statutory_holidays(year))
    lost = _lost_days(year)
    for block in _blocks(sorted(days)):
        owed = sum(lost.get(day, 0) for day in block)
        name = days[block[0]].split("、")[0]
        cursor = block[-1]
        while owed:
            cursor += dt.timedelta(days=1)
            if cursor.weekday() < 5 and cursor not in days:
                days[cursor] = name + COMPENSATION_SUFFIX
                owed -= 1
    return dict(sorted(days.items()))


def _blocks(dates: list[dt.date]) -> list[list[dt.date]]:
    blocks: list[list[dt.date]] = []
    for day in dates:
        if blocks and (day - blocks[-1][-1]).days == 1:
            blocks[-1].append(day)
        else:
            blocks.append([day])
    return blocks


def statutory_day_count(year: int) -> int:
    """How many days off the law gives in `year` (10 under 1999, 11 under 2007/2013, 13 under 2024)."""
    return sum(f.days for f in version_for_year(year).festivals)
