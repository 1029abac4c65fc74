"""The places a home keeps for accepted offers: the part of ``FamilyHome`` that holds places.

An accepted offer holds one place until the requester's placement for that case arrives (the hold
becomes a resident) or the hold lapses; a held place is not free, so it cannot be offered or accepted
again (ADR 0022).  Its events are stored under this module's topics.
"""

from __future__ import annotations

from datetime import datetime

from eventsourcing.domain import Aggregate, event


class NoPlaceToHold(Exception):
    """The offered home has no free place left to hold for the accepted offer."""


class PlaceHolds(Aggregate):
    class Held(Aggregate.Event):
        request_id: str
        municipality: str
        case_id: str
        until: datetime

    class HoldReleased(Aggregate.Event):
        request_id: str
        why: str  # "placed" or "lapsed"

    holds: dict[str, tuple[str, str, datetime]]  # request id -> (placer, case id, until)

    def is_held_for(self, municipality: str) -> bool:
        return any(holder == municipality for holder, _, _ in self.holds.values())

    def release_hold_of(self, municipality: str, case_id: str) -> bool:
        """The case's placement arrived: its place is now a resident's, no longer a hold's."""
        mine = [r for r, (m, c, _) in self.holds.items() if (m, c) == (municipality, case_id)]
        for request_id in mine:
            self._hold_released(request_id, "placed")
        return bool(mine)

    def lapse_holds(self, now: datetime) -> bool:
        """Release every hold whose time is up; True when one was released."""
        lapsed = [request_id for request_id, (_, _, until) in self.holds.items() if until <= now]
        for request_id in lapsed:
            self._hold_released(request_id, "lapsed")
        return bool(lapsed)

    def hold(self, request_id: str, municipality: str, case_id: str, until: datetime) -> None:
        """Keep a place for an accepted offer's placement until ``until``."""
        if not self.can_be_offered():
            raise NoPlaceToHold("the home has no free place any more")
        self._held(request_id, municipality, case_id, until)

    def can_be_offered(self) -> bool:
        raise NotImplementedError

    @event(Held)
    def _held(self, request_id: str, municipality: str, case_id: str, until: datetime) -> None:
        self.holds[request_id] = (municipality, case_id, until)

    @event(HoldReleased)
    def _hold_released(self, request_id: str, why: str) -> None:
        del self.holds[request_id]
