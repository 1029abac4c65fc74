"""A home's places as partners were told of them: the part of ``FamilyHome`` that keeps that view.

Partners hear of a home on their topic and read it over HTTP, and neither may say anything about a
child with a protected identity (ADR 0009, addendum "partners read what they were told"): not
that one moved in or out, nor when, nor that a child they knew of became protected.  So each
resident is counted in partners' view, or not, once and for all at its move-in: counted if it moved
in unprotected (partners were told its place was taken) or into the place a hold kept for its case
(partners were told the hold took it); never counted if it moved in protected otherwise.  The
places partners count as taken are fixed at every change they are told of (``_told``: counted
residents and holds as they are then) and stay as they were through the changes they are not told
of: a protected child's move in or out, a resident's protection, a hold becoming its resident.  A
counted resident who leaves protected therefore keeps its place taken for partners until the next
change they are told of.  The owner's own questions (``free_places``, ``can_be_offered``) are the
home as it is; only what partners are told and read, and an acceptance they make, go by this.
"""

from __future__ import annotations

from services.collaboration.domain.residents import Resident, Residents

PLACED = "placed"  # why a hold ended: its case moved into the held place


class PartnerView(Residents):
    capacity: int
    available: bool
    holds: dict[str, tuple[str, str, object]]
    shared_with: tuple[str, ...]

    def is_visible_to(self, partner: str) -> bool:
        """A partner reads the home while it is shared with it, whoever lives there."""
        return partner in self.shared_with

    @property
    def free_places(self) -> int:
        return max(self.capacity - len(self.residents) - len(self.holds), 0)

    @property
    def partner_free_places(self) -> int:
        """The free places as partners were last told of them."""
        told = vars(self).get("_told_taken")
        return max(self.capacity - (self._taken_as_told() if told is None else told), 0)

    def offered_to_partners(self) -> bool:
        """What partners read as ``available``: the owner's switch and a place free in their view."""
        return self.available and self.partner_free_places > 0

    def takes_a_hold(self) -> bool:
        """An accepted offer may hold a place if one is free as partners were told, or as it is:
        refusing a place the requester reads as free would tell it what its topic never did."""
        return self.available and max(self.free_places, self.partner_free_places) > 0

    @property
    def _unseen(self) -> set[Resident]:
        """Residents partners were never told of; set here, as homes loaded before it have none."""
        return vars(self).setdefault("_unseen_residents", set())

    def _taken_as_told(self) -> int:
        return len(set(self.residents) - self._unseen) + len(self.holds)

    def _told(self) -> None:
        """Partners are told of this change: their view is the home's places as they are now."""
        self._told_taken = self._taken_as_told()

    def _moved_in(self, resident: Resident, case_id: str, protected: bool) -> None:
        handed_over = vars(self).pop("_handed_over", None) == (resident[0], case_id)
        if not protected:
            self._told()
        elif not handed_over:
            self._unseen.add(resident)

    def _left(self, resident: Resident, protected: bool) -> None:
        self._unseen.discard(resident)
        if not protected:
            self._told()

    def _hold_ended(self, case: tuple[str, str], why: str) -> None:
        """A hold became its case's resident (``placed``): the move-in that follows in the same save
        takes over the place partners counted for it; any other end is told as a place come free."""
        if why == PLACED:
            self._handed_over = case
        else:
            self._told()
