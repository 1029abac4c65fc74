"""Swedish working days: moved to the kit's domain, where every service can count them."""

from __future__ import annotations

from datetime import date, timedelta

from services.kit.domain.working_days import (
    add_working_days,
    easter_sunday,
    is_working_day,
    next_working_day,
    swedish_holidays,
)

__all__ = [
    "add_working_days",
    "easter_sunday",
    "is_working_day",
    "next_working_day",
    "previous_working_day",
    "swedish_holidays",
]


def previous_working_day(day: date) -> date:
    """The last working day before ``day``: the day a role named on a meeting is due filled by."""
    before = day - timedelta(days=1)
    while not is_working_day(before):
        before -= timedelta(days=1)
    return before
