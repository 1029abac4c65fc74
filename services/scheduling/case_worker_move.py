"""A referral's new case worker takes the old one's place in its open staff meeting (ADR 0026).

The move is a fact from referrals (``case_worker_assigned``), not a request: it cannot be refused.
The new case worker is judged as the slot finder judges every attendee of a staff meeting (within
their hours, weekly capacity left, not booked then; ``least_loaded_free``), through their
``PersonWeek`` like any write that adds hours to a week.  One who fails is not booked past it: the
meeting keeps its time and names the case worker by role for the coordinator to settle, as for a
parent supporter nobody of whom is free.  The old case worker's day and week are given back either way.
"""

from __future__ import annotations

from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.slot_finder import least_loaded_free
from services.scheduling.person_days import Days, changed
from services.scheduling.read_models import StaffRow
from services.scheduling.staff_meeting import StaffMeetingUseCases, learned


class CaseWorkerMoveUseCases(StaffMeetingUseCases):
    def move_case_worker_invitation(self, referral_id: str, municipality: str, case_worker_id: str) -> None:
        """The old case worker's day is freed, the new one's claimed when they can take it.  When not,
        the meeting keeps its time and names ``case_worker`` among the other participants: moving it
        would move the Centre's five or more people, and perhaps past its deadline, for one person
        whose other meeting may be the one to move."""
        meeting = self._get(Meeting.id_for_referral(referral_id))
        if not isinstance(meeting, Meeting) or not meeting.is_open or case_worker_id in meeting.staff_ids:
            return
        if meeting.starts_before(self.clock()):  # begun, perhaps held: who was invited stays as it was
            return
        if meeting.municipality != municipality:  # another municipality's referral id: never theirs to move
            return
        roster, added = self._with_invitees(municipality, self._active_staff(municipality), case_worker_id)
        old = next((s for s in meeting.staff_ids if _role_of(roster, s) == "case_worker"), None)
        days: Days = {}
        for day in self._days_of(municipality, old, meeting, days, open_missing=False) if old else ():
            day.free(str(meeting.id))
        free = self._can_take(meeting, _row_of(roster, case_worker_id), days)
        for day in self._days_of(municipality, case_worker_id, meeting, days) if free else ():
            day.book(str(meeting.id), meeting.starts_at, meeting.ends_at)
        if free or old is not None or "case_worker" not in meeting.other_participants:
            meeting.change_case_worker(old, case_worker_id if free else None)
        self.save(*added, meeting, *changed(days))

    def _can_take(self, meeting: Meeting, member: StaffRow | None, days: Days) -> bool:
        """Whether ``member`` (``None``: not on the roster) can take the meeting's hour: their week is
        passed before it is read, so a booking or another move into it at the same moment conflicts
        with this one, and whichever stores last is run again on what the first stored."""
        if member is None:
            return False
        staff_id = member.staff_id
        self._through_weeks(meeting.municipality, [staff_id], [meeting.start])
        busy = self._busy(meeting.municipality)
        learned(busy, self._week_of(meeting, days, (staff_id,)))  # this batch's bookings too
        judged = least_loaded_free(
            (staff_id,),
            {staff_id: member.hours},
            busy,
            meeting.start,
            meeting.end,
            {staff_id: member.weekly_capacity_hours},
        )
        their_days = self._days_of(meeting.municipality, staff_id, meeting, days)
        return judged is not None and all(
            day.is_free(meeting.starts_at, meeting.ends_at, str(meeting.id)) for day in their_days
        )


def _role_of(roster: list[StaffRow], staff_id: str) -> str | None:
    row = _row_of(roster, staff_id)
    return row.role if row else None


def _row_of(roster: list[StaffRow], staff_id: str) -> StaffRow | None:
    return next((row for row in roster if row.staff_id == staff_id), None)
