"""A home's places as its owner reads them: the part of ``FamilyHome`` that answers the owner.

The owner reads its home as it is, but for what would tell it that another municipality's child is
protected (ADR 0009, addendum "nothing tells a protected child's protection to another
municipality"): such a child is an occupied place like any other, offered or not as any other; and
a protected case's hold, which outlives the case's move into the held place (``PlaceHolds``), is
the child's place, not a second one, and comes free for the owner as the child leaves, as any
child's place does.  Only the owner's own protected child keeps its home from
being offered: the owner knows of it.
"""

from __future__ import annotations

from services.collaboration.domain.residents import Residents


class OwnerView(Residents):
    municipality: str
    capacity: int
    available: bool
    holds: dict[str, tuple[str, str, object]]  # request id -> (placer, case id, until)
    taken_by_its_case: set[str]  # see ``PlaceHolds``

    @property
    def free_places(self) -> int:
        """Capacity less the residents and the holds their cases have not taken by moving in."""
        waiting = [request_id for request_id in self.holds if request_id not in self.taken_by_its_case]
        return max(self.capacity - len(self.residents) - len(waiting), 0)

    def can_be_offered(self) -> bool:
        """A place free, the owner's switch on, and none of the owner's own protected children here."""
        return (
            self.available and self.free_places > 0 and not self.hosts_protected_child_of(self.municipality)
        )
