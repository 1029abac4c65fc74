"""The staff meeting's invitees who are not the Network Centre's own staff (issue 15, item 3).

The responsible case worker and the resource team join every staff meeting.  Whoever is
not on the roster yet is added on first use, with the default working hours and weekly
capacity (08:00-16:30, 40 hours: the office day the roster assumes for everyone), so the
slot finder books them like anyone else and the meeting shows in their calendar.  The
resource team is one member per municipality, ``<municipality>-resource-team-1``, until
the municipality registers its own (ADR 0026).  An ``unassigned`` case worker is invited
when one is assigned (``case_worker_move.py``).
"""

from __future__ import annotations

from datetime import time

from services.scheduling.commands import NewStaffMember
from services.scheduling.domain.slot_finder import WorkingHours
from services.scheduling.domain.staff_member import StaffMember
from services.scheduling.person_days import PersonDayUseCases
from services.scheduling.read_models import StaffRow
from services.scheduling.staff_meeting_rules import UNASSIGNED

RESOURCE_TEAM = "resource_team"


def default_resource_team_member(municipality: str) -> str:
    return f"{municipality}-resource-team-1"


class InviteeUseCases(PersonDayUseCases):
    def _with_invitees(
        self, municipality: str, roster: list[StaffRow], case_worker_id: str
    ) -> tuple[list[StaffRow], list[StaffMember]]:
        """The roster with the case worker and the resource team on it, and those added now.
        Read through the repository, so one added earlier in the same batch counts; one who
        was removed from the roster is not added again."""
        wanted = [(case_worker_id, "case_worker")] if case_worker_id != UNASSIGNED else []
        if not any(row.role == RESOURCE_TEAM for row in roster):
            wanted.append((default_resource_team_member(municipality), RESOURCE_TEAM))
        rows, added = list(roster), []
        for staff_id, role in wanted:
            member = self._get(StaffMember.id_for(municipality, staff_id))
            if member is None:
                member = _first_use(municipality, staff_id, role)
                added.append(member)
            if member.active and not any(row.staff_id == staff_id for row in rows):
                rows.append(_row_of(member))
        return rows, added


def _first_use(municipality: str, staff_id: str, role: str) -> StaffMember:
    new = NewStaffMember(staff_id=staff_id, role=role)
    return StaffMember(
        municipality=municipality,
        staff_id=staff_id,
        role=role,
        work_starts=new.work_starts,
        work_ends=new.work_ends,
        weekly_capacity_hours=new.weekly_capacity_hours,
    )


def _row_of(member: StaffMember) -> StaffRow:
    hours = WorkingHours(time.fromisoformat(member.work_starts), time.fromisoformat(member.work_ends))
    return StaffRow(
        member.municipality, member.staff_id, member.role, hours, member.active, member.weekly_capacity_hours
    )
