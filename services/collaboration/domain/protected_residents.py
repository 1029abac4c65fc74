"""A resident's protection said after it moved in: the part of ``FamilyHome`` that keeps it.

A child may be given a protected identity (or moved to protected housing) while living in a home of
the pool.  The record that says so finds the child where it already lives, so nothing moves in: this
marks the resident protected instead, one way, and from then on the home is not offered, as if the
child had moved in protected (ADR 0022, ADR 0032); partners, who were told its place was taken, go
on reading it so, and are told of its move-out as of any child's (``PartnerView``, ADR 0009).  Its
event is stored under this module's topic and is never published: nothing about protection itself
leaves.
"""

from __future__ import annotations

from eventsourcing.domain import Aggregate, event

from services.collaboration.domain.residents import Residents


class ProtectedResidents(Residents):
    class ResidentProtected(Aggregate.Event):
        placement_id: str
        placing_municipality: str = ""  # absent in events stored before: see ``residents.named``

    def protect_residents_of(self, municipality: str, case_id: str) -> bool:
        """Every placement of the case living here is now protected; True when one was not yet."""
        unmarked = [
            placement_id
            for (placer, placement_id), (case, _, protected) in self.residents.items()
            if (placer, case) == (municipality, case_id) and not protected
        ]
        for placement_id in unmarked:
            self._resident_protected(placement_id, municipality)
        return bool(unmarked)

    @event(ResidentProtected)
    def _resident_protected(self, placement_id: str, placing_municipality: str = "") -> None:
        resident = self.resident_named(placement_id, placing_municipality)
        case_id, placer, _ = self.residents[resident]
        self.residents[resident] = (case_id, placer, True)
