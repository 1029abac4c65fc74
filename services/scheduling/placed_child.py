"""A referral's child placed: its staff meeting invites a parent supporter (DOMAIN: parent
supporters give birth parents crisis support at placement; ADR 0026)."""

from __future__ import annotations

from services.scheduling.domain.early_placement import EarlyPlacement
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.protected_case import ProtectedCase
from services.scheduling.domain.slot_finder import least_loaded_free
from services.scheduling.person_days import Days, changed
from services.scheduling.staff_meeting import StaffMeetingUseCases, learned

PARENT_SUPPORTER = "parent_supporter"


class ChildPlacedUseCases(StaffMeetingUseCases):
    def record_child_placed(
        self,
        referral_id: str,
        target: str,
        case_id: str,
        municipality: str,
        placement_id: str,
        protected_identity: bool,
    ) -> None:
        """A placement said the child has a protected identity: the case is protected from now on
        (every meeting of it, booked before or after, is marked so); and the staff meeting invites
        a parent supporter."""
        if protected_identity:
            self.note_protected_case(municipality, case_id)
        self.invite_parent_supporter(referral_id, target, municipality, placement_id)

    def note_protected_case(self, municipality: str, case_id: str) -> None:
        """The case is protected from now on: every meeting of it, booked before or after."""
        if not self.exists(ProtectedCase.id_for(municipality, case_id)):
            self.save(ProtectedCase(municipality, case_id))

    def invite_parent_supporter(
        self, referral_id: str, target: str, municipality: str, placement_id: str
    ) -> None:
        """The referral's upcoming staff meeting invites the parent supporter the slot finder would
        choose at its time (free, capacity left, least loaded).  When none is, the meeting keeps
        its time and names the parent supporter by role for the coordinator, as for a busy case
        worker.  A meeting with one already, past, held or cancelled is left as it is.  Before
        the meeting is convened, the placement is noted: convening then invites one."""
        if target != "network_centre":
            return
        meeting = self._get(Meeting.id_for_referral(referral_id))
        if meeting is None:
            if not self.exists(EarlyPlacement.id_for(municipality, referral_id)):
                self.save(EarlyPlacement(municipality, referral_id, placement_id))
            return
        if not isinstance(meeting, Meeting) or meeting.municipality != municipality:
            return  # another municipality's referral id: never theirs to change
        if not meeting.is_open or meeting.starts_before(self.clock()) or self._has_parent_supporter(meeting):
            return
        days: Days = {}
        chosen = self._free_parent_supporter(meeting, days)
        for day in self._days_of(municipality, chosen, meeting, days) if chosen else ():
            day.book(str(meeting.id), meeting.starts_at, meeting.ends_at)
        meeting.invite(PARENT_SUPPORTER, chosen)
        self.save(meeting, *changed(days))

    def _has_parent_supporter(self, meeting: Meeting) -> bool:
        """Invited by id (while on the roster or since removed from it) or named by role."""
        roles = {
            row.staff_id: row.role for row in self._staff.rows() if row.municipality == meeting.municipality
        }
        invited = any(roles.get(staff_id) == PARENT_SUPPORTER for staff_id in meeting.staff_ids)
        return invited or PARENT_SUPPORTER in meeting.other_participants

    def _free_parent_supporter(self, meeting: Meeting, days: Days) -> str | None:
        """From the index of meetings and the candidates' stored days of that week (which also
        hold what was booked earlier in the same batch); their days have the last word."""
        roster = [row for row in self._active_staff(meeting.municipality) if row.role == PARENT_SUPPORTER]
        candidates = tuple(row.staff_id for row in roster)
        self._through_weeks(meeting.municipality, candidates, [meeting.start])  # before their hours are read
        busy = self._busy(meeting.municipality)
        learned(busy, self._week_of(meeting, days, candidates))
        hours = {row.staff_id: row.hours for row in roster}
        capacity = {row.staff_id: row.weekly_capacity_hours for row in roster}
        chosen = least_loaded_free(candidates, hours, busy, meeting.start, meeting.end, capacity)
        if chosen is None:
            return None
        their_days = self._days_of(meeting.municipality, chosen, meeting, days)
        free = all(day.is_free(meeting.starts_at, meeting.ends_at, str(meeting.id)) for day in their_days)
        return chosen if free else None
