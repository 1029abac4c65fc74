"""A home's places as its owner reads them: the part of ``FamilyHome`` that answers the owner.

For every municipality but a protected child's own, that child's stay does not exist beyond what
partners were told (ADR 0009, addendum "nothing tells a protected child's protection to another
municipality"); a home's owner, when it is another municipality, is one of them.  So the owner
reads its home as partners do (``PartnerView``), plus only its own protected children living
there, whom it knows of (and their holds: a hold is always another municipality's case, told to
partners).  Its offers are decided on this view, a requester's acceptance on partners' view, so
each side's decision agrees with what it reads; the placing municipality, which knows, manages a
home its protected child makes fuller than the others read.  The owner's own protected child
keeps its home from being offered: the owner knows of it.
"""

from __future__ import annotations

from services.collaboration.domain.partner_view import PartnerView


class OwnerView(PartnerView):
    municipality: str

    @property
    def free_places(self) -> int:
        """Partners' free places less the owner's own protected children partners were never told of."""
        return max(self.capacity - self._partner_taken() - self._own_unseen(), 0)

    @property
    def occupied_places(self) -> int:
        """The residents partners count, and the owner's own protected children they do not."""
        return len(set(self.residents) - self._unseen) + self._own_unseen()

    def can_be_offered(self) -> bool:
        """A place free, the owner's switch on, and none of the owner's own protected children here."""
        return (
            self.available and self.free_places > 0 and not self.hosts_protected_child_of(self.municipality)
        )

    def free_places_known_to(self, municipality: str) -> int:
        """The free places as that municipality reads them: the owner's view for the owner, partners'
        for any other (a placer's record of its own case in a partner's home)."""
        return self.free_places if municipality == self.municipality else self.partner_free_places

    def _own_unseen(self) -> int:
        return sum(1 for placer, _ in self._unseen if placer == self.municipality)
