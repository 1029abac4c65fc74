"""Staff meetings that could not be booked when their referral arrived (nobody free within the
slot finder's horizon, or a required role missing from the roster).

They are tried again by a periodic job as the calendar moves on and the roster changes, and
stay on the coordinator's worklist until a retry books the meeting or the referral is withdrawn.
One still open after its deadline's day is noted overdue once, for the case timeline.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from services.kit.sweeps import saved_unless_taken
from services.kit.worklist import Duty
from services.scheduling.case_worker_move import CaseWorkerMoveUseCases
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.overdue_staff_meeting import RESPONSIBLE_ROLE
from services.scheduling.domain.overdue_unbooked_staff_meeting import OverdueUnbookedStaffMeeting
from services.scheduling.domain.unbooked_staff_meeting import UnbookedStaffMeeting
from services.scheduling.staff_meeting_rules import staff_meeting_deadline


class UnbookedStaffMeetingUseCases(CaseWorkerMoveUseCases):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        # What each note was last tried against: a search over 90 days is only worth repeating
        # when something it depends on changed, or a flood of referrals would make every run
        # of the job search again for every one of them.
        self._tried_against: dict[UUID, int] = {}

    def retry_unbooked_staff_meetings(self) -> int:
        """Try each open one again (periodic job) whose day, roster, meetings or case worker
        changed since its last try; how many were settled by a booking."""
        settled, calendars = 0, {}
        for row in [row for row in self._unbooked.rows() if row.is_open]:
            municipality = row.noted.municipality
            if municipality not in calendars:
                calendars[municipality] = self._calendar_state(municipality)
            state = hash((calendars[municipality], row.case_worker_id))
            if self._tried_against.get(row.noted.originator_id) == state:
                continue
            self._tried_against[row.noted.originator_id] = state
            try:
                settled += self._retry(row.noted)
            except IntegrityError:
                continue  # another replica booked or settled it at the same moment
        return settled

    def check_unbooked_staff_meetings(self) -> int:
        """Note each one still open after its deadline's day, once (periodic job); how many.  An
        ended referral or a booked meeting settles it first, so it is never noted."""
        today, noted = self.clock().date(), 0
        for row in self._unbooked.rows():
            note = row.noted
            overdue_id = OverdueUnbookedStaffMeeting.id_for(note.municipality, note.referral_id)
            if not row.is_open or today <= _due(note) or self.exists(overdue_id):
                continue
            deadline = staff_meeting_deadline(note.referred_at)
            overdue = OverdueUnbookedStaffMeeting(note.municipality, note.case_id, note.referral_id, deadline)
            if saved_unless_taken(self, overdue):  # else another replica noted it at the same moment
                noted += 1
        return noted

    def _calendar_state(self, municipality: str) -> int:
        """What a search for ``municipality`` depends on besides the note: the day, the roster
        and the meetings (a cancelled or moved one frees time)."""
        roster = tuple(row for row in self._staff.rows() if row.municipality == municipality)
        meetings = tuple(
            (row.meeting_id, row.status, row.start, row.end, row.staff_ids)
            for row in self._meetings.rows()
            if row.municipality == municipality
        )
        return hash((self.clock().date(), roster, meetings))

    def move_case_worker_invitation(self, referral_id: str, municipality: str, case_worker_id: str) -> None:
        """As for a booked staff meeting; one still unbooked notes the case worker for its retry."""
        unbooked = self._get(UnbookedStaffMeeting.id_for(municipality, referral_id))
        if isinstance(unbooked, UnbookedStaffMeeting):
            unbooked.assign_case_worker(case_worker_id)
            self.save(unbooked)
        super().move_case_worker_invitation(referral_id, municipality, case_worker_id)

    def _retry(self, noted: UnbookedStaffMeeting.Noted) -> bool:
        """The meeting and the note settled by it are stored together, or neither is."""
        with self.unit_of_work():
            unbooked = self._get(noted.originator_id)
            if not isinstance(unbooked, UnbookedStaffMeeting) or not unbooked.is_open:
                return False
            self.convene_staff_meeting(
                unbooked.referral_id,
                "network_centre",
                unbooked.case_id,
                unbooked.municipality,
                unbooked.child_status,
                unbooked.case_worker_id,
                unbooked.referred_at,
                unbooked.protected_identity,
            )
            if self._get(Meeting.id_for_referral(noted.referral_id)) is None:
                return False
            unbooked.settle("booked")
            self.save(unbooked)
        return True


def unbooked_duty(noted: UnbookedStaffMeeting.Noted) -> Duty:
    """For the coordinator, by the referral's 7-day deadline: make room on the roster (a member of
    the missing role, hours or weekly capacity); the next retry then books the meeting.  A staff
    meeting is never booked by hand: only a referral gives one its deadline."""
    return Duty(
        municipality=noted.municipality,
        case_id=noted.case_id,
        obligation="staff_meeting_unbooked",
        due=_due(noted),
        role=RESPONSIBLE_ROLE,
        assignee=None,
        action="/api/v1/staff",
        key=str(noted.originator_id),
    )


def _due(noted: UnbookedStaffMeeting.Noted) -> date:
    """The deadline's Swedish day: overdue from the day after (ADR 0025)."""
    return staff_meeting_deadline(noted.referred_at).date()
