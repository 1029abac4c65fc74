"""A role a booked meeting names for the coordinator to fill, as a duty on scheduling's worklist
(ADR 0026, addendum "a role named for the coordinator is on the worklist").

Scheduling names a role among a meeting's ``other_participants`` when it cannot book anyone of it:
a staff meeting's case worker not assigned yet, or assigned and not free then (``case_worker_move``),
a parent supporter nobody of whom is free when the child is placed (``placed_child``), a member who
left the roster (``departures``).  The meeting keeps its time, and the coordinator is to find
someone; without a duty the coordinator saw it only by opening the meeting.

One duty per meeting, however many roles it names: the worklist item has no field to tell two roles
apart, and the meeting lists them.  It is due the working day before the meeting (someone asked on
the day can rarely come), so it is overdue on the meeting's day; once the meeting has begun nobody
can be invited any more (a move or a placement then changes nothing), so it leaves the list, as it
does when the roles are filled or the meeting is cancelled or held.  The action is the command that
fills a role the meeting names (``role_fill.py``): the meeting's answer lists them.
"""

from __future__ import annotations

from datetime import datetime

from services.kit.worklist import Duty
from services.scheduling.domain.local_time import stored_instant
from services.scheduling.domain.overdue_staff_meeting import RESPONSIBLE_ROLE
from services.scheduling.domain.working_days import previous_working_day
from services.scheduling.read_models import MeetingRow

OBLIGATION = "meeting_role_unfilled"


def has_roles_to_fill(row: MeetingRow, now: datetime) -> bool:
    """Open, not begun at ``now`` (an instant), and naming a role scheduling could not fill."""
    return row.is_open and bool(row.roles_to_fill) and stored_instant(row.start, row.starts_at) > now


def roles_to_fill_duty(row: MeetingRow, coordinator: str | None) -> Duty:
    """The coordinator's (``coordinator``: the one invited to the meeting, where one is)."""
    return Duty(
        municipality=row.municipality,
        case_id=row.case_id,
        obligation=OBLIGATION,
        due=previous_working_day(row.start.date()),
        role=RESPONSIBLE_ROLE,
        assignee=coordinator,
        action=f"/api/v1/meetings/{row.meeting_id}/fill-role",
        key=f"{row.meeting_id}/roles",  # never ties with the staff meeting's own duty (its id)
    )
