"""The numbers one placement's records named for its child (ADR 0018, third addendum).

A child's number is replaced within a placement (a coordination number by a personnummer, a wrong
number corrected): the case system names the new one in a later record of the same placement.
Siblings placed under one case id have a placement each, so the numbers one placement named are
the only ones a registerutdrag links; those of one case are not.  Kept in referrals' own store,
never published, as ``PlacedCase`` keeps the case's.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class PlacementNumbers(Aggregate):
    class Noted(Aggregate.Created):
        municipality: str
        case_id: str
        placement_id: str
        child_pin: str

    class ChildNamed(Aggregate.Event):
        """A later record of the placement named a number it had not named before."""

        child_pin: str

    @staticmethod
    def id_for(municipality: str, case_id: str, placement_id: str) -> UUID:
        return stable_id("placement-numbers", municipality, case_id, placement_id)

    @classmethod
    def create_id(cls, municipality: str, case_id: str, placement_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, case_id, placement_id)

    @event(Noted)
    def __init__(self, municipality: str, case_id: str, placement_id: str, child_pin: str) -> None:
        self.municipality, self.case_id, self.placement_id = municipality, case_id, placement_id
        self.child_pins = [child_pin]

    def name(self, child_pin: str) -> None:
        """What one more record of the placement names: kept once."""
        if child_pin not in self.child_pins:
            self._named(child_pin)

    @event(ChildNamed)
    def _named(self, child_pin: str) -> None:
        self.child_pins.append(child_pin)
