"""What the scheduling indexes hold: one row per meeting and per staff member, and a calendar."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time
from typing import Any
from uuid import UUID

from services.kit.cases import CaseRef
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.slot_finder import WorkingHours
from services.scheduling.domain.staff_member import StaffMember


@dataclass(frozen=True)
class MeetingRow:
    meeting_id: UUID
    municipality: str
    case_id: str
    kind: str
    start: datetime
    end: datetime
    staff_ids: tuple[str, ...]
    status: str

    @property
    def is_open(self) -> bool:
        return self.status in ("booked", "rescheduled")


@dataclass(frozen=True)
class StaffRow:
    municipality: str
    staff_id: str
    role: str
    hours: WorkingHours
    active: bool


@dataclass(frozen=True)
class Schedule:
    """A calendar, or a page of one: its title and meetings in order of start (each carries its
    case); ``next_key`` is the sort key of the last meeting when a next page follows."""

    title: str
    meetings: tuple[MeetingRow, ...]
    next_key: Any = None

    def case_refs(self) -> list[CaseRef]:
        """Each case once, however many of its meetings the page holds."""
        return sorted({CaseRef(row.municipality, row.case_id) for row in self.meetings})


def fold_meeting(rows: dict[Any, MeetingRow], e: Any) -> None:
    if isinstance(e, Meeting.Booked):
        rows[e.originator_id] = MeetingRow(
            e.originator_id, e.municipality, e.case_id, e.kind, e.start, e.end, tuple(e.staff_ids), "booked"
        )
    elif isinstance(e, Meeting.Rescheduled):
        rows[e.originator_id] = replace(rows[e.originator_id], start=e.start, end=e.end, status="rescheduled")
    elif isinstance(e, Meeting.Cancelled):
        rows[e.originator_id] = replace(rows[e.originator_id], status="cancelled")
    elif isinstance(e, Meeting.Held):
        rows[e.originator_id] = replace(rows[e.originator_id], status="held")


def fold_staff(rows: dict[Any, StaffRow], e: Any) -> None:
    if isinstance(e, StaffMember.Registered):
        rows[e.originator_id] = StaffRow(e.municipality, e.staff_id, e.role, _hours(e), True)
    elif isinstance(e, StaffMember.HoursChanged):
        rows[e.originator_id] = replace(rows[e.originator_id], hours=_hours(e))
    elif isinstance(e, StaffMember.Removed):
        rows[e.originator_id] = replace(rows[e.originator_id], active=False)


def _hours(e: StaffMember.Registered | StaffMember.HoursChanged) -> WorkingHours:
    return WorkingHours(time.fromisoformat(e.work_starts), time.fromisoformat(e.work_ends))
