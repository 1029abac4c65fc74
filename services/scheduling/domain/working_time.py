"""A time chosen by hand keeps to what the slot finder keeps to (ADR 0026, addenda): each
participant's working time (a Swedish working day, within their hours) and their weekly capacity.

Pure rules over plain data, in the slot finder's terms (naive local wall-clock times, hours per ISO
week), with its own pieces: ``is_working_day``, ``WorkingHours.contains``, ``Loads`` and
``has_capacity``, so a time the finder would never choose is refused, not judged by a second copy.
Participants are named by their place in the meeting's ``staff_ids`` and an occurrence of a series
by its number, never by what was sent.  The weeks a member's capacity no longer holds are told in
the same terms (``weeks_over_capacity``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from services.scheduling.domain.meeting_errors import OutsideWorkingHours, OverWeeklyCapacity
from services.scheduling.domain.slot_finder import Loads, WorkingHours, has_capacity, week_of
from services.scheduling.domain.working_days import is_working_day

Interval = tuple[datetime, datetime]
_THEM = "member"  # the one member whose weeks are judged: ``Loads`` counts by member


@dataclass(frozen=True)
class WeekOverCapacity:
    week_starts: date  # its Monday
    booked_hours: float
    capacity: float


def within_working_time(hours: WorkingHours, start: datetime, end: datetime) -> bool:
    """On a Swedish working day and within ``hours``: the one rule a time chosen by hand keeps to,
    and a member's meetings are listed against when their hours change."""
    return is_working_day(start.date()) and hours.contains(start, end)


def refuse_outside_working_time(hours: Sequence[WorkingHours | None], times: Sequence[Interval]) -> None:
    """Every occurrence within the working time of every participant with hours (``None``: one not
    on the roster, who has none to keep to); the message says whether a day off is the reason."""
    on_roster = [(n, their_hours) for n, their_hours in enumerate(hours) if their_hours is not None]
    for k, (start, end) in enumerate(times):
        outside = [n for n, their_hours in on_roster if not within_working_time(their_hours, start, end)]
        if outside and not is_working_day(start.date()):
            raise OutsideWorkingHours(
                f"{_occurrence(k, times)}a weekend or Swedish public holiday is outside the working"
                f" time of {_named(outside)}{_knowingly('outside_working_hours')}"
            )
        if outside:
            raise OutsideWorkingHours(
                f"{_occurrence(k, times)}outside their working hours on the roster: {_named(outside)}"
                f"{_knowingly('outside_working_hours')}"
            )


def refuse_over_capacity(
    staff_ids: Sequence[str],
    capacity: Sequence[float | None],
    busy: Mapping[str, Sequence[Interval]],
    times: Sequence[Interval],
    moved_from: Interval | None = None,
) -> None:
    """No participant with a capacity (``None``: none to keep to) booked for more hours in an
    occurrence's ISO week than it: ``busy`` is what they already have (without the meeting being
    moved), and each occurrence counts towards the next.  A meeting moved within its week, no
    longer than it was, adds nothing to it: a week already past capacity (booked so knowingly, or
    the capacity lowered since) does not keep its meetings from being moved about in it."""
    if moved_from is not None and len(times) == 1 and _adds_nothing(moved_from, times[0]):
        return
    limits = {
        staff_id: hours for staff_id, hours in zip(staff_ids, capacity, strict=True) if hours is not None
    }
    booked = {staff_id: list(busy.get(staff_id, ())) for staff_id in staff_ids}
    for k, (start, end) in enumerate(times):
        loads = Loads.of(booked)
        over = [
            n
            for n, staff_id in enumerate(staff_ids)
            if not has_capacity(loads, limits, staff_id, week_of(start), end - start)
        ]
        if over:
            raise OverWeeklyCapacity(
                f"{_occurrence(k, times)}more hours that week than their weekly capacity on the roster:"
                f" {_named(over)}{_knowingly('over_weekly_capacity')}"
            )
        for staff_id in staff_ids:
            booked[staff_id].append((start, end))


def weeks_over_capacity(busy: Sequence[Interval], capacity: float, since: datetime) -> list[WeekOverCapacity]:
    """The ISO weeks, from ``since``'s on and in order, in which ``busy`` (one member's meetings,
    open or held) holds more hours than ``capacity``: counted as the finder and a booking by hand count
    them, so nothing more can be booked in such a week (a week at exactly its capacity is not over)."""
    loads, limits = Loads.of({_THEM: busy}), {_THEM: capacity}
    return [
        WeekOverCapacity(date.fromisocalendar(*week, 1), round(loads.in_week(_THEM, week), 2), capacity)
        for week in sorted(loads.weekly.get(_THEM, {}))
        if week >= week_of(since) and not has_capacity(loads, limits, _THEM, week, timedelta(0))
    ]


def _adds_nothing(was: Interval, now: Interval) -> bool:
    return week_of(was[0]) == week_of(now[0]) and now[1] - now[0] <= was[1] - was[0]


def _named(places: Sequence[int]) -> str:
    return ", ".join(f"staff_ids[{n}]" for n in places)


def _occurrence(k: int, times: Sequence[Interval]) -> str:
    return f"occurrence {k + 1} of the series: " if len(times) > 1 else ""


def _knowingly(field: str) -> str:
    return f" (send {field}: true to book them then knowingly)"
