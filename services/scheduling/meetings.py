"""Meeting use cases: book (one or a series), reschedule, cancel, record attendance, read one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID, uuid4

from services.kit.auth import Caller
from services.scheduling.commands import Attendance, Cancel, FillRole, NewMeeting, Reschedule
from services.scheduling.domain.busy_times import overlaps
from services.scheduling.domain.local_time import is_repeated, stored_instant, wall_clock_of
from services.scheduling.domain.meeting import Meeting, MeetingError, MeetingInThePast
from services.scheduling.domain.meeting_errors import MeetingNotBegun, StaffMeetingFollowsItsReferral
from services.scheduling.domain.staff_member import StaffMember
from services.scheduling.domain.working_time import refuse_outside_working_time, refuse_over_capacity
from services.scheduling.person_days import Days, DoubleBooking, PersonDayUseCases, changed
from services.scheduling.read_models import MeetingRow

__all__ = ["DoubleBooking", "MeetingUseCases", "UnknownStaff"]


class UnknownStaff(MeetingError):
    """A participant is not on the municipality's roster."""


class MeetingUseCases(PersonDayUseCases):
    def book_meetings(self, caller: Caller, new: NewMeeting) -> list[Meeting]:
        """Book one meeting, or a series every ``repeat_weeks`` weeks; all or nothing.  Each is
        booked on its participants' days too (the store's guard against double booking)."""
        members = [self._staff_member(caller.municipality, staff_id) for staff_id in new.staff_ids]
        self._through_weeks(caller.municipality, new.staff_ids, [wall_clock_of(s) for s, _ in new.times()])
        self._keep_to_the_roster(caller.municipality, new.staff_ids, members, new.times(), new)
        series_id = str(uuid4()) if new.occurrences > 1 else None
        protected = new.case_id in self._protected_cases(caller.municipality)  # once for the series
        meetings = [
            self._booked(caller.municipality, new, (start, end), series_id, protected)
            for start, end in new.times()
        ]
        days: Days = {}
        for meeting in meetings:
            self._claim(meeting, days)
        self.save(*meetings, *changed(days))
        self.observer.meeting_changed(caller.municipality, new.kind, "booked")
        return meetings

    def reschedule_meeting(self, caller: Caller, meeting_id: UUID, change: Reschedule) -> Meeting:
        """To new times (instants): never into the past, never onto another meeting of its staff."""
        with self._refusals_told(self._owned_meeting(caller, meeting_id)) as meeting:
            days: Days = {}
            missed_before = meeting.deadline_ever_missed
            self._release(meeting, days)
            moved = (meeting.id, (meeting.start, meeting.end))  # where it was: not counted twice
            meeting.reschedule(change.start, change.end)
            self._refuse_the_past(meeting)
            self._through_weeks(meeting.municipality, meeting.staff_ids, [meeting.start])
            members = [self._get(StaffMember.id_for(meeting.municipality, s)) for s in meeting.staff_ids]
            times = [(meeting.starts_at, meeting.ends_at)]
            self._keep_to_the_roster(meeting.municipality, meeting.staff_ids, members, times, change, moved)
            self._refuse_double_booking(
                meeting.municipality, meeting.staff_ids, meeting.starts_at, meeting.ends_at, meeting.id
            )
            self._claim(meeting, days)
        self._saved(meeting, "rescheduled", days)
        if meeting.deadline_ever_missed and not missed_before:  # its first miss: counted once
            self.observer.staff_meeting_moved_past_deadline(meeting.municipality)
        return meeting

    def cancel_meeting(self, caller: Caller, meeting_id: UUID, cancel: Cancel) -> Meeting:
        """A meeting booked by hand; a referral's staff meeting goes with its referral (reschedule
        it to move it)."""
        with self._refusals_told(self._owned_meeting(caller, meeting_id)) as meeting:
            if meeting.referral_id is not None and meeting.is_open:
                raise StaffMeetingFollowsItsReferral(
                    "a referral's staff meeting is called off with its referral (declined, revoked or "
                    "closed); reschedule it to move it"
                )
            meeting.cancel(cancel.reason)
        days: Days = {}
        self._release(meeting, days)
        return self._saved(meeting, "cancelled", days)

    def record_attendance(self, caller: Caller, meeting_id: UUID, attendance: Attendance) -> Meeting:
        with self._refusals_told(self._owned_meeting(caller, meeting_id)) as meeting:
            if meeting.is_open and not meeting.starts_before(self.clock()):
                raise MeetingNotBegun("the meeting has not begun: who attended is recorded once it has")
            self._refuse_strangers(meeting.municipality, attendance.attended)
            meeting.record_attendance(tuple(attendance.attended), attendance.outcome)
        return self._saved(meeting, "held")

    def _refuse_strangers(self, municipality: str, attended: list[str]) -> None:
        """Who attended is on the roster: an invitee, a colleague standing in for one, or one who has
        left since.  Any other id would count as the meeting's staff (``attended_staff``) and stand
        in its record as having been there; it is named by its place, never by what was sent."""
        strangers = [
            f"attended[{n}]"
            for n, staff_id in enumerate(attended)
            if not isinstance(self._get(StaffMember.id_for(municipality, staff_id)), StaffMember)
        ]
        if strangers:
            raise UnknownStaff(f"not on the roster: {', '.join(strangers)}")

    def meeting(self, caller: Caller, meeting_id: UUID) -> Meeting:
        return self._owned_meeting(caller, meeting_id)

    def _booked(
        self,
        municipality: str,
        new: NewMeeting,
        times: tuple[datetime, datetime],
        series_id: str | None,
        protected: bool,
    ) -> Meeting:
        start, end = times
        staff_ids = tuple(new.staff_ids)
        self._refuse_double_booking(municipality, staff_ids, start, end, None)
        meeting = Meeting(
            **Meeting.times(start, end),
            municipality=municipality,
            case_id=new.case_id,
            kind=new.kind,
            staff_ids=staff_ids,
            other_participants=new.participants_besides_staff(),
            referral_id=None,
            deadline=None,
            series_id=series_id,
            protected_identity=protected,
        )
        self._refuse_the_past(meeting)
        return meeting

    def _keep_to_the_roster(
        self,
        municipality: str,
        staff_ids: Sequence[str],
        members: Sequence[StaffMember | None],
        times: Sequence[tuple[datetime, datetime]],
        knowingly: NewMeeting | Reschedule | FillRole,
        moved: tuple[UUID, tuple[datetime, datetime]] | None = None,
    ) -> None:
        """A time chosen by hand (instants) keeps to each participant's working time and weekly
        capacity, as the slot finder's does, unless the caller chose it past them knowingly.
        ``moved``: the meeting being rescheduled, and its local times before."""
        on_roster = [member if isinstance(member, StaffMember) else None for member in members]
        local = [(wall_clock_of(start), wall_clock_of(end)) for start, end in times]
        if not knowingly.outside_working_hours:
            refuse_outside_working_time([m.hours if m else None for m in on_roster], local)
        if not knowingly.over_weekly_capacity:
            capacity = [m.weekly_capacity_hours if m else None for m in on_roster]
            moved_id, moved_from = moved if moved else (None, None)
            busy = self._busy(municipality, moved_id)
            refuse_over_capacity(staff_ids, capacity, busy, local, moved_from)

    def _refuse_the_past(self, meeting: Meeting) -> None:
        if meeting.starts_before(self.clock()):
            raise MeetingInThePast("start is in the past")

    def _instants(self, row: MeetingRow) -> tuple[datetime, datetime]:
        """A row's times as instants: read from its wall-clock times, or from the meeting itself
        when one of them is in the hour that occurs twice (the row cannot say which)."""
        if is_repeated(row.start) or is_repeated(row.end):
            meeting = self._get(row.meeting_id)
            return meeting.starts_at, meeting.ends_at
        return stored_instant(row.start), stored_instant(row.end)

    def _saved(self, meeting: Meeting, change: str, days: Days | None = None) -> Meeting:
        self.save(meeting, *changed(days or {}))
        self.observer.meeting_changed(meeting.municipality, meeting.kind, change)
        return meeting

    def _refuse_double_booking(
        self,
        municipality: str,
        staff_ids: tuple[str, ...],
        starts_at: datetime,
        ends_at: datetime,
        ignore: UUID | None,
    ) -> None:
        """Compares instants; names the clashing participants by their place in ``staff_ids``,
        never by their ids.  Meetings booked before ``PersonDay``s existed are found only here."""
        for row in self._open_meetings(municipality):
            if row.meeting_id == ignore or not overlaps(starts_at, ends_at, *self._instants(row)):
                continue
            clash = [f"staff_ids[{n}]" for n, staff_id in enumerate(staff_ids) if staff_id in row.staff_ids]
            if clash:
                raise DoubleBooking(f"already booked at that time: {', '.join(clash)}")
