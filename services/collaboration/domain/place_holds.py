"""The places a home keeps for accepted offers: the part of ``FamilyHome`` that holds places.

An accepted offer holds one place for its case until the requester's placement for that case
arrives (the hold becomes a resident, but a protected case's, which ends at its own time, ADR 0009;
placed anywhere else, the place comes free, unless the child
only waits in an emergency home: ``outlasts``), the case's care ends (``ends_care``), the requester
gives it back, or the hold lapses; a held place is not free, so it cannot be offered or accepted
again (ADR 0022).  Its events are stored under this module's topics.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from eventsourcing.domain import Aggregate, event

TEMPORARY = "jourhem"  # emergency foster home: temporary care, not where a placement is meant to last


def outlasts(asked_for: str, placed_as: str) -> bool:
    """A place held for a lasting placement outlasts the case's temporary (jourhem) placement in
    another home: the child waits there while the matched home gets ready.  A place held for an
    emergency placement does not: the child found its emergency home elsewhere."""
    return placed_as == TEMPORARY and asked_for != TEMPORARY


def ends_care(end_reason: str) -> bool:
    """An end that says the child's care is over (home again, or aged out of care) leaves no wait
    for a held place to outlast.  An end a new placement follows (a re-placement, a breakdown) or
    one that does not say (other) leaves the held place to that placement's record: it takes the
    place (the held home), frees it (a lasting home elsewhere) or keeps it (another emergency home)."""
    return end_reason in ("home_return", "age_out")


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
        why: str  # "placed", "placed_elsewhere", "care_ended", "given_back" or "lapsed"

    class HoldKept(Aggregate.Event):
        """A jourhem placement of the case kept the held place (``outlasts``): the child waits."""

        request_id: str
        placing_municipality: str
        placement_id: str

    holds: dict[str, tuple[str, str, datetime]]  # request id -> (placer, case id, until)

    @property
    def kept_by(self) -> dict[str, tuple[str, str]]:
        """Request id -> (placing municipality, placement id) of the wait that kept its place; set
        here, not in ``__init__``, since homes stored (or snapshotted) before it have none."""
        return vars(self).setdefault("_kept_by", {})

    @property
    def taken_by_its_case(self) -> set[str]:
        """Request ids whose held place its case's move-in took without ending the hold (a protected
        case's, which ends at its own time: ADR 0009); set here, as homes stored before have none."""
        return vars(self).setdefault("_taken_holds", set())

    def _case_moved_in(self, placer: str, case_id: str) -> None:
        self.taken_by_its_case.update(self.holds_of(placer, case_id))

    def is_held_for(self, municipality: str, case_id: str, now: datetime) -> bool:
        """A place is held for that case at ``now``: for its case only, never for another case of the
        same municipality; one past its time is gone, though the periodic sweep that records the
        lapse may not have come yet."""
        return any((m, c) == (municipality, case_id) and now < until for m, c, until in self.holds.values())

    def holds_of(self, municipality: str, case_id: str) -> list[str]:
        """The request ids of the accepted offers that hold a place here for the case."""
        return [r for r, (m, c, _) in self.holds.items() if (m, c) == (municipality, case_id)]

    def release_hold_of(
        self, municipality: str, case_id: str, why: str = "placed", keeping: Collection[str] = ()
    ) -> bool:
        """The case's placement arrived: here its place is now a resident's, no longer a hold's;
        in another home (``placed_elsewhere``) the place comes free, but for the holds of the
        requests in ``keeping`` (see ``outlasts``)."""
        mine = [r for r in self.holds_of(municipality, case_id) if r not in keeping]
        for request_id in mine:
            self._hold_released(request_id, why)
        return bool(mine)

    def keep_hold(self, request_id: str, municipality: str, placement_id: str) -> bool:
        """The placement ``placement_id`` of ``municipality`` is the wait the held place outlasts."""
        if request_id not in self.holds or self.kept_by.get(request_id) == (municipality, placement_id):
            return False
        self._hold_kept(request_id, municipality, placement_id)
        return True

    def release_kept_by(self, municipality: str, placement_id: str, why: str) -> bool:
        """The wait ``placement_id`` ended: the places it kept come free; none other does."""
        mine = [r for r, kept in self.kept_by.items() if kept == (municipality, placement_id)]
        for request_id in mine:
            self._hold_released(request_id, why)
        return bool(mine)

    def give_back(self, request_id: str, now: datetime) -> bool:
        """The requester gives back the place its accepted offer holds; False when none is held
        at ``now`` (its placement took it, or the hold lapsed): also while the hold outlives its
        protected case's move-in, as giving back a place the child took is refused to any case."""
        held = self.holds.get(request_id)
        if held is None or held[2] <= now or request_id in self.taken_by_its_case:
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
        if not self.takes_a_hold():
            raise NoPlaceToHold("the home has no free place any more")
        self._held(request_id, municipality, case_id, until)

    # What partners are told of the home's places: ``PartnerView``.
    def takes_a_hold(self) -> bool:
        raise NotImplementedError

    def _told(self) -> None:
        raise NotImplementedError

    def _hold_ended(self, case: tuple[str, str], why: str) -> None:
        raise NotImplementedError

    @event(Held)
    def _held(self, request_id: str, municipality: str, case_id: str, until: datetime) -> None:
        self.holds[request_id] = (municipality, case_id, until)
        self._told()

    @event(HoldKept)
    def _hold_kept(self, request_id: str, placing_municipality: str, placement_id: str) -> None:
        self.kept_by[request_id] = (placing_municipality, placement_id)

    @event(HoldReleased)
    def _hold_released(self, request_id: str, why: str) -> None:
        municipality, case_id, _ = self.holds.pop(request_id)
        self.kept_by.pop(request_id, None)
        self._hold_ended((municipality, case_id), why)
