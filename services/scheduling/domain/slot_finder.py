"""Finding the earliest time at which one member of every required group is free.

Pure logic over plain data: groups of candidate staff, each member's working
hours, and the intervals each is already booked.  Times are naive local
(Europe/Stockholm) wall-clock datetimes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from services.scheduling.domain.working_days import is_working_day

STEP = timedelta(minutes=30)
SEARCH_HORIZON = timedelta(days=90)


@dataclass(frozen=True)
class WorkingHours:
    starts: time
    ends: time

    def contains(self, start: datetime, end: datetime) -> bool:
        return start.date() == end.date() and self.starts <= start.time() and end.time() <= self.ends


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    attendees: tuple[str, ...]
    within_deadline: bool


class NoSlotFound(Exception):
    """Nobody in some required group is free within the search horizon."""


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


def is_free(busy: Iterable[tuple[datetime, datetime]], start: datetime, end: datetime) -> bool:
    return not any(overlaps(start, end, b_start, b_end) for b_start, b_end in busy)


def _assign(
    groups: Sequence[Sequence[str]], free: set[str], taken: tuple[str, ...] = ()
) -> tuple[str, ...] | None:
    """One distinct free member per group, trying alternatives (a group's first choice may be
    the only one another group can use)."""
    if len(taken) == len(groups):
        return taken
    for member in groups[len(taken)]:
        if member in free and member not in taken:
            found = _assign(groups, free, (*taken, member))
            if found is not None:
                return found
    return None


def find_slot(
    groups: Sequence[Sequence[str]],
    hours: Mapping[str, WorkingHours],
    busy: Mapping[str, Sequence[tuple[datetime, datetime]]],
    earliest: datetime,
    deadline: datetime,
    duration: timedelta,
) -> Slot:
    """The earliest slot on a working day, on the half hour, with one free member per group."""
    start = _round_up(earliest)
    horizon = earliest + SEARCH_HORIZON
    while start < horizon:
        end = start + duration
        if is_working_day(start.date()):
            free = {
                member
                for member in {m for group in groups for m in group}
                if member in hours
                and hours[member].contains(start, end)
                and is_free(busy.get(member, ()), start, end)
            }
            chosen = _assign(groups, free)
            if chosen is not None:
                return Slot(start, end, chosen, within_deadline=end <= deadline)
        start += STEP
    raise NoSlotFound("no slot within the search horizon")


def _round_up(moment: datetime) -> datetime:
    base = moment.replace(minute=0, second=0, microsecond=0)
    while base < moment:
        base += STEP
    return base
