"""Meeting use cases: book (one or a series), reschedule, cancel, record attendance, read one."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from services.kit.auth import Caller
from services.scheduling.base import SchedulingBase
from services.scheduling.commands import Attendance, Cancel, NewMeeting, Reschedule
from services.scheduling.domain.meeting import Meeting, MeetingError
from services.scheduling.domain.slot_finder import overlaps


class DoubleBooking(MeetingError):
    """A participant already has a meeting at that time."""


class UnknownStaff(MeetingError):
    """A participant is not on the municipality's roster."""


class MeetingUseCases(SchedulingBase):
    def book_meetings(self, caller: Caller, new: NewMeeting) -> list[Meeting]:
        """Book one meeting, or a series every ``repeat_weeks`` weeks; all or nothing."""
        for staff_id in new.staff_ids:
            self._staff_member(caller.municipality, staff_id)
        series_id = str(uuid4()) if new.occurrences > 1 else None
        meetings = [
            self._booked(caller.municipality, new, start, end, series_id) for start, end in new.times()
        ]
        self.save(*meetings)
        self.observer.meeting_changed(caller.municipality, new.kind, "booked")
        return meetings

    def reschedule_meeting(self, caller: Caller, meeting_id: UUID, change: Reschedule) -> Meeting:
        meeting = self._owned_meeting(caller, meeting_id)
        self._refuse_double_booking(
            meeting.municipality, meeting.staff_ids, change.start, change.end, meeting.id
        )
        meeting.reschedule(change.start, change.end)
        return self._saved(meeting, "rescheduled")

    def cancel_meeting(self, caller: Caller, meeting_id: UUID, cancel: Cancel) -> Meeting:
        meeting = self._owned_meeting(caller, meeting_id)
        meeting.cancel(cancel.reason)
        return self._saved(meeting, "cancelled")

    def record_attendance(self, caller: Caller, meeting_id: UUID, attendance: Attendance) -> Meeting:
        meeting = self._owned_meeting(caller, meeting_id)
        meeting.record_attendance(tuple(attendance.attended), attendance.outcome)
        return self._saved(meeting, "held")

    def meeting(self, caller: Caller, meeting_id: UUID) -> Meeting:
        return self._owned_meeting(caller, meeting_id)

    def _booked(
        self, municipality: str, new: NewMeeting, start: datetime, end: datetime, series_id: str | None
    ) -> Meeting:
        staff_ids = tuple(new.staff_ids)
        self._refuse_double_booking(municipality, staff_ids, start, end, None)
        return Meeting(
            municipality=municipality,
            case_id=new.case_id,
            kind=new.kind,
            start=start,
            end=end,
            staff_ids=staff_ids,
            other_participants=new.participants_besides_staff(),
            referral_id=None,
            deadline=None,
            series_id=series_id,
        )

    def _saved(self, meeting: Meeting, change: str) -> Meeting:
        self.save(meeting)
        self.observer.meeting_changed(meeting.municipality, meeting.kind, change)
        return meeting

    def _refuse_double_booking(
        self,
        municipality: str,
        staff_ids: tuple[str, ...],
        start: datetime,
        end: datetime,
        ignore: UUID | None,
    ) -> None:
        """Names the clashing participants by their place in ``staff_ids``, never by their ids."""
        for row in self._open_meetings(municipality):
            if row.meeting_id == ignore or not overlaps(start, end, row.start, row.end):
                continue
            clash = [f"staff_ids[{n}]" for n, staff_id in enumerate(staff_ids) if staff_id in row.staff_ids]
            if clash:
                raise DoubleBooking(f"already booked at that time: {', '.join(clash)}")
