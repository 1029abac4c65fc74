"""What the scheduling indexes hold: one row per meeting and per staff member, and a calendar."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, time
from typing import Any
from uuid import UUID

from services.kit.cases import CaseRef
from services.kit.index import every_event_of
from services.scheduling.domain.deadline_day import ends_in_time
from services.scheduling.domain.local_time import stored_instant
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.protected_case import ProtectedCase
from services.scheduling.domain.slot_finder import Week, WorkingHours, week_of
from services.scheduling.domain.staff_member import StaffMember
from services.scheduling.domain.unbooked_staff_meeting import UnbookedStaffMeeting


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
    deadline: datetime | None = None  # a staff meeting's: 7 days after its referral
    sequence: int = 0  # as ``Meeting.sequence``: the number of changes since it was booked
    starts_at: datetime | None = None  # the instants ``start`` and ``end`` name (aware)
    ends_at: datetime | None = None
    protected_identity: bool = False  # the child's: a feed shows no more than that there is a meeting
    other_participants: tuple[str, ...] = ()  # by role: parent, child, a role named for the coordinator
    roles_to_fill: tuple[str, ...] = ()  # those of them scheduling named for the coordinator (below)

    @property
    def is_open(self) -> bool:
        return self.status in ("booked", "rescheduled")

    def fills_weeks_from(self, week: Week) -> bool:
        """Whether its hours count in a member's weeks from ``week`` (the current one) on: an open
        meeting's, and a held one's of ``week`` or later (spent in a week still bookable).  A week
        gone by can take nothing more, so what was held in it counts for nothing (ADR 0026)."""
        return self.is_open or (self.status == "held" and week_of(self.start) >= week)

    @property
    def deadline_missed(self) -> bool:
        """As ``Meeting.deadline_missed``: the list and the single meeting say the same."""
        return self.deadline is not None and not ends_in_time(self.end, self.deadline)


@dataclass(frozen=True)
class StaffRow:
    municipality: str
    staff_id: str
    role: str
    hours: WorkingHours
    active: bool
    weekly_capacity_hours: int = 40


@dataclass(frozen=True)
class UnbookedRow:
    """A referral whose staff meeting could not be booked, as noted; open until settled."""

    noted: UnbookedStaffMeeting.Noted
    is_open: bool = True
    case_worker_id: str = ""  # the one to invite: noted, or assigned since


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


MEETING_EVENTS = every_event_of(Meeting)  # every event of a meeting raises its sequence
STAFF_EVENTS = (
    StaffMember.Registered,
    StaffMember.HoursChanged,
    StaffMember.Removed,
    StaffMember.Reinstated,
)
UNBOOKED_EVENTS = (
    UnbookedStaffMeeting.Noted,
    UnbookedStaffMeeting.CaseWorkerAssigned,
    UnbookedStaffMeeting.Settled,
)
PROTECTED_CASE_EVENTS = (ProtectedCase.Noted,)


def fold_meeting(rows: dict[Any, MeetingRow], e: Any) -> None:
    if isinstance(e, Meeting.Booked):
        rows[e.originator_id] = MeetingRow(
            e.originator_id,
            e.municipality,
            e.case_id,
            e.kind,
            e.start,
            e.end,
            tuple(e.staff_ids),
            "booked",
            getattr(e, "deadline", None),
            starts_at=stored_instant(e.start, e.starts_at),
            ends_at=stored_instant(e.end, e.ends_at),
            protected_identity=getattr(e, "protected_identity", False),
            other_participants=tuple(e.other_participants),
            roles_to_fill=tuple(e.other_participants) if e.kind == "staff_meeting" else (),
        )
    elif isinstance(e, Meeting.CaseWorkerChanged | Meeting.Invited):
        before = rows[e.originator_id]
        invitees = {"staff_ids": tuple(e.staff_ids), "other_participants": tuple(e.other_participants)}
        rows[e.originator_id] = replace(before, roles_to_fill=_roles_to_fill(before, e), **invitees)
    elif isinstance(e, Meeting.Rescheduled):
        instants = {
            "starts_at": stored_instant(e.start, e.starts_at),
            "ends_at": stored_instant(e.end, e.ends_at),
        }
        rows[e.originator_id] = replace(
            rows[e.originator_id], start=e.start, end=e.end, status="rescheduled", **instants
        )
    elif isinstance(e, Meeting.Cancelled):
        rows[e.originator_id] = replace(rows[e.originator_id], status="cancelled")
    elif isinstance(e, Meeting.Held):
        rows[e.originator_id] = replace(rows[e.originator_id], status="held")
    if isinstance(e, Meeting.Event) and e.originator_id in rows:
        # Every change a meeting's feed entry must show raises it, whatever kind of event it is.
        rows[e.originator_id] = replace(rows[e.originator_id], sequence=e.originator_version - 1)


def _roles_to_fill(before: MeetingRow, e: Meeting.CaseWorkerChanged | Meeting.Invited) -> tuple[str, ...]:
    """The roles scheduling named for the coordinator, while still named.  Only scheduling names
    roles on a staff meeting (a case worker not assigned or not free; ``Booked`` above); on any
    meeting ``invite`` and ``stand_down`` name one by adding it last, where an invitation by id adds
    a staff id instead.  What a booking by hand names by role (a parent, a case worker from outside
    the roster) is who the booker invited: nothing to fill."""
    if isinstance(e, Meeting.CaseWorkerChanged):
        named: tuple[str, ...] = ("case_worker",)
    else:
        named = () if len(e.staff_ids) > len(before.staff_ids) else tuple(e.other_participants[-1:])
    still = (role for role in (*before.roles_to_fill, *named) if role in e.other_participants)
    return tuple(dict.fromkeys(still))


def fold_staff(rows: dict[Any, StaffRow], e: Any) -> None:
    if isinstance(e, StaffMember.Registered):
        rows[e.originator_id] = StaffRow(
            e.municipality, e.staff_id, e.role, _hours(e), True, e.weekly_capacity_hours
        )
    elif isinstance(e, StaffMember.HoursChanged):
        rows[e.originator_id] = replace(
            rows[e.originator_id], hours=_hours(e), weekly_capacity_hours=e.weekly_capacity_hours
        )
    elif isinstance(e, StaffMember.Removed):
        rows[e.originator_id] = replace(rows[e.originator_id], active=False)
    elif isinstance(e, StaffMember.Reinstated):
        rows[e.originator_id] = replace(
            rows[e.originator_id],
            role=e.role,
            hours=_hours(e),
            active=True,
            weekly_capacity_hours=e.weekly_capacity_hours,
        )


def fold_unbooked(rows: dict[Any, UnbookedRow], e: Any) -> None:
    if isinstance(e, UnbookedStaffMeeting.Noted):
        rows[e.originator_id] = UnbookedRow(e, case_worker_id=e.case_worker_id)
    elif isinstance(e, UnbookedStaffMeeting.CaseWorkerAssigned):
        rows[e.originator_id] = replace(rows[e.originator_id], case_worker_id=e.case_worker_id)
    elif isinstance(e, UnbookedStaffMeeting.Settled):
        rows[e.originator_id] = replace(rows[e.originator_id], is_open=False)


def fold_protected_case(rows: dict[Any, tuple[str, str]], e: Any) -> None:
    if isinstance(e, ProtectedCase.Noted):
        rows[e.originator_id] = (e.municipality, e.case_id)


def _hours(e: StaffMember.Registered | StaffMember.HoursChanged | StaffMember.Reinstated) -> WorkingHours:
    return WorkingHours(time.fromisoformat(e.work_starts), time.fromisoformat(e.work_ends))
