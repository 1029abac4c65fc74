"""The coordinator fills a role a booked meeting names with someone from the roster (ADR 0026,
addendum "a named role is filled by hand").

Scheduling names a role among a meeting's ``other_participants`` when it cannot book anyone of it
(``roles_to_fill.py``), and the meeting is then on the coordinator's worklist.  Filling it is an
invitation like one at booking: the member is judged at the meeting's time as a booking by hand
judges its participants (their working time and weekly capacity, through their ``PersonWeek``,
and their days, so a booking into the same week or hour at the same moment conflicts with this
one and whichever stores last is run again), then invited (``Meeting.Invited``, published as
``invitees_changed``) and the role is no longer named, which takes the duty off the worklist.
It is counted in ``natverk_meetings_total`` as ``change="role_filled"``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

from services.kit.auth import Caller
from services.scheduling.commands import FillRole
from services.scheduling.domain.meeting import Meeting, MeetingClosed
from services.scheduling.domain.meeting_errors import (
    AlreadyInvited,
    MeetingBegun,
    OutsideWorkingHours,
    OverWeeklyCapacity,
    RoleNotNamed,
)
from services.scheduling.domain.staff_member import StaffMember
from services.scheduling.meetings import DoubleBooking, MeetingUseCases, UnknownStaff
from services.scheduling.person_days import Days


class StaffOfAnotherRole(UnknownStaff):
    """The member is on the roster, in another role than the one to fill."""


class RoleFillUseCases(MeetingUseCases):
    def fill_role(self, caller: Caller, meeting_id: UUID, fill: FillRole) -> Meeting:
        """Invite ``fill.staff_id`` to the caller's meeting in the role it names; all or nothing."""
        with self._refusals_told(self._owned_meeting(caller, meeting_id)) as meeting:
            self._refuse_unfillable(meeting, fill.role, fill.staff_id)
            member = self._member_of(meeting.municipality, fill)
            days: Days = {}
            with _named_as_staff_id():
                self._through_weeks(meeting.municipality, [fill.staff_id], [meeting.start])  # before reading
                times = [(meeting.starts_at, meeting.ends_at)]
                self._keep_to_the_roster(meeting.municipality, [fill.staff_id], [member], times, fill)
                self._refuse_double_booking(
                    meeting.municipality, (fill.staff_id,), meeting.starts_at, meeting.ends_at, meeting.id
                )
            for day in self._days_of(meeting.municipality, fill.staff_id, meeting, days):  # the last word
                if not day.is_free(meeting.starts_at, meeting.ends_at, str(meeting.id)):
                    raise DoubleBooking("already booked at that time: staff_id")
                day.book(str(meeting.id), meeting.starts_at, meeting.ends_at)
            meeting.invite(fill.role, fill.staff_id)
        return self._saved(meeting, "role_filled", days)  # counted as a change, as a booking is

    def _refuse_unfillable(self, meeting: Meeting, role: str, staff_id: str) -> None:
        if not meeting.is_open:
            raise MeetingClosed(f"cannot fill a role of a meeting that is {meeting.status}")
        if meeting.starts_before(self.clock()):
            raise MeetingBegun("the meeting has begun: nobody is invited to it any more")
        if role not in meeting.other_participants:
            raise RoleNotNamed("role: the meeting names no such role to fill")
        if staff_id in meeting.staff_ids:
            raise AlreadyInvited("staff_id: already invited to the meeting")

    def _member_of(self, municipality: str, fill: FillRole) -> StaffMember:
        """An active member of the caller's roster (another municipality's is simply not there)."""
        member = self._get(StaffMember.id_for(municipality, fill.staff_id))
        if not isinstance(member, StaffMember) or not member.active:
            raise UnknownStaff("staff_id: not on the roster")
        if member.role != fill.role:
            raise StaffOfAnotherRole("staff_id: on the roster in another role")
        return member


@contextmanager
def _named_as_staff_id() -> Iterator[None]:
    """The booking gates name a participant by their place in ``staff_ids``; here there is one, sent
    as ``staff_id``."""
    try:
        yield
    except (DoubleBooking, OutsideWorkingHours, OverWeeklyCapacity) as refusal:
        raise type(refusal)(str(refusal).replace("staff_ids[0]", "staff_id")) from None
