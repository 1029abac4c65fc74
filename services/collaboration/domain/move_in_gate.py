"""Where a case's placements moving into pool homes and the case's protection meet (ADR 0032).

A placement moves into a home of the pool from a placement record (``ext.placements.v1``), and the
case's protection may be said by a referral (the referrals topic): two topics, so two replicas may
handle them at the same moment, each not seeing what the other has not yet stored.  Then a child
moved in unprotected, not seeing the protection, and the protection, not seeing the child in the
home, left the home visible to partners for good.  One small aggregate per (municipality, case id)
is the point they meet: a move-in goes through the gate, the protection marks it protected, each in
the transaction that stores the rest of its work.  Two such writers store the gate's same next
version, the store lets only one through, and the other runs again on what the first stored (the
kit's applier).  Stores older than the gate have none: it is made by whichever comes first.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class MoveInGate(Aggregate):
    class Started(Aggregate.Created):
        municipality: str
        case_id: str

    class MovedIn(Aggregate.Event):
        """A placement of the case moved into a home of the pool."""

        placement_id: str
        home_id: UUID

    class Protected(Aggregate.Event):
        """The case's child is protected: every later move-in is a protected one (one way)."""

    @staticmethod
    def id_for(municipality: str, case_id: str) -> UUID:
        return stable_id("collaboration", "move-in-gate", municipality, case_id)

    @classmethod
    def create_id(cls, municipality: str, case_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, case_id)

    @event(Started)
    def __init__(self, municipality: str, case_id: str) -> None:
        self.municipality, self.case_id = municipality, case_id
        self.is_protected = False

    def move_in(self, placement_id: str, home_id: UUID) -> bool:
        """Note the placement's move-in; whether the gate knows the case is protected."""
        self._moved_in(placement_id, home_id)
        return self.is_protected

    def protect(self) -> None:
        """Every later move-in is protected; protected already, it stays as it is."""
        if not self.is_protected:
            self._protected()

    @event(MovedIn)
    def _moved_in(self, placement_id: str, home_id: UUID) -> None:
        pass  # the new version is the point: a protection stored meanwhile conflicts with it

    @event(Protected)
    def _protected(self) -> None:
        self.is_protected = True
