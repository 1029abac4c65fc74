"""The places a home keeps for accepted offers: the part of ``FamilyHome`` that holds places.

An accepted offer holds one place until the requester's placement for that case arrives (the hold
becomes a resident; placed in another home, the place comes free), the requester gives it back, or
the hold lapses; a held place is not free, so it cannot be offered or accepted again (ADR 0022).
Its events are stored under this module's topics.
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
        why: str  # "placed", "placed_elsewhere", "given_back" or "lapsed"

    holds: dict[str, tuple[str, str, datetime]]  # request id -> (placer, case id, until)

    def is_held_for(self, municipality: str, now: datetime) -> bool:
        """A place is held for ``municipality`` at ``now``: one past its time is gone, though the
        periodic sweep that records the lapse may not have come yet."""
        return any(holder == municipality and now < until for holder, _, until in self.holds.values())

    def release_hold_of(self, municipality: str, case_id: str, why: str = "placed") -> bool:
        """The case's placement arrived: here its place is now a resident's, no longer a hold's;
        in another home (``placed_elsewhere``) the place comes free."""
        mine = [r for r, (m, c, _) in self.holds.items() if (m, c) == (municipality, case_id)]
        for request_id in mine:
            self._hold_released(request_id, why)
        return bool(mine)

    def give_back(self, request_id: str, now: datetime) -> bool:
        """The requester gives back the place its accepted offer holds; False when none is held
        at ``now`` (its placement took it, or the hold lapsed)."""
        if request_id not in self.holds or self.holds[request_id][2] <= now:
            return False
        self._hold_released(request_id, "given_back")
        return True

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
