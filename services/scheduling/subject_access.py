"""Scheduling's part of a registerutdrag (GDPR art. 15, ADR 0018): every meeting of the child's cases."""

from __future__ import annotations

from dataclasses import dataclass

from services.kit.auth import Caller
from services.kit.subject_access import ChildsCases, Holdings
from services.scheduling.base import SchedulingBase
from services.scheduling.domain.meeting import Meeting


@dataclass(frozen=True)
class CaseMeetings:
    """One case's meetings, in order of start."""

    case_id: str
    meetings: list[Meeting]


class SubjectAccessUseCases(SchedulingBase):
    def subject_access(self, caller: Caller, asked: ChildsCases) -> Holdings[CaseMeetings]:
        """The meetings of each case asked about, of the caller's municipality only."""
        rows = self._meeting_rows(caller.municipality)

        def held(case_id: str) -> CaseMeetings | None:
            meetings = [self.repository.get(row.meeting_id) for row in rows if row.case_id == case_id]
            return CaseMeetings(case_id, meetings) if meetings else None

        return Holdings.of(self.name, caller.municipality, asked, held)
