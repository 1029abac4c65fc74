"""Integration events of the scheduling service (topic ``natverk.scheduling.v1``).

Times are local Swedish wall-clock times (Europe/Stockholm) without an offset.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from contracts.common import CaseId, ContractModel, Day, Identifier, Municipality

MeetingKind = Literal["staff_meeting", "network_meeting", "visitation", "home_return_council"]
_KIND_NAMES = {
    "staff_meeting": "Staff meeting",
    "network_meeting": "Network meeting",
    "visitation": "Visitation session",
    "home_return_council": "Home-return council",
}


class MeetingFacts(ContractModel):
    meeting_id: str
    case_id: CaseId
    municipality: Municipality
    kind: MeetingKind


class MeetingBookedV1(MeetingFacts):
    start: datetime
    end: datetime
    staff_ids: list[Identifier]
    referral_id: str | None = None
    deadline: datetime | None = None
    deadline_missed: bool = False

    def summary(self) -> str:
        late = " (after the 7-day deadline)" if self.deadline_missed else ""
        return f"{_KIND_NAMES[self.kind]} booked for {self.start:%Y-%m-%d %H:%M}{late}"


class MeetingRescheduledV1(MeetingFacts):
    start: datetime
    end: datetime

    def summary(self) -> str:
        return f"{_KIND_NAMES[self.kind]} moved to {self.start:%Y-%m-%d %H:%M}"


class MeetingCancelledV1(MeetingFacts):
    def summary(self) -> str:
        return f"{_KIND_NAMES[self.kind]} cancelled"


class MeetingHeldV1(MeetingFacts):
    """``start`` and ``end``: the times it took place at, as ``meeting.booked`` gives them; absent
    (null) in records published before they were added, whose day only the booking says."""

    attended_staff: int
    start: datetime | None = None
    end: datetime | None = None

    def summary(self) -> str:
        return f"{_KIND_NAMES[self.kind]} held ({self.attended_staff} staff attended)"


class MeetingInviteesChangedV1(MeetingFacts):
    """Who is invited changed, the time kept: the referral's case worker was reassigned, a parent
    supporter was invited once the child was placed, or the coordinator filled a role the meeting
    named (``POST /api/v1/meetings/{id}/fill-role``)."""

    staff_ids: list[Identifier]

    def summary(self) -> str:
        return f"{_KIND_NAMES[self.kind]}: invitees changed ({len(self.staff_ids)} staff invited)"


class StaffMeetingDeadlineMissedV1(MeetingFacts):
    """A staff meeting's time is after its 7-day deadline: booked late (no slot with everyone free
    in time), or rescheduled past it; once per meeting."""

    deadline: datetime
    start: datetime

    def summary(self) -> str:
        return f"Staff meeting could not be held within 7 days (deadline {self.deadline:%Y-%m-%d})"


class StaffMeetingOverdueV1(MeetingFacts):
    """A staff meeting not held by its day (or its deadline, if earlier): noted once per meeting."""

    due: Day
    responsible_role: Literal["coordinator"] = "coordinator"

    def summary(self) -> str:
        return f"Staff meeting not held by {self.due}; responsible: coordinator"


class _StaffMeetingNotBooked(ContractModel):
    """What a referral's staff meeting not (yet) booked is told by: the two events below."""

    case_id: CaseId
    municipality: Municipality
    referral_id: Identifier
    deadline: datetime
    responsible_role: Literal["coordinator"] = "coordinator"


class StaffMeetingUnbookedV1(_StaffMeetingNotBooked):
    """No time within the slot finder's horizon (90 days) at which one of every required role was
    free, or a required role missing from the roster: the referral's staff meeting is on the
    coordinator's worklist and is booked (``meeting.booked``) once the roster has room."""

    def summary(self) -> str:
        return (
            f"Staff meeting could not be booked: nobody free in time (deadline {self.deadline:%Y-%m-%d});"
            " responsible: coordinator"
        )


class StaffMeetingUnbookedOverdueV1(_StaffMeetingNotBooked):
    """A referral's staff meeting still not booked when its 7-day deadline's day had passed (the
    staff meeting was not convened in time): noted once per referral, unless the referral ended or
    a meeting was booked first.  ``deadline`` as in ``staff_meeting_unbooked``."""

    def summary(self) -> str:
        return (
            f"Staff meeting not convened by its deadline {self.deadline:%Y-%m-%d}: still not booked;"
            " responsible: coordinator"
        )
