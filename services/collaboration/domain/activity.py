"""A shared activity: training, theme evening, mentor family or open-care programme, with seats.

A booking id is the booking municipality's own: a booking is (municipality, booking id), so two
municipalities may use the same id for two bookings.  Events stored before that held ids unique
across municipalities, and a ``BookingCancelled`` of theirs names the id alone.
"""

from __future__ import annotations

from datetime import datetime

from eventsourcing.domain import Aggregate, event

KINDS = ("training", "theme_evening", "mentor_family", "open_care_programme")


class ActivityError(Exception):
    """A rule of shared activities was broken."""


class NotEnoughSeats(ActivityError):
    """The booking would over-book the activity."""


class NotOpenToYou(ActivityError):
    """The activity is not open to the caller's municipality."""


class UnknownBooking(ActivityError):
    """No such booking of the caller's municipality."""


class ActivityCancelled(ActivityError):
    """A cancelled activity takes no bookings."""


class InvalidActivity(ActivityError):
    """The activity cannot be announced as given."""


class ActivityStarted(ActivityError):
    """An activity that has started (or is over) takes no bookings."""


class BookingChanged(ActivityError):
    """The booking id was used before for another number of seats."""


class SharedActivity(Aggregate):
    class Announced(Aggregate.Created):
        host: str
        kind: str
        title: str
        starts_at: datetime
        seats: int
        open_to: tuple[str, ...]

    class SeatsBooked(Aggregate.Event):
        booking_id: str
        municipality: str
        seats: int

    class BookingCancelled(Aggregate.Event):
        booking_id: str
        municipality: str = ""  # absent in events stored before: the one booking with that id

    class Cancelled(Aggregate.Event):
        pass

    @event(Announced)
    def __init__(
        self, host: str, kind: str, title: str, starts_at: datetime, seats: int, open_to: tuple[str, ...]
    ) -> None:
        self.host, self.kind, self.title, self.starts_at = host, kind, title, starts_at
        self.seats, self.open_to = seats, tuple(open_to)
        self.bookings: dict[tuple[str, str], int] = {}  # (municipality, booking id) -> seats
        self.cancelled = False

    @classmethod
    def announce(
        cls,
        host: str,
        kind: str,
        title: str,
        starts_at: datetime,
        seats: int,
        open_to: tuple[str, ...],
        now: datetime | None = None,
    ) -> SharedActivity:
        """A new activity; ``now`` (when given) must be before it starts."""
        if starts_at.utcoffset() is None:
            raise InvalidActivity("an activity's start needs an offset: it is seen in other municipalities")
        if now is not None and starts_at <= now:
            raise InvalidActivity("an activity must start in the future")
        if kind not in KINDS:
            raise InvalidActivity(f"kind must be one of {', '.join(KINDS)}")
        if seats < 1:
            raise InvalidActivity("an activity has at least one seat")
        partners = tuple(sorted(set(open_to) - {host}))
        return cls(host=host, kind=kind, title=title, starts_at=starts_at, seats=seats, open_to=partners)

    @property
    def seats_free(self) -> int:
        return self.seats - sum(self.bookings.values())

    def is_visible_to(self, municipality: str) -> bool:
        return municipality == self.host or municipality in self.open_to

    def book(self, booking_id: str, municipality: str, seats: int, now: datetime | None = None) -> None:
        """Book seats; the same booking again is a retry (nothing changes).  ``now`` (when given)
        must be before the activity starts."""
        if self.cancelled:
            raise ActivityCancelled("the activity is cancelled")
        if now is not None and self.starts_at <= now:
            raise ActivityStarted("the activity has already started: it takes no more bookings")
        if not self.is_visible_to(municipality):
            raise NotOpenToYou("the activity is not open to your municipality")
        if seats < 1:
            raise NotEnoughSeats("book at least one seat")
        booked = self.bookings.get((municipality, booking_id))
        if booked is not None:
            if booked != seats:
                raise BookingChanged("that booking id was used for another number of seats: send another")
            return  # the same booking again (a retried request)
        if seats > self.seats_free:
            raise NotEnoughSeats(f"only {self.seats_free} seat(s) left")
        self._seats_booked(booking_id, municipality, seats)

    def cancel_booking(self, booking_id: str, municipality: str) -> None:
        """Cancel the municipality's booking of that id; another municipality's is not its to name."""
        if (municipality, booking_id) not in self.bookings:
            raise UnknownBooking("no such booking of your municipality")
        self._booking_cancelled(booking_id, municipality)

    def cancel(self) -> None:
        if not self.cancelled:
            self._cancelled()

    def booker_of(self, booking_id: str, municipality: str = "") -> str:
        """Whose booking a cancellation names: ``municipality``, or in events stored before ids were
        scoped (no municipality), the one booking's with that id, as ids were unique then."""
        return municipality or next(m for m, b in self.bookings if b == booking_id)

    @event(SeatsBooked)
    def _seats_booked(self, booking_id: str, municipality: str, seats: int) -> None:
        self.bookings[(municipality, booking_id)] = seats

    @event(BookingCancelled)
    def _booking_cancelled(self, booking_id: str, municipality: str = "") -> None:
        del self.bookings[(self.booker_of(booking_id, municipality), booking_id)]

    @event(Cancelled)
    def _cancelled(self) -> None:
        self.cancelled = True
