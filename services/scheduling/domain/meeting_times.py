"""A meeting's times as stored: the wall-clock times, the instants they name, and an end after the start."""

from __future__ import annotations

from datetime import datetime

from services.scheduling.domain.local_time import UnclearLocalTime, instant_of, wall_clock_of
from services.scheduling.domain.meeting_errors import InvalidTimes


def meeting_times(start: datetime, end: datetime) -> dict[str, datetime]:
    """The stored fields of a meeting's times given as instants (aware) or local wall-clock
    times (naive, each naming exactly one instant)."""
    try:
        starts_at, ends_at = instant_of(start), instant_of(end)
    except UnclearLocalTime as unclear:
        raise InvalidTimes(str(unclear)) from None
    return {
        "start": wall_clock_of(starts_at),
        "end": wall_clock_of(ends_at),
        "starts_at": starts_at,
        "ends_at": ends_at,
    }


def check_times(start: datetime, end: datetime) -> None:
    if end <= start:
        raise InvalidTimes("a meeting must end after it starts")
