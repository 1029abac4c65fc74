"""Swedish wall-clock time and the instants it names.

A meeting is booked in local Swedish time (Europe/Stockholm) or with an explicit offset.
Stored events keep the wall-clock time (naive) that calendars, the slot finder and the
public events use, and since this module exists also the instant in UTC, which is what
makes a time in the repeated hour of the autumn clock change unambiguous.  Events
stored before hold only the wall-clock time: it is read as Europe/Stockholm.
"""

from __future__ import annotations

from datetime import UTC, datetime

from services.kit.domain.swedish_time import LOCAL


class UnclearLocalTime(ValueError):
    """A wall-clock time without an offset that names no instant, or two."""


class OutsideTheCalendar(UnclearLocalTime):
    """A time whose instant (UTC) or Swedish wall-clock time falls before year 1 or after 9999."""


def instant_of(moment: datetime) -> datetime:
    """The instant (aware, UTC) of an aware time, or of a local wall-clock time that names
    exactly one instant; a time skipped or repeated at a clock change raises, and so does a
    time that cannot be read both in UTC and in Swedish time (at the ends of the calendar)."""
    try:
        instant = _instant_of(moment)
        wall_clock_of(instant)
    except OverflowError:
        raise OutsideTheCalendar("a time within the years 1-9999, in UTC and in Swedish time") from None
    return instant


def _instant_of(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    if _is_skipped(moment):
        raise UnclearLocalTime("a local time that does not exist (the clocks go forward): give an offset")
    if is_repeated(moment):
        raise UnclearLocalTime("a local time that occurs twice (the clocks go back): give an offset")
    return moment.replace(tzinfo=LOCAL, fold=0).astimezone(UTC)


def stored_instant(wall_clock: datetime, instant: datetime | None = None) -> datetime:
    """The instant of a stored time: its own when stored with it, else its wall-clock time read
    as Europe/Stockholm (the earlier of two, as RFC 5545 reads a repeated local time)."""
    if instant is not None:
        return instant.astimezone(UTC)
    if wall_clock.tzinfo is not None:
        return wall_clock.astimezone(UTC)
    return wall_clock.replace(tzinfo=LOCAL, fold=0).astimezone(UTC)


def wall_clock_of(instant: datetime) -> datetime:
    """The local Swedish wall-clock time (naive) of an aware instant."""
    return instant.astimezone(LOCAL).replace(tzinfo=None, fold=0)


def is_repeated(wall_clock: datetime) -> bool:
    """Whether a local wall-clock time (naive) occurs twice, at the autumn clock change."""
    return wall_clock.replace(tzinfo=LOCAL, fold=0).utcoffset() != wall_clock.replace(
        tzinfo=LOCAL, fold=1
    ).utcoffset() and not _is_skipped(wall_clock)


def _is_skipped(wall_clock: datetime) -> bool:
    return wall_clock_of(wall_clock.replace(tzinfo=LOCAL, fold=0).astimezone(UTC)) != wall_clock.replace(
        fold=0
    )
