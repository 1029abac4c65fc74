"""A case the case system's placement records named, and the child they named for it.

Referrals is the one service that holds the child's personal identity number, so it is where a
registerutdrag starts (ADR 0018): it must know the child's every placed case, not only those it
made a referral for (a municipality without a Network Centre gets none).  Kept as a referral keeps
the number (``Referral.Received.child_pin``): in referrals' own store, never published.

The number the latest record named is the case's own (``child_pin``); an earlier one is kept so
that asking with it still finds the case, but as a replaced number: the registrar checks such a
case before release (ADR 0018, second addendum), since a correction could go either way.
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
        so that asking with either finds the case.  The new one is the case's number now."""

        child_pin: str

    class ChildNamedAgain(Aggregate.Event):
        """A later record named again a number named for the case before (a correction undone):
        it is the case's number again.  Not a ``ChildNamed``, which always names a new number."""

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
        self.child_pin = child_pin  # what the latest record named

    def name(self, child_pin: str) -> None:
        """What one more record names: the case's number from now on (one not named before is
        kept too, beside the earlier ones)."""
        if child_pin == self.child_pin:
            return
        if child_pin in self.child_pins:
            self._named_again(child_pin)
        else:
            self._named(child_pin)

    @event(ChildNamed)
    def _named(self, child_pin: str) -> None:
        self.child_pins = [*self.child_pins, child_pin]
        self.child_pin = child_pin

    @event(ChildNamedAgain)
    def _named_again(self, child_pin: str) -> None:
        self.child_pin = child_pin
