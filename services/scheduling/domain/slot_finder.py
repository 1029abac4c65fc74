"""Finding the earliest time at which one member of every required group is free.

Pure logic over plain data: groups of candidate staff, each member's working
hours and weekly capacity, and the intervals each is already booked.  Times are
naive local (Europe/Stockholm) wall-clock datetimes.

The bookings are also each member's load: among the free members of a group the
one with the fewest booked hours in the slot's ISO week is chosen, then the one
with the fewest overall, so meetings are shared out instead of always falling to
the first; a member whose booked hours that week would go over their capacity is
not free (ADR 0026).
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


Week = tuple[int, int]  # (ISO year, ISO week)


def week_of(moment: datetime) -> Week:
    year, week, _ = moment.isocalendar()
    return year, week


@dataclass(frozen=True)
class Loads:
    """Booked hours per member: per ISO week and overall (each distinct interval once)."""

    weekly: Mapping[str, Mapping[Week, float]]
    overall: Mapping[str, float]

    @classmethod
    def of(cls, busy: Mapping[str, Iterable[tuple[datetime, datetime]]]) -> Loads:
        weekly: dict[str, dict[Week, float]] = {}
        overall: dict[str, float] = {}
        for member, intervals in busy.items():
            for start, end in set(intervals):
                hours = (end - start).total_seconds() / 3600
                per_week = weekly.setdefault(member, {})
                per_week[week_of(start)] = per_week.get(week_of(start), 0.0) + hours
                overall[member] = overall.get(member, 0.0) + hours
        return cls(weekly, overall)

    def in_week(self, member: str, week: Week) -> float:
        return self.weekly.get(member, {}).get(week, 0.0)

    def preference(self, member: str, week: Week) -> tuple[float, float]:
        return self.in_week(member, week), self.overall.get(member, 0.0)


def _assign(
    groups: Sequence[Sequence[str]], free: Sequence[str], taken: tuple[str, ...] = ()
) -> tuple[str, ...] | None:
    """One distinct free member per group, in the order of ``free`` (least loaded first), trying
    alternatives (a group's first choice may be the only one another group can use)."""
    if len(taken) == len(groups):
        return taken
    for member in free:
        if member in groups[len(taken)] and member not in taken:
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
    capacity: Mapping[str, float] | None = None,
) -> Slot:
    """The earliest slot on a working day, on the half hour, with one free member per group:
    within their working hours, not booked then, and with ``capacity`` (hours a week) left."""
    loads = Loads.of(busy)
    members = sorted({m for group in groups for m in group})
    start = _round_up(earliest)
    horizon = earliest + SEARCH_HORIZON
    while start < horizon:
        end = start + duration
        if is_working_day(start.date()):
            chosen = _assign(groups, _free_members(members, hours, busy, loads, capacity, start, end))
            if chosen is not None:
                return Slot(start, end, chosen, within_deadline=end <= deadline)
        start += STEP
    raise NoSlotFound("no slot within the search horizon")


def least_loaded_free(
    group: Sequence[str],
    hours: Mapping[str, WorkingHours],
    busy: Mapping[str, Sequence[tuple[datetime, datetime]]],
    start: datetime,
    end: datetime,
    capacity: Mapping[str, float] | None = None,
) -> str | None:
    """The member of ``group`` that ``find_slot`` would book at exactly this time, if any is free."""
    free = _free_members(sorted(set(group)), hours, busy, Loads.of(busy), capacity, start, end)
    return free[0] if free else None


def _free_members(
    members: Sequence[str],
    hours: Mapping[str, WorkingHours],
    busy: Mapping[str, Sequence[tuple[datetime, datetime]]],
    loads: Loads,
    capacity: Mapping[str, float] | None,
    start: datetime,
    end: datetime,
) -> list[str]:
    """Those within their hours, with capacity left that week and not booked then: least loaded first."""
    week = week_of(start)
    return sorted(
        (
            member
            for member in members
            if member in hours
            and hours[member].contains(start, end)
            and _has_capacity(loads, capacity, member, week, end - start)
            and is_free(busy.get(member, ()), start, end)
        ),
        key=lambda member: loads.preference(member, week),
    )


def _has_capacity(
    loads: Loads, capacity: Mapping[str, float] | None, member: str, week: Week, duration: timedelta
) -> bool:
    if capacity is None or member not in capacity:
        return True
    return loads.in_week(member, week) + duration.total_seconds() / 3600 <= capacity[member]


def _round_up(moment: datetime) -> datetime:
    base = moment.replace(minute=0, second=0, microsecond=0)
    while base < moment:
        base += STEP
    return base
