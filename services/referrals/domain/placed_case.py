"""A case the case system's placement records named, and the child they named for it.

Referrals is the one service that holds the child's personal identity number, so it is where a
registerutdrag starts (ADR 0018): it must know the child's every placed case, not only those it
made a referral for (a municipality without a Network Centre gets none).  Kept as a referral keeps
the number (``Referral.Received.child_pin``): in referrals' own store, never published.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class PlacedCase(Aggregate):
    class Noted(Aggregate.Created):
        municipality: str
        case_id: str
        child_pin: str

    class ChildNamed(Aggregate.Event):
        """A later record named another number for the case (a number corrected): both are kept,
        so that asking with either finds the case."""

        child_pin: str

    @staticmethod
    def id_for(municipality: str, case_id: str) -> UUID:
        return stable_id("placed-case", municipality, case_id)

    @classmethod
    def create_id(cls, municipality: str, case_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, case_id)

    @event(Noted)
    def __init__(self, municipality: str, case_id: str, child_pin: str) -> None:
        self.municipality, self.case_id = municipality, case_id
        self.child_pins = [child_pin]

    def name(self, child_pin: str) -> None:
        """What one more record names: a number not named before is kept too."""
        if child_pin not in self.child_pins:
            self._named(child_pin)

    @event(ChildNamed)
    def _named(self, child_pin: str) -> None:
        self.child_pins = [*self.child_pins, child_pin]
