"""Which placements of a case are a wait in an emergency home (jourhem) now, as its placement
records say, whether the home is in the pool or not (ADR 0022, addendum "a wait known before the
match").

A place an accepted offer holds for a lasting placement is kept by the case's wait (``outlasts``),
whichever came first: the wait or the acceptance.  The acceptance cannot learn of a wait from the
homes of the pool (an emergency home is often the municipality's own, never registered, and a home
does not record a placement's type), so the case's records are remembered here: a placement's
jourhem record, and any change or end (it may come before its placement's start, and the start
must then say nothing), so a case whose placements only ever started elsewhere stores nothing.  A
start of a placement already known is a repeat or late; an end is final; a change older than the
latest record of the placement (a re-sent earlier record: the contract carries no sequence, the
CloudEvent's ``time`` says when it happened) changes nothing.  Every ``time`` carries a UTC
offset (the envelope refuses one without), so the times compare.  The acceptance of a match for
the case is written here too (``MatchAccepted``), so that it and a record of the case handled at
the same moment by two replicas conflict, and the one stored last runs again on what the other
stored (ADR 0014's addendum).  Internal: never published, never told to partners; one per
(municipality, case id), never across municipalities.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.collaboration.domain.place_holds import TEMPORARY
from services.kit.domain.ids import stable_id

WAITING, OVER, ENDED = "waiting", "over", "ended"  # a jourhem now; a lasting one now; ended
START, CHANGE, END = "started", "changed", "ended"  # the kind of record


def said(record: str, placement_type: str) -> str:
    """What one record says of its placement."""
    if record == END:
        return ENDED
    return WAITING if placement_type == TEMPORARY else OVER


class EmergencyWaits(Aggregate):
    class Started(Aggregate.Created):
        municipality: str
        case_id: str

    class Noted(Aggregate.Event):
        placement_id: str
        state: str  # WAITING, OVER or ENDED
        said_at: datetime  # the record's time

    class MatchAccepted(Aggregate.Event):
        """A match for the case was accepted: written so that it serialises with the case's records."""

        request_id: str

    @staticmethod
    def id_for(municipality: str, case_id: str) -> UUID:
        return stable_id("collaboration", "emergency-waits", municipality, case_id)

    @classmethod
    def create_id(cls, municipality: str, case_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, case_id)

    @event(Started)
    def __init__(self, municipality: str, case_id: str) -> None:
        self.municipality, self.case_id = municipality, case_id
        self.placements: dict[str, tuple[str, datetime]] = {}  # placement id -> (state, said at)
        self.emergencies: set[str] = set()  # the placements a start or change said were a jourhem

    @property
    def waiting_in(self) -> str | None:
        """The placement the child waits in now (the latest said, should two be): None if none."""
        waits = [(at, p) for p, (state, at) in self.placements.items() if state == WAITING]
        return max(waits)[1] if waits else None

    def waits(self, placement_id: str) -> bool:
        return self.placements.get(placement_id, ("", None))[0] == WAITING

    def has_ended(self, placement_id: str) -> bool:
        """An end of the placement came, whether or not it was ever in the pool."""
        return self.placements.get(placement_id, ("", None))[0] == ENDED

    def note(self, record: str, placement_id: str, placement_type: str, said_at: datetime) -> bool:
        """What one more record of the case says; True when it changed what is remembered."""
        state, known = said(record, placement_type), self.placements.get(placement_id)
        if known is None:  # a start never a jourhem is not remembered; a change or end may come first
            news = state == WAITING or record != START
        else:
            news = record != START and known[0] != ENDED and known[1] <= said_at and known[0] != state
        if news:
            self._noted(placement_id, state, said_at)
        return news

    def match_accepted(self, request_id: str) -> None:
        """The case's acceptance reads what is remembered: its write makes a record of the case
        stored in the same moment conflict with it."""
        self._match_accepted(request_id)

    @event(Noted)
    def _noted(self, placement_id: str, state: str, said_at: datetime) -> None:
        self.placements[placement_id] = (state, said_at)
        if state == WAITING:
            self.emergencies.add(placement_id)

    @event(MatchAccepted)
    def _match_accepted(self, request_id: str) -> None:
        """Nothing to remember: the match is the request's and the home's."""
