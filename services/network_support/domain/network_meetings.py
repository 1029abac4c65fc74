"""The network meetings of a case as scheduling announced them.

A safety-scale reading that names a meeting must name one of these: a network meeting of
the same case, not cancelled, and dated the day it takes place.  One held is the case's
safety-plan follow-up on its day.  Scheduling owns the meetings; this is network_support's
record of what it was told (booked, moved, cancelled, held), kept idempotent because a
republished topic delivers the same facts again.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class MeetingReferenceError(Exception):
    """A safety-scale reading names a meeting it cannot come from."""


class UnknownMeeting(MeetingReferenceError):
    """No network meeting with that id for this case (scheduling may not have told us yet)."""


class MeetingCancelled(MeetingReferenceError):
    """The named network meeting was cancelled: no reading can come from it."""


class NotOnMeetingDay(MeetingReferenceError):
    """A reading from a meeting is dated the day the meeting takes place."""


class NetworkMeetings(Aggregate):
    class Started(Aggregate.Created):
        municipality: str
        case_id: str

    class Booked(Aggregate.Event):
        meeting_id: str
        on: date

    class Moved(Aggregate.Event):
        meeting_id: str
        on: date

    class Cancelled(Aggregate.Event):
        meeting_id: str

    class Held(Aggregate.Event):
        meeting_id: str

    @staticmethod
    def id_for(municipality: str, case_id: str) -> UUID:
        return stable_id("network_support", "network-meetings", municipality, case_id)

    @classmethod
    def create_id(cls, municipality: str, case_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, case_id)

    @event(Started)
    def __init__(self, municipality: str, case_id: str) -> None:
        self.municipality = municipality
        self.case_id = case_id
        self.meetings: dict[str, dict[str, object]] = {}

    # -- what scheduling said; a repeated announcement changes nothing ------------------------
    def note_booked(self, meeting_id: str, on: date) -> None:
        if meeting_id not in self.meetings:
            self._booked(meeting_id, on)

    def note_moved(self, meeting_id: str, on: date) -> None:
        known = self.meetings.get(meeting_id)
        if known is None:
            self._booked(meeting_id, on)  # the booking came before this service listened
        elif known["on"] != on and not known["cancelled"] and not known.get("held"):
            self._moved(meeting_id, on)  # once held, its day is final: a later move is a stale record

    def note_cancelled(self, meeting_id: str) -> None:
        known = self.meetings.get(meeting_id)
        if known is not None and not known["cancelled"]:
            self._cancelled(meeting_id)
        # one never known stays unknown: a reading naming it is refused either way

    def note_held(self, meeting_id: str, on: date | None = None) -> date | None:
        """The day the meeting was held, the first time it is told of one not cancelled; else None.

        ``on`` is the day the held record says it started: scheduling's last word, so it is the
        day even when the booking or move kept here says another (a later move never arrived).
        Records published before they said it leave it None: then only a booking kept here dates
        the meeting, and one whose booking never arrived stays unknown rather than be dated by
        when its attendance was recorded."""
        if self.meetings.get(meeting_id, {}).get("held"):
            return None
        if on is not None:
            self.note_moved(meeting_id, on)
        known = self.meetings.get(meeting_id)
        if known is None or known["cancelled"]:
            return None
        self._held(meeting_id)
        return known["on"]  # type: ignore[return-value]

    # -- the rule for readings ------------------------------------------------------------------
    def check_reading(self, meeting_id: str, on: date) -> None:
        """Refuse a reading dated ``on`` from ``meeting_id`` unless it can have come from it."""
        known = self.meetings.get(meeting_id)
        if known is None:
            raise UnknownMeeting("meeting_id names no network meeting known for this case")
        if known["cancelled"]:
            raise MeetingCancelled("the network meeting named was cancelled")
        if known["on"] != on:
            raise NotOnMeetingDay(
                f"the network meeting is on {known['on']}; a reading from it is dated that day"
            )

    @event(Booked)
    def _booked(self, meeting_id: str, on: date) -> None:
        self.meetings[meeting_id] = {"on": on, "cancelled": False}

    @event(Moved)
    def _moved(self, meeting_id: str, on: date) -> None:
        self.meetings[meeting_id]["on"] = on

    @event(Cancelled)
    def _cancelled(self, meeting_id: str) -> None:
        self.meetings[meeting_id]["cancelled"] = True

    @event(Held)
    def _held(self, meeting_id: str) -> None:
        self.meetings[meeting_id]["held"] = True  # set only once held: earlier records lack it
