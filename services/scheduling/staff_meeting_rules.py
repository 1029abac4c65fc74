"""Who the staff meeting of a referral needs, and from when it may be booked (issue 15)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from services.scheduling.domain.local_time import wall_clock_of
from services.scheduling.domain.working_days import next_working_day
from services.scheduling.read_models import StaffRow

STAFF_MEETING_DEADLINE = timedelta(days=7)
STAFF_MEETING_LENGTH = timedelta(hours=1)
UNASSIGNED = "unassigned"  # the case worker of a referral nobody has been assigned to yet


def earliest_staff_meeting(referred: datetime, now: datetime) -> datetime:
    """The start of the first working day after the referral arrived, or after now when it is
    handled later: never in the past, never at a few hours' notice."""
    return datetime.combine(next_working_day(max(referred, now).date()), time())


def staff_meeting_deadline(referred_at: datetime) -> datetime:
    """Seven calendar days after the referral arrived (an aware instant), as a local wall-clock time."""
    return wall_clock_of(referred_at) + STAFF_MEETING_DEADLINE


def on_roster(roster: list[StaffRow], staff_id: str) -> bool:
    return any(row.staff_id == staff_id for row in roster)


def staff_meeting_groups(roster: list[StaffRow], child_status: str, case_worker_id: str) -> list[list[str]]:
    """Who must attend, one of each group: the coordinator, a family therapist and a family
    pedagogue (both where the roster has both; either where it has one), a parent supporter
    when the child is placed, the responsible case worker and the resource team."""
    by_role: dict[str, list[str]] = {}
    for row in roster:
        by_role.setdefault(row.role, []).append(row.staff_id)
    therapists, pedagogues = by_role.get("family_therapist", []), by_role.get("family_pedagogue", [])
    groups = [by_role.get("coordinator", [])]
    groups += [group for group in (therapists, pedagogues) if group] or [[]]
    if child_status == "placed" and by_role.get("parent_supporter"):  # a roster without one: none to book
        groups.append(by_role["parent_supporter"])
    if case_worker_id != UNASSIGNED and on_roster(roster, case_worker_id):
        groups.append([case_worker_id])
    if by_role.get("resource_team"):
        groups.append(by_role["resource_team"])
    return groups
