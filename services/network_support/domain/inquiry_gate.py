"""Whether a network-placement inquiry of one case may still open (ADR 0032).

A case's inquiry opens from a placement record (``ext.placements.v1``) and its protection may be
said by a referral (the referrals topic) or by a record of another of its placements, which a
faulty producer may have put on another partition (ADR 0017's addendum on record keys): two
replicas may handle them at the same moment, each not seeing what the other has not yet stored.
One small aggregate per (municipality, case id) is the point they meet: opening an inquiry lets it
through the gate, every record saying the child is protected shuts the gate, each in the
transaction that stores the rest of its work.  Two such writers store the gate's same next
version, the store lets only one through, and the other runs again on what the first stored (the
kit's applier).  Stores older than the gate have none: it is made by whichever comes first.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class InquiryGate(Aggregate):
    class Started(Aggregate.Created):
        municipality: str
        case_id: str

    class LetThrough(Aggregate.Event):
        """An inquiry of the case opened (for the placement named)."""

        placement_id: str

    class Shut(Aggregate.Event):
        """The case's child is protected: no inquiry of it opens any more (one way)."""

    @staticmethod
    def id_for(municipality: str, case_id: str) -> UUID:
        return stable_id("network_support", "inquiry-gate", municipality, case_id)

    @classmethod
    def create_id(cls, municipality: str, case_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, case_id)

    @event(Started)
    def __init__(self, municipality: str, case_id: str) -> None:
        self.municipality, self.case_id = municipality, case_id
        self.is_shut = False

    def let_through(self, placement_id: str) -> bool:
        """Note that the placement's inquiry opens, if the gate is open; whether it was."""
        if not self.is_shut:
            self._let_through(placement_id)
        return not self.is_shut

    def shut(self) -> None:
        """Shut the gate for good; shut already, it stays as it is."""
        if not self.is_shut:
            self._shut()

    @event(LetThrough)
    def _let_through(self, placement_id: str) -> None:
        pass  # the new version is the point: a protection stored meanwhile conflicts with it

    @event(Shut)
    def _shut(self) -> None:
        self.is_shut = True
