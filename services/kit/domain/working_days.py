"""Swedish public holidays and working days (weekends and holidays are not working days).

Shared by the services: scheduling convenes within them, referrals are answered within them.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


def easter_sunday(year: int) -> date:
    """Gregorian Easter (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 - the algorithm's own name
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _saturday_between(first: date, last: date) -> date:
    return next(
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + timedelta(days=n)).weekday() == 5
    )


@lru_cache(maxsize=64)
def swedish_holidays(year: int) -> frozenset[date]:
    """Public holidays and the eves treated as days off (midsummer, Christmas and New Year's Eve)."""
    easter = easter_sunday(year)
    midsummer_day = _saturday_between(date(year, 6, 20), date(year, 6, 26))
    return frozenset(
        {
            date(year, 1, 1),
            date(year, 1, 6),
            easter - timedelta(days=2),
            easter,
            easter + timedelta(days=1),
            date(year, 5, 1),
            easter + timedelta(days=39),
            easter + timedelta(days=49),
            date(year, 6, 6),
            midsummer_day - timedelta(days=1),
            midsummer_day,
            _saturday_between(date(year, 10, 31), date(year, 11, 6)),
            date(year, 12, 24),
            date(year, 12, 25),
            date(year, 12, 26),
            date(year, 12, 31),
        }
    )


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in swedish_holidays(day.year)


def next_working_day(day: date) -> date:
    """The first working day after ``day``."""
    following = day + timedelta(days=1)
    while not is_working_day(following):
        following += timedelta(days=1)
    return following


def add_working_days(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself never counts)."""
    for _ in range(count):
        day = next_working_day(day)
    return day
