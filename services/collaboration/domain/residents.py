"""Who lives in a home of the pool: the part of ``FamilyHome`` that answers it.

A resident is the pair (placing municipality, placement id).  Each municipality's case system
numbers its own placements, so Uppsala's "P-1" and Gävle's "P-1" are two children: no record of one
municipality may admit, move or free another municipality's placement (ADR 0022, addendum "a
resident is its placer's").  Events stored before said only the placement id when a resident was
freed or became protected; then a home had at most one resident of each id (it was the key), so
that id names the one resident it had (``named``).
"""

from __future__ import annotations

from collections.abc import Iterable

from eventsourcing.domain import Aggregate

Resident = tuple[str, str]  # (placing municipality, placement id)
ENDED, MOVED = "ended", "moved"  # why a resident left: its placement ended, or moved to another home


def named(residents: Iterable[Resident], placement_id: str, placer: str = "") -> Resident:
    """The resident an event names: (``placer``, ``placement_id``); in one stored before events
    named the placer (none given), the one resident of ``residents`` with that placement id (if none,
    a resident no home has)."""
    if placer:
        return placer, placement_id
    return next((resident for resident in residents if resident[1] == placement_id), ("", placement_id))


class Residents(Aggregate):
    residents: dict[Resident, tuple[str, str, bool]]  # -> (case id, placing municipality, protected)
    left: dict[Resident, str]  # -> why it left (ENDED or MOVED)

    def houses(self, placer: str, placement_id: str) -> bool:
        """The placer's placement of that id lives here now."""
        return (placer, placement_id) in self.residents

    def has_housed(self, placer: str, placement_id: str) -> bool:
        """The placer's placement of that id lives here, or lived here and left."""
        return self.houses(placer, placement_id) or (placer, placement_id) in self.left

    def has_ended_here(self, placer: str, placement_id: str) -> bool:
        """The placer's placement of that id ended while it lived here."""
        return self.left.get((placer, placement_id)) == ENDED

    def resident_named(self, placement_id: str, placer: str = "") -> Resident:
        """The resident a stored event names, placer or not (see ``named``)."""
        return named(self.residents, placement_id, placer)

    def details_of(self, placement_id: str, placer: str = "") -> tuple[str, str, bool]:
        """(case id, placing municipality, protected) of the resident a stored event names."""
        return self.residents[self.resident_named(placement_id, placer)]

    def hosts_protected_child_of(self, placer: str) -> bool:
        """A child of ``placer``'s with a protected identity lives here."""
        return any(protected and by == placer for _, by, protected in self.residents.values())
