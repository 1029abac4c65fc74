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

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from services.scheduling.domain.busy_times import BusyTimes
from services.scheduling.domain.deadline_day import ends_in_time
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
    if not all(groups):
        raise NoSlotFound("a required group has nobody in it")  # no time would do: none is tried
    loads = Loads.of(busy)
    members = sorted({m for group in groups for m in group})
    booked = {member: BusyTimes(busy.get(member, ())) for member in members}
    for start in _candidate_starts(earliest, duration, [hours[m] for m in members if m in hours]):
        end = start + duration
        chosen = _assign(groups, _free_members(members, hours, booked, loads, capacity, start, end))
        if chosen is not None:
            return Slot(start, end, chosen, within_deadline=ends_in_time(end, deadline))
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
    members = sorted(set(group))
    booked = {member: BusyTimes(busy.get(member, ())) for member in members}
    free = _free_members(members, hours, booked, Loads.of(busy), capacity, start, end)
    return free[0] if free else None


def _free_members(
    members: Sequence[str],
    hours: Mapping[str, WorkingHours],
    booked: Mapping[str, BusyTimes],
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
            and has_capacity(loads, capacity, member, week, end - start)
            and booked[member].is_free(start, end)
        ),
        key=lambda member: loads.preference(member, week),
    )


def has_capacity(
    loads: Loads, capacity: Mapping[str, float] | None, member: str, week: Week, duration: timedelta
) -> bool:
    """Whether ``member`` may take ``duration`` more in ``week`` (also a time chosen by hand)."""
    if capacity is None or member not in capacity:
        return True
    return loads.in_week(member, week) + duration.total_seconds() / 3600 <= capacity[member]


def _candidate_starts(
    earliest: datetime, duration: timedelta, hours: Sequence[WorkingHours]
) -> Iterator[datetime]:
    """Every half hour from ``earliest`` within the search horizon at which a meeting of
    ``duration`` lies on a working day within somebody's working hours: the nights and
    weekends, when nobody could be chosen, are not tried one by one."""
    if not hours:
        return
    opening, closing = min(h.starts for h in hours), max(h.ends for h in hours)
    horizon, day = earliest + SEARCH_HORIZON, earliest.date()
    while datetime.combine(day, opening) < horizon:
        if is_working_day(day):
            start = max(_round_up(earliest), _round_up(datetime.combine(day, opening)))
            while start + duration <= datetime.combine(day, closing) and start < horizon:
                yield start
                start += STEP
        day += timedelta(days=1)


def _round_up(moment: datetime) -> datetime:
    base = moment.replace(minute=0, second=0, microsecond=0)
    while base < moment:
        base += STEP
    return base
