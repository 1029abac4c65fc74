"""Calendar use cases: a staff member's meetings and a case's meetings, in order of start."""

from __future__ import annotations

from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound, CaseRef
from services.scheduling.base import SchedulingBase
from services.scheduling.read_models import Schedule


class CalendarUseCases(SchedulingBase):
    def staff_calendar(self, caller: Caller, staff_id: str) -> Schedule:
        self._staff_member(caller.municipality, staff_id)
        rows = self._meeting_rows(caller.municipality)
        return Schedule(f"natverk {staff_id}", tuple(row for row in rows if staff_id in row.staff_ids))

    def case_calendar(self, caller: Caller, case_id: str) -> Schedule:
        """The case is (the caller's municipality, case id): another municipality's is not there."""
        rows = tuple(row for row in self._meeting_rows(caller.municipality) if row.case_id == case_id)
        if not rows:
            raise CaseDataNotFound(CaseRef(caller.municipality, case_id))
        return Schedule(f"natverk case {case_id}", rows)
