"""A meeting about a case: staff meeting, network meeting, visitation session or home-return council.

Booked → (rescheduled)* → held or cancelled.  A staff meeting convened for a referral carries its
deadline (7 calendar days), whether it is missed and whether it ever was (then reported once, for
good).  ``start`` and ``end`` are local Swedish wall-clock times (naive); ``starts_at`` and
``ends_at`` the instants (UTC) they name, stored beside them since times became unambiguous
(``local_time``); a meeting stored before reads its wall-clock times as Europe/Stockholm.
``sequence`` counts the changes of the meeting (RFC 5545 SEQUENCE).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id
from services.scheduling.domain.deadline_day import ends_in_time
from services.scheduling.domain.local_time import stored_instant
from services.scheduling.domain.meeting_errors import (
    InvalidTimes,
    MeetingClosed,
    MeetingError,
    MeetingInThePast,
)
from services.scheduling.domain.meeting_times import check_times, meeting_times

__all__ = ["InvalidTimes", "Meeting", "MeetingClosed", "MeetingError", "MeetingInThePast"]


class Meeting(Aggregate):
    class Booked(Aggregate.Created):
        municipality: str
        case_id: str
        kind: str
        start: datetime
        end: datetime
        staff_ids: tuple[str, ...]
        other_participants: tuple[str, ...]
        referral_id: str | None
        deadline: datetime | None
        series_id: str | None
        starts_at: datetime | None = None  # absent in events stored before: read from start
        ends_at: datetime | None = None
        protected_identity: bool = False  # the child's: feeds then say nothing about the case

    # Who did it: the kit's stamp on every stored event (older ones carry an ``actor`` replay ignores).
    class Rescheduled(Aggregate.Event):
        start: datetime
        end: datetime
        starts_at: datetime | None = None
        ends_at: datetime | None = None

    class Cancelled(Aggregate.Event):
        reason: str

    class CaseWorkerChanged(Aggregate.Event):
        staff_ids: tuple[str, ...]
        other_participants: tuple[str, ...]

    class Invited(Aggregate.Event):  # one more invitee: a staff id (filling its role), or a role named
        staff_ids: tuple[str, ...]
        other_participants: tuple[str, ...]

    class Held(Aggregate.Event):
        attended: tuple[str, ...]
        outcome: str

    @staticmethod
    def id_for_referral(referral_id: str) -> UUID:
        """One staff meeting per referral, however often the referral is delivered."""
        return stable_id("staff-meeting", referral_id)

    @classmethod
    def create_id(cls, referral_id: str | None = None, **_: object) -> UUID:
        return cls.id_for_referral(referral_id) if referral_id else uuid4()

    @event(Booked)
    def __init__(
        self,
        municipality: str,
        case_id: str,
        kind: str,
        start: datetime,
        end: datetime,
        staff_ids: tuple[str, ...],
        other_participants: tuple[str, ...],
        referral_id: str | None,
        deadline: datetime | None,
        series_id: str | None,
        starts_at: datetime | None = None,
        ends_at: datetime | None = None,
        protected_identity: bool = False,
    ) -> None:
        self._set_times(start, end, starts_at, ends_at)
        self.protected_identity = protected_identity
        self.municipality, self.case_id, self.kind = municipality, case_id, kind
        self.staff_ids = tuple(staff_ids)
        self.other_participants = tuple(other_participants)
        self.referral_id, self.deadline = referral_id, deadline
        self.deadline_ever_missed = self.deadline_missed
        self.series_id = series_id
        self.status = "booked"
        self.attended: tuple[str, ...] = ()
        self.outcome: str | None = None

    times = staticmethod(meeting_times)

    @property
    def sequence(self) -> int:
        """0 when booked, raised by one on every change (the aggregate's version less one)."""
        return self.version - 1

    def starts_before(self, now: datetime) -> bool:
        return self.starts_at < stored_instant(now)

    @property
    def deadline_missed(self) -> bool:
        return self.deadline is not None and not ends_in_time(self.end, self.deadline)

    @property
    def is_open(self) -> bool:
        return self.status in ("booked", "rescheduled")

    def reschedule(self, start: datetime, end: datetime) -> None:
        """To new times: instants, or local wall-clock times that each name one instant."""
        self._require_open("reschedule")
        times = Meeting.times(start, end)
        check_times(times["starts_at"], times["ends_at"])
        self._rescheduled(**times)

    def change_case_worker(self, old: str | None, new: str | None) -> None:
        """Invite ``new`` (a staff id, or ``None``: named by role) in place of ``old``."""
        self._require_open("change the case worker of")
        staff = tuple(s for s in self.staff_ids if s != old) + ((new,) if new else ())
        others = tuple(p for p in self.other_participants if p != "case_worker")
        self._case_worker_changed(staff, others if new else (*others, "case_worker"))

    def invite(self, role: str, staff_id: str | None) -> None:
        """Invite ``staff_id`` as ``role`` (no longer named, if it was), or (``None``: nobody free) name it."""
        self._require_open("invite to")
        others = tuple(p for p in self.other_participants if p != role)  # named once, or filled
        staff = (*self.staff_ids, staff_id) if staff_id else self.staff_ids
        self._invited(staff, others if staff_id else (*others, role))

    def stand_down(self, staff_id: str, role: str) -> None:  # left the roster: their role named instead
        self._require_open("change who is invited to")
        others = tuple(p for p in self.other_participants if p != role)
        self._invited(tuple(s for s in self.staff_ids if s != staff_id), (*others, role))

    def cancel(self, reason: str) -> None:
        self._require_open("cancel")
        self._cancelled(reason)

    def record_attendance(self, attended: tuple[str, ...], outcome: str) -> None:
        self._require_open("record attendance of")
        self._held(tuple(attended), outcome)

    def _require_open(self, command: str) -> None:
        if not self.is_open:
            raise MeetingClosed(f"cannot {command} a meeting that is {self.status}")

    @event(Rescheduled)
    def _rescheduled(
        self,
        start: datetime,
        end: datetime,
        starts_at: datetime | None = None,
        ends_at: datetime | None = None,
    ) -> None:
        self._set_times(start, end, starts_at, ends_at)
        self.deadline_ever_missed = self.deadline_ever_missed or self.deadline_missed
        self.status = "rescheduled"

    def _set_times(
        self, start: datetime, end: datetime, starts_at: datetime | None, ends_at: datetime | None
    ) -> None:
        self.start, self.end = start, end
        self.starts_at, self.ends_at = stored_instant(start, starts_at), stored_instant(end, ends_at)
        check_times(self.starts_at, self.ends_at)

    @event(CaseWorkerChanged)
    def _case_worker_changed(self, staff_ids: tuple[str, ...], other_participants: tuple[str, ...]) -> None:
        self.staff_ids, self.other_participants = tuple(staff_ids), tuple(other_participants)

    @event(Invited)
    def _invited(self, staff_ids: tuple[str, ...], other_participants: tuple[str, ...]) -> None:
        self.staff_ids, self.other_participants = tuple(staff_ids), tuple(other_participants)

    @event(Cancelled)
    def _cancelled(self, reason: str) -> None:
        self.status = "cancelled"

    @event(Held)
    def _held(self, attended: tuple[str, ...], outcome: str) -> None:
        self.status = "held"
        self.attended = tuple(attended)  # stored as a JSON list
        self.outcome = outcome
