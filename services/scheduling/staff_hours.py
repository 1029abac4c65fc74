"""A roster member's working hours and weekly capacity changed in place (ADR 0026, addendum).

Before, the only way was to remove and register them again, which stood them down from every
meeting not yet begun.  Their meetings are neither moved nor cancelled here: a meeting outside the
new hours may be one the coordinator booked there knowingly (an evening visitation), and moving
one moves everyone else in it.  The answer names those not yet begun that now lie outside the
member's working time (the hours, or a weekend or Swedish public holiday, as a booking by hand is
judged), by meeting id and time, for the coordinator to settle; as it names meetings of cases, the
kit logs it as a read of each of their cases (``case_refs``), like a calendar.  It names too the
upcoming weeks already holding more hours than a lowered capacity (by week and hours: no case), for
the coordinator to rebook, since a booking by hand past it is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound, CaseRef
from services.scheduling.base import SchedulingBase
from services.scheduling.commands import HoursChange
from services.scheduling.domain.local_time import stored_instant
from services.scheduling.domain.staff_member import StaffMember
from services.scheduling.domain.working_time import (
    WeekOverCapacity,
    weeks_over_capacity,
    within_working_time,
)
from services.scheduling.read_models import MeetingRow

MOST_NAMED = 100  # a bounded answer: the earliest; the rest are counted (and in the calendar)


@dataclass(frozen=True)
class ChangedHours:
    member: StaffMember
    outside_hours: tuple[MeetingRow, ...]  # the earliest ``MOST_NAMED``, in order of start
    outside_hours_count: int
    over_capacity: tuple[WeekOverCapacity, ...]  # the earliest ``MOST_NAMED``, in order

    def case_refs(self) -> list[CaseRef]:
        """The cases of the meetings named: the answer tells of them."""
        return sorted({CaseRef(row.municipality, row.case_id) for row in self.outside_hours})


class StaffHoursUseCases(SchedulingBase):
    def change_staff_hours(self, caller: Caller, staff_id: str, change: HoursChange) -> ChangedHours:
        """New hours and capacity from now on; a removed member is 409, one never on the roster 404."""
        member = self._get(StaffMember.id_for(caller.municipality, staff_id))
        if not isinstance(member, StaffMember):
            raise CaseDataNotFound()
        member.change_hours(
            change.work_starts or member.work_starts,
            change.work_ends or member.work_ends,
            change.weekly_capacity_hours or member.weekly_capacity_hours,
        )
        self.save(member)
        outside = self._upcoming_outside_hours(member)
        over = self._upcoming_weeks_over_capacity(member)
        return ChangedHours(member, tuple(outside[:MOST_NAMED]), len(outside), tuple(over[:MOST_NAMED]))

    def _upcoming_outside_hours(self, member: StaffMember) -> list[MeetingRow]:
        """``member``'s open meetings not yet begun whose local time is outside their working time:
        their hours, or a weekend or Swedish public holiday, as a booking by hand is judged."""
        now = stored_instant(self.clock())
        return [
            row
            for row in self._open_meetings(member.municipality)
            if member.staff_id in row.staff_ids
            and stored_instant(row.start, row.starts_at) >= now
            and not within_working_time(member.hours, row.start, row.end)
        ]

    def _upcoming_weeks_over_capacity(self, member: StaffMember) -> list[WeekOverCapacity]:
        """From the current week on (all its meetings open or held, begun or not: they fill it), as the
        slot finder and a booking by hand count ``member``'s weeks, from the same current week."""
        busy = self._busy(member.municipality).get(member.staff_id, [])
        return weeks_over_capacity(busy, member.weekly_capacity_hours, self._wall_clock_now())
