"""One staff member's bookings on one local day: the store's guard against double booking.

Every booking adds its time to each participant's ``PersonDay`` in the same transaction
as the meeting, and is refused if it overlaps a time already there.  The id is stable
(municipality, staff id, date), so two writers who book the same person on the same day
write the same aggregate: the second to store conflicts on its version and retries with
what the first stored (ADR 0021).  Times are instants (aware, UTC).
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id
from services.scheduling.domain.busy_times import overlaps
from services.scheduling.domain.meeting import MeetingError


class PersonBusy(MeetingError):
    """The person already has a meeting at that time."""


class PersonDay(Aggregate):
    class Opened(Aggregate.Created):
        municipality: str
        staff_id: str
        day: date

    class Booked(Aggregate.Event):
        meeting_id: str
        starts_at: datetime
        ends_at: datetime

    class Freed(Aggregate.Event):
        meeting_id: str

    @staticmethod
    def id_for(municipality: str, staff_id: str, day: date) -> UUID:
        return stable_id("person-day", municipality, staff_id, day.isoformat())

    @classmethod
    def create_id(cls, municipality: str, staff_id: str, day: date, **_: object) -> UUID:
        return cls.id_for(municipality, staff_id, day)

    @event(Opened)
    def __init__(self, municipality: str, staff_id: str, day: date) -> None:
        self.municipality = municipality
        self.staff_id = staff_id
        self.day = day
        self.booked: dict[str, tuple[datetime, datetime]] = {}

    def is_free(self, starts_at: datetime, ends_at: datetime, meeting_id: str = "") -> bool:
        """Whether nothing but ``meeting_id`` itself is booked at any moment of the time."""
        return not any(
            overlaps(starts_at, ends_at, start, end)
            for booked_id, (start, end) in self.booked.items()
            if booked_id != meeting_id
        )

    def intervals(self) -> list[tuple[datetime, datetime]]:
        return list(self.booked.values())

    def book(self, meeting_id: str, starts_at: datetime, ends_at: datetime) -> None:
        """Book (or move, for a meeting already here) the time; refused if it overlaps another."""
        if not self.is_free(starts_at, ends_at, meeting_id):
            raise PersonBusy("already booked at that time")
        self._booked(meeting_id, starts_at, ends_at)

    def free(self, meeting_id: str) -> None:
        if meeting_id in self.booked:
            self._freed(meeting_id)

    @event(Booked)
    def _booked(self, meeting_id: str, starts_at: datetime, ends_at: datetime) -> None:
        self.booked[meeting_id] = (starts_at, ends_at)

    @event(Freed)
    def _freed(self, meeting_id: str) -> None:
        del self.booked[meeting_id]
