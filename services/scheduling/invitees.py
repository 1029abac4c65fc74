"""The staff meeting's invitees who are not the Network Centre's own staff (issue 15, item 3).

The responsible case worker and the resource team join every staff meeting.  Whoever is
not on the roster yet is added on first use, with the default working hours and weekly
capacity (08:00-16:30, 40 hours: the office day the roster assumes for everyone), so the
slot finder books them like anyone else and the meeting shows in their calendar.  The
resource team is one member per municipality, ``<municipality>-resource-team-1``, until
the municipality registers its own (ADR 0026).  An ``unassigned`` case worker is invited
when one is assigned.
"""

from __future__ import annotations

from datetime import time

from services.scheduling.commands import NewStaffMember
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.slot_finder import WorkingHours
from services.scheduling.domain.staff_member import StaffMember
from services.scheduling.person_days import Days, PersonDayUseCases, changed
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

    def move_case_worker_invitation(self, referral_id: str, municipality: str, case_worker_id: str) -> None:
        """The referral's new case worker takes the old one's place in its open staff meeting: the
        old one's day is freed, the new one's claimed.  When the new one is already booked then,
        the meeting keeps its time and names the case worker by role (``case_worker`` among the
        other participants) for the coordinator to settle: moving it would move the Centre's five
        or more people, and perhaps past its deadline, for one person whose other meeting may be
        the one to move."""
        meeting = self._get(Meeting.id_for_referral(referral_id))
        if not isinstance(meeting, Meeting) or not meeting.is_open or case_worker_id in meeting.staff_ids:
            return
        if meeting.starts_before(self.clock()):  # begun, perhaps held: who was invited stays as it was
            return
        if meeting.municipality != municipality:  # another municipality's referral id: never theirs to move
            return
        roster, added = self._with_invitees(municipality, self._active_staff(municipality), case_worker_id)
        old = next((s for s in meeting.staff_ids if _role_of(roster, s) == "case_worker"), None)
        days: Days = {}
        for day in self._days_of(municipality, old, meeting, days, open_missing=False) if old else ():
            day.free(str(meeting.id))
        new_days = self._days_of(municipality, case_worker_id, meeting, days)
        free = _role_of(roster, case_worker_id) is not None and all(
            day.is_free(meeting.starts_at, meeting.ends_at, str(meeting.id)) for day in new_days
        )
        for day in new_days if free else ():
            day.book(str(meeting.id), meeting.starts_at, meeting.ends_at)
        if free:  # hours added to their week: a writer reading it at the same moment conflicts
            self._through_weeks(municipality, [case_worker_id], [meeting.start])
        if free or old is not None or "case_worker" not in meeting.other_participants:
            meeting.change_case_worker(old, case_worker_id if free else None)
        self.save(*added, meeting, *changed(days))


def _role_of(roster: list[StaffRow], staff_id: str) -> str | None:
    return next((row.role for row in roster if row.staff_id == staff_id), None)


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
