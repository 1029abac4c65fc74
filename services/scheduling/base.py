"""What every group of scheduling use cases shares: the store, its indexes, the clock, the observer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound, CaseRef, CaseRefusal
from services.kit.domain.swedish_time import LOCAL
from services.kit.index import CatchUpIndex
from services.kit.store import ServiceApplication
from services.scheduling.domain.local_time import stored_instant, wall_clock_of
from services.scheduling.domain.meeting import Meeting, MeetingError
from services.scheduling.domain.slot_finder import week_of
from services.scheduling.domain.staff_member import StaffMember, StaffMemberRemoved
from services.scheduling.meeting_index import MeetingIndex
from services.scheduling.read_models import (
    PROTECTED_CASE_EVENTS,
    STAFF_EVENTS,
    UNBOOKED_EVENTS,
    MeetingRow,
    StaffRow,
    fold_protected_case,
    fold_staff,
    fold_unbooked,
)

Interval = tuple[datetime, datetime]


class SchedulingObserver(Protocol):
    def staff_meeting_convened(
        self, municipality: str, days_after_referral: float, in_time: bool
    ) -> None: ...

    def staff_meeting_moved_past_deadline(self, municipality: str) -> None: ...

    def meeting_changed(self, municipality: str, kind: str, change: str) -> None: ...

    def staff_meeting_unbooked(self, municipality: str) -> None: ...


class _Silent:
    def staff_meeting_convened(self, municipality: str, days_after_referral: float, in_time: bool) -> None:
        pass

    def staff_meeting_moved_past_deadline(self, municipality: str) -> None:
        pass

    def meeting_changed(self, municipality: str, kind: str, change: str) -> None:
        pass

    def staff_meeting_unbooked(self, municipality: str) -> None:
        pass


def local_now() -> datetime:
    return datetime.now(LOCAL).replace(tzinfo=None)


class SchedulingBase(ServiceApplication):
    name = "scheduling"

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._meetings = MeetingIndex(self)
        self._staff = CatchUpIndex(self, fold_staff, events=STAFF_EVENTS)
        self._unbooked = CatchUpIndex(self, fold_unbooked, events=UNBOOKED_EVENTS)
        self._protected = CatchUpIndex(self, fold_protected_case, events=PROTECTED_CASE_EVENTS)
        self.clock: Callable[[], datetime] = local_now
        self.observer: SchedulingObserver = _Silent()

    # -- the roster ----------------------------------------------------------------------
    def refuse_caller(self, caller: Caller) -> None:
        """One removed from the roster may still hold a valid JWT (up to 12 hours, or until the
        identity provider catches up): the roster is the newer word, so nothing more is taken from
        them, command or read (ADR 0026).  A caller never on the roster is nobody's business here."""
        if self._removed_from_roster(caller.municipality, caller.subject):
            raise StaffMemberRemoved(
                "you were removed from the roster: scheduling takes nothing more from you"
            )

    def _removed_from_roster(self, municipality: str, staff_id: str) -> bool:
        member = self._get(StaffMember.id_for(municipality, staff_id))
        return isinstance(member, StaffMember) and not member.active

    def _active_staff(self, municipality: str) -> list[StaffRow]:
        return [row for row in self._staff.rows() if row.municipality == municipality and row.active]

    def _staff_member(self, municipality: str, staff_id: str) -> StaffMember:
        """An active member of ``municipality``'s roster; any other is simply not there."""
        member = self._get(StaffMember.id_for(municipality, staff_id))
        if not isinstance(member, StaffMember) or not member.active:
            raise CaseDataNotFound()
        return member

    # -- meetings ------------------------------------------------------------------------
    def _owned_meeting(self, caller: Caller, meeting_id: UUID) -> Meeting:
        """The caller's municipality's meeting; another's is refused before any rule runs on it."""
        if not isinstance(self._get(meeting_id), Meeting):
            raise CaseDataNotFound()  # no meeting (ids of other aggregates are not meetings either)
        return self.owned(meeting_id, caller.municipality)

    @contextmanager
    def _refusals_told(self, meeting: Meeting) -> Iterator[Meeting]:
        """A rule of the caller's own meeting refusing a command (held, not begun) tells them of
        its case: the kit logs the refusal as a read of the case before answering it."""
        try:
            yield meeting
        except MeetingError as refusal:
            raise CaseRefusal(CaseRef(meeting.municipality, meeting.case_id), refusal) from refusal

    def _meeting_rows(self, municipality: str) -> list[MeetingRow]:
        """``municipality``'s meetings in order of start."""
        return sorted(
            (row for row in self._meetings.rows() if row.municipality == municipality), key=_by_start
        )

    def _protected_cases(self, municipality: str) -> set[str]:
        """Cases with a child of protected identity: one meeting, one note of an unbooked staff
        meeting or one placement recorded on a referral that says so speaks for the case."""
        said = [(row.municipality, row.case_id) for row in self._meetings.rows() if row.protected_identity]
        said += [
            (n.municipality, n.case_id)
            for n in (r.noted for r in self._unbooked.rows())
            if n.protected_identity
        ]
        said += self._protected.rows()
        return {case_id for of, case_id in said if of == municipality}

    def _open_meetings(self, municipality: str) -> list[MeetingRow]:
        """``municipality``'s open meetings in order of start: however many were held before."""
        return self._meetings.open_rows(municipality)

    def _busy(self, municipality: str, moved: UUID | None = None) -> dict[str, list[Interval]]:
        """When each staff member is in a meeting that fills a week still bookable: an open one, or
        one held from the current ISO week on (its hours were spent there; a cancelled one takes
        none).  What was held before counts for nothing: its week can take nothing more, and in a
        member's load overall it would weigh their whole history, so the finder's tie-break would
        favour the newest staff and this would grow with every meeting ever held.  A meeting being
        ``moved`` is not counted where it was (it would count twice against their capacity).  Only
        those meetings are read, so this costs what is upcoming, not the municipality's history."""
        this_week = week_of(self._wall_clock_now())
        busy: dict[str, list[Interval]] = {}
        for row in self._meetings.filling_weeks_from(municipality, this_week):
            if row.meeting_id == moved or not row.fills_weeks_from(this_week):
                continue
            for staff_id in row.staff_ids:
                busy.setdefault(staff_id, []).append((row.start, row.end))
        return busy

    def _wall_clock_now(self) -> datetime:
        """Now in local Swedish wall-clock time (the clock gives it so, or as an aware instant)."""
        return wall_clock_of(stored_instant(self.clock()))

    def _get(self, aggregate_id: Any) -> Any:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None


def _by_start(row: MeetingRow) -> datetime:
    return row.start
