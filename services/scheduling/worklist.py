"""Scheduling's worklist (issue 16 item 3): the staff meetings not yet held, those the slot
finder could not book (``unbooked.py``), for the coordinator to make room on the roster, and the
meetings naming a role nobody could be booked for (``roles_to_fill.py``), for the coordinator to fill.

A staff meeting is due by the earlier of its own day and its deadline (7 days after the referral):
overdue from the day after, until its attendance is recorded or it is cancelled.  The coordinator
convenes it: the one on the meeting is the person responsible.

Every duty here is the coordinator's (a meeting not booked too: the coordinator makes room on the
roster, ADR 0028; a role to fill too: the coordinator convenes the meeting and finds who attends),
so a role filter takes ``coordinator`` only: the teams attend staff meetings but hold no duty on
this list, and the kit refuses any other role rather than list nothing.
"""

from __future__ import annotations

from datetime import date

from services.kit.auth import Caller
from services.kit.pages import PageRequest
from services.kit.worklist import Duty, Worklist, WorklistFilter, worklist
from services.kit.worklist_filters import DutyRoles
from services.scheduling.base import SchedulingBase
from services.scheduling.domain.local_time import stored_instant
from services.scheduling.domain.overdue_staff_meeting import RESPONSIBLE_ROLE, OverdueStaffMeeting
from services.scheduling.read_models import MeetingRow
from services.scheduling.roles_to_fill import has_roles_to_fill, roles_to_fill_duty
from services.scheduling.unbooked import unbooked_duty

DUTY_ROLES = DutyRoles.of({RESPONSIBLE_ROLE: ()})


class WorklistUseCases(SchedulingBase):
    def worklist(self, caller: Caller, wanted: WorklistFilter, page: PageRequest) -> Worklist:
        """The caller's municipality's staff meetings not yet held, those not yet booked, and meetings
        with a role to fill, earliest due first."""
        coordinators = {
            row.staff_id
            for row in self._staff.rows()
            if row.municipality == caller.municipality and row.role == RESPONSIBLE_ROLE and row.active
        }  # a removed coordinator answers for nothing: the duty is then the role's, with no assignee
        now = stored_instant(self.clock())
        duties: list[Duty] = []
        for row in self._open_meetings(caller.municipality):
            coordinator = next((staff for staff in row.staff_ids if staff in coordinators), None)
            if row.kind == "staff_meeting":
                duties.append(_duty(row, coordinator))
            if has_roles_to_fill(row, now):
                duties.append(roles_to_fill_duty(row, coordinator))
        duties += [
            unbooked_duty(row.noted)
            for row in self._unbooked.rows()
            if row.is_open and row.noted.municipality == caller.municipality
        ]
        return worklist(duties, caller.municipality, wanted, page, self.clock().date())

    def check_staff_meetings_held(self) -> int:
        """Note each staff meeting not held by its due date, once (periodic job); how many."""
        today, noted = self.clock().date(), 0
        for row in self._meetings.rows():
            if row.kind != "staff_meeting" or not row.is_open:
                continue
            due = _due(row)
            if today > due and not self.exists(OverdueStaffMeeting.id_for(str(row.meeting_id))):
                self.save(OverdueStaffMeeting(row.municipality, row.case_id, str(row.meeting_id), due))
                noted += 1
        return noted


def _due(row: MeetingRow) -> date:
    """The meeting's day, or its deadline's if that comes first."""
    return min(row.start, row.deadline).date() if row.deadline is not None else row.start.date()


def _duty(row: MeetingRow, coordinator: str | None) -> Duty:
    return Duty(
        municipality=row.municipality,
        case_id=row.case_id,
        obligation="staff_meeting",
        due=_due(row),
        role=RESPONSIBLE_ROLE,
        assignee=coordinator,
        action=f"/api/v1/meetings/{row.meeting_id}/attendance",
        key=str(row.meeting_id),
    )
