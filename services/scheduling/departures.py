"""A staff member leaving the roster stands down from the meetings that have not begun.

Someone who has left attends nothing more: each open meeting of theirs that has not begun names
their role in their place (``other_participants``) for the coordinator to fill, as a meeting does
when nobody of a role was free, and their day is freed (so that, reinstated, they can be booked
then again).  A meeting that has begun keeps who was invited: it may have been held, and its
attendance is still to be recorded.
"""

from __future__ import annotations

from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.staff_member import StaffMember
from services.scheduling.person_days import Days, PersonDayUseCases, changed


class DepartureUseCases(PersonDayUseCases):
    def _stood_down(self, member: StaffMember) -> list[object]:
        """What ``member``'s leaving changes: their open meetings not yet begun, and their days."""
        now = self.clock()
        meetings: list[Meeting] = []
        days: Days = {}
        for row in self._open_meetings(member.municipality):
            if member.staff_id not in row.staff_ids:
                continue
            meeting = self._get(row.meeting_id)
            if not isinstance(meeting, Meeting) or meeting.starts_before(now):
                continue
            for day in self._days_of(member.municipality, member.staff_id, meeting, days, open_missing=False):
                day.free(str(meeting.id))
            meeting.stand_down(member.staff_id, member.role)
            meetings.append(meeting)
        return [*meetings, *changed(days)]
