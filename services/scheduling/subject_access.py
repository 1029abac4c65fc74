"""Scheduling's part of a registerutdrag (GDPR art. 15, ADR 0018): every meeting of the child's
cases, and each referral of theirs whose staff meeting could not be booked."""

from __future__ import annotations

from dataclasses import dataclass

from services.kit.auth import Caller
from services.kit.subject_access import ChildsCases, Holdings
from services.scheduling.base import SchedulingBase
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.unbooked_staff_meeting import UnbookedStaffMeeting


@dataclass(frozen=True)
class CaseMeetings:
    """One case's meetings, in order of start, and its staff meetings noted as unbooked."""

    case_id: str
    meetings: list[Meeting]
    unbooked: list[UnbookedStaffMeeting]


class SubjectAccessUseCases(SchedulingBase):
    def subject_access(self, caller: Caller, asked: ChildsCases) -> Holdings[CaseMeetings]:
        """The meetings of each case asked about, of the caller's municipality only."""
        rows = self._meeting_rows(caller.municipality)
        noted = [row.noted for row in self._unbooked.rows() if row.noted.municipality == caller.municipality]

        def held(case_id: str) -> CaseMeetings | None:
            meetings = [self.repository.get(row.meeting_id) for row in rows if row.case_id == case_id]
            unbooked = [self.repository.get(n.originator_id) for n in noted if n.case_id == case_id]
            return CaseMeetings(case_id, meetings, unbooked) if meetings or unbooked else None

        return Holdings.of(self.name, caller.municipality, asked, held)
