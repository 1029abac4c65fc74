"""The scheduling use cases: rosters, convening the staff meeting, booking and calendars."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, time, timedelta
from typing import Any, Protocol
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError, Tracking

from services.kit.idempotency import IdempotentRequest
from services.kit.index import CatchUpIndex
from services.kit.store import ServiceApplication
from services.scheduling.domain.meeting import Meeting, MeetingError
from services.scheduling.domain.slot_finder import WorkingHours, find_slot, overlaps
from services.scheduling.domain.staff_member import StaffMember

LOCAL = ZoneInfo("Europe/Stockholm")
STAFF_MEETING_DEADLINE = timedelta(days=7)
STAFF_MEETING_LENGTH = timedelta(hours=1)
DEFAULT_ROSTER = {  # the Network Centre in Uppsala (decided 2025): 7 full-time staff
    "0380": [("coordinator", 1), ("family_therapist", 2), ("family_pedagogue", 2), ("parent_supporter", 2)]
}


class NotFound(Exception):
    """No such meeting or staff member in the caller's municipality."""


class DoubleBooking(MeetingError):
    """A participant already has a meeting at that time."""


class UnknownStaff(MeetingError):
    """A participant is not on the municipality's roster."""


class AlreadyRegistered(Exception):
    """The staff id is already on the municipality's roster."""


class SchedulingObserver(Protocol):
    def staff_meeting_convened(
        self, municipality: str, days_after_referral: float, in_time: bool
    ) -> None: ...

    def meeting_changed(self, municipality: str, kind: str, change: str) -> None: ...


class _Silent:
    def staff_meeting_convened(self, municipality: str, days_after_referral: float, in_time: bool) -> None:
        pass

    def meeting_changed(self, municipality: str, kind: str, change: str) -> None:
        pass


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


@dataclass(frozen=True)
class StaffRow:
    municipality: str
    staff_id: str
    role: str
    hours: WorkingHours
    active: bool


def _fold_meeting(rows: dict[Any, MeetingRow], e: Any) -> None:
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


def _fold_staff(rows: dict[Any, StaffRow], e: Any) -> None:
    if isinstance(e, StaffMember.Registered):
        hours = WorkingHours(time.fromisoformat(e.work_starts), time.fromisoformat(e.work_ends))
        rows[e.originator_id] = StaffRow(e.municipality, e.staff_id, e.role, hours, True)
    elif isinstance(e, StaffMember.HoursChanged):
        hours = WorkingHours(time.fromisoformat(e.work_starts), time.fromisoformat(e.work_ends))
        rows[e.originator_id] = replace(rows[e.originator_id], hours=hours)
    elif isinstance(e, StaffMember.Removed):
        rows[e.originator_id] = replace(rows[e.originator_id], active=False)


def local_now() -> datetime:
    return datetime.now(LOCAL).replace(tzinfo=None)


class SchedulingApplication(ServiceApplication):
    name = "scheduling"

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._meetings = CatchUpIndex(self, _fold_meeting)
        self._staff = CatchUpIndex(self, _fold_staff)
        self.clock: Callable[[], datetime] = local_now
        self.observer: SchedulingObserver = _Silent()

    # -- roster ------------------------------------------------------------------------
    def register_staff(
        self,
        municipality: str,
        staff_id: str,
        role: str,
        work_starts: str,
        work_ends: str,
        weekly_capacity_hours: int,
        idempotency: IdempotentRequest | None = None,
    ) -> StaffMember:
        if self._get(StaffMember.id_for(municipality, staff_id)) is not None:
            raise AlreadyRegistered(f"{staff_id!r} is already on the roster")
        member = StaffMember(
            municipality=municipality,
            staff_id=staff_id,
            role=role,
            work_starts=work_starts,
            work_ends=work_ends,
            weekly_capacity_hours=weekly_capacity_hours,
        )
        self.save(member, idempotency.record(member.id, 201) if idempotency else None)
        return member

    def seed_default_roster(self) -> int:
        """Register the default Network Centre roster where it is missing; returns how many were added."""
        added = 0
        for municipality, roles in DEFAULT_ROSTER.items():
            for role, count in roles:
                for n in range(1, count + 1):
                    staff_id = f"{municipality}-{role.replace('_', '-')}-{n}"
                    if self._get(StaffMember.id_for(municipality, staff_id)) is None:
                        try:
                            self.register_staff(municipality, staff_id, role, "08:00", "16:30", 40)
                        except IntegrityError:
                            continue  # another replica seeded it at the same moment
                        added += 1
        return added

    def remove_staff(self, municipality: str, staff_id: str) -> None:
        member = self._staff_member(municipality, staff_id)
        member.remove()
        self.save(member)

    def roster(self, municipality: str) -> list[StaffRow]:
        return [row for row in self._staff.rows() if row.municipality == municipality and row.active]

    def _staff_member(self, municipality: str, staff_id: str) -> StaffMember:
        member = self._get(StaffMember.id_for(municipality, staff_id))
        if member is None or not member.active:
            raise NotFound(f"no staff member {staff_id!r} on the roster")
        return member

    # -- the staff meeting ---------------------------------------------------------------
    def convene_staff_meeting(
        self,
        referral_id: str,
        target: str,
        case_id: str,
        municipality: str,
        child_status: str,
        case_worker_id: str,
        referred_at: datetime,
        tracking: Tracking | None = None,
    ) -> None:
        """Within 7 calendar days of a referral to the Network Centre, when everyone needed is free."""
        if target != "network_centre" or self._get(Meeting.id_for_referral(referral_id)) is not None:
            self.save(tracking=tracking)
            return
        referred_local = referred_at.astimezone(LOCAL).replace(tzinfo=None)
        deadline = referred_local + STAFF_MEETING_DEADLINE
        roster = self.roster(municipality)
        if not any(row.role == "coordinator" for row in roster):
            self.save(tracking=tracking)  # no Network Centre roster in this municipality: nothing to convene
            return
        groups = _staff_meeting_groups(roster, child_status, case_worker_id)
        slot = find_slot(
            groups,
            {r.staff_id: r.hours for r in roster},
            self._busy(municipality),
            max(referred_local, self.clock()),
            deadline,
            STAFF_MEETING_LENGTH,
        )
        others = ["case_worker"] if case_worker_id not in {r.staff_id for r in roster} else []
        meeting = Meeting(
            municipality=municipality,
            case_id=case_id,
            kind="staff_meeting",
            start=slot.start,
            end=slot.end,
            staff_ids=slot.attendees,
            other_participants=tuple(others),
            referral_id=referral_id,
            deadline=deadline,
            series_id=None,
            actor="system:scheduling",
        )
        self.save(meeting, tracking=tracking)
        days = (slot.start - referred_local).total_seconds() / 86400
        self.observer.staff_meeting_convened(municipality, days, slot.within_deadline)
        self.observer.meeting_changed(municipality, "staff_meeting", "booked")

    def cancel_staff_meeting(self, referral_id: str, reason: str, tracking: Tracking | None = None) -> None:
        meeting = self._get(Meeting.id_for_referral(referral_id))
        if meeting is not None and meeting.is_open:
            meeting.cancel(reason, "system:scheduling")
            self.observer.meeting_changed(meeting.municipality, meeting.kind, "cancelled")
        self.save(meeting, tracking=tracking)

    # -- other meetings ------------------------------------------------------------------
    def book_meetings(
        self,
        municipality: str,
        case_id: str,
        kind: str,
        start: datetime,
        end: datetime,
        staff_ids: tuple[str, ...],
        other_participants: tuple[str, ...],
        actor: str,
        repeat_weeks: int = 0,
        occurrences: int = 1,
        idempotency: IdempotentRequest | None = None,
    ) -> list[Meeting]:
        """Book one meeting, or a series every ``repeat_weeks`` weeks; all or nothing."""
        for staff_id in staff_ids:
            self._staff_member(municipality, staff_id)
        series_id = str(uuid4()) if occurrences > 1 else None
        step = timedelta(weeks=repeat_weeks or 1)
        meetings = []
        for n in range(occurrences):
            begins, ends = start + n * step, end + n * step
            self._refuse_double_booking(municipality, staff_ids, begins, ends, None)
            meetings.append(
                Meeting(
                    municipality=municipality,
                    case_id=case_id,
                    kind=kind,
                    start=begins,
                    end=ends,
                    staff_ids=staff_ids,
                    other_participants=other_participants,
                    referral_id=None,
                    deadline=None,
                    series_id=series_id,
                    actor=actor,
                )
            )
        self.save(*meetings, idempotency.record(meetings[0].id, 201) if idempotency else None)
        self.observer.meeting_changed(municipality, kind, "booked")
        return meetings

    def reschedule(
        self,
        meeting_id: UUID,
        start: datetime,
        end: datetime,
        actor: str,
        idempotency: IdempotentRequest | None = None,
    ) -> Meeting:
        meeting = self.meeting(meeting_id)
        self._refuse_double_booking(meeting.municipality, meeting.staff_ids, start, end, meeting_id)
        meeting.reschedule(start, end, actor)
        return self._save_change(meeting, "rescheduled", idempotency)

    def cancel(
        self, meeting_id: UUID, reason: str, actor: str, idempotency: IdempotentRequest | None = None
    ) -> Meeting:
        meeting = self.meeting(meeting_id)
        meeting.cancel(reason, actor)
        return self._save_change(meeting, "cancelled", idempotency)

    def record_attendance(
        self,
        meeting_id: UUID,
        attended: tuple[str, ...],
        outcome: str,
        actor: str,
        idempotency: IdempotentRequest | None = None,
    ) -> Meeting:
        meeting = self.meeting(meeting_id)
        meeting.record_attendance(attended, outcome, actor)
        return self._save_change(meeting, "held", idempotency)

    def _save_change(self, meeting: Meeting, change: str, idempotency: IdempotentRequest | None) -> Meeting:
        self.save(meeting, idempotency.record(meeting.id, 200) if idempotency else None)
        self.observer.meeting_changed(meeting.municipality, meeting.kind, change)
        return meeting

    def _refuse_double_booking(
        self,
        municipality: str,
        staff_ids: tuple[str, ...],
        start: datetime,
        end: datetime,
        ignore: UUID | None,
    ) -> None:
        for row in self._open_meetings(municipality):
            if row.meeting_id == ignore or not overlaps(start, end, row.start, row.end):
                continue
            clash = sorted(set(staff_ids) & set(row.staff_ids))
            if clash:
                raise DoubleBooking(f"already booked at that time: {', '.join(clash)}")

    # -- reading -------------------------------------------------------------------------
    def meeting(self, meeting_id: UUID) -> Meeting:
        meeting = self._get(meeting_id)
        if not isinstance(meeting, Meeting):
            raise NotFound("no such meeting")
        return meeting

    def schedule_of_staff(self, municipality: str, staff_id: str) -> list[MeetingRow]:
        self._staff_member(municipality, staff_id)
        return sorted(
            (r for r in self._meetings.rows() if r.municipality == municipality and staff_id in r.staff_ids),
            key=lambda r: r.start,
        )

    def schedule_of_case(self, municipality: str, case_id: str) -> list[MeetingRow]:
        return sorted(
            (r for r in self._meetings.rows() if r.municipality == municipality and r.case_id == case_id),
            key=lambda r: r.start,
        )

    def case_owner(self, case_id: str) -> str | None:
        return next((r.municipality for r in self._meetings.rows() if r.case_id == case_id), None)

    def _open_meetings(self, municipality: str) -> list[MeetingRow]:
        return [
            r
            for r in self._meetings.rows()
            if r.municipality == municipality and r.status in ("booked", "rescheduled")
        ]

    def _busy(self, municipality: str) -> dict[str, list[tuple[datetime, datetime]]]:
        busy: dict[str, list[tuple[datetime, datetime]]] = {}
        for row in self._open_meetings(municipality):
            for staff_id in row.staff_ids:
                busy.setdefault(staff_id, []).append((row.start, row.end))
        return busy

    def _get(self, aggregate_id: Any) -> Any:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None


def _staff_meeting_groups(roster: list[StaffRow], child_status: str, case_worker_id: str) -> list[list[str]]:
    """Who must attend: the coordinator, a family therapist or pedagogue, a parent supporter when
    the child is placed, the responsible case worker and the resource team (those on the roster)."""
    by_role: dict[str, list[str]] = {}
    for row in roster:
        by_role.setdefault(row.role, []).append(row.staff_id)
    groups = [
        by_role.get("coordinator", []),
        by_role.get("family_therapist", []) + by_role.get("family_pedagogue", []),
    ]
    if child_status == "placed":
        groups.append(by_role.get("parent_supporter", []))
    if any(row.staff_id == case_worker_id for row in roster):
        groups.append([case_worker_id])
    if by_role.get("resource_team"):
        groups.append(by_role["resource_team"])
    return groups
