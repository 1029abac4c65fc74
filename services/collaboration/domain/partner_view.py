"""A home's places as partners were told of them: the part of ``FamilyHome`` that keeps that view.

Partners hear of a home on their topic and read it over HTTP, and neither may say anything about a
child with a protected identity (ADR 0009, addendum "partners read what they were told"): not
that one moved in or out, nor when, nor that a child they knew of became protected.  So each
resident is counted in partners' view, or not, once and for all at its move-in: counted if it moved
in unprotected (partners were told its place was taken) or into the place a hold kept for its case
(partners were told the hold took it; a protected case's move-in stored before the second addendum
did so); never counted if it moved in protected otherwise.  The places partners count as taken are
fixed at every change they are told of (``_told``: counted residents and holds as they are then)
and stay as they were through the changes they are not told of: a protected child's move in or
out, a resident's protection, a hold becoming its resident.  A counted resident's departure is told
like any other, whether or not it became protected since (ADR 0009, second addendum, decision 4):
partners were told of it at its move-in, so keeping its place taken after it left, or freeing it
later than an unprotected child's, would tell them it became protected.  A requester's
acceptance is decided on this view, the one it reads (``takes_a_hold``); the owner reads it too, with
only its own protected children added (``OwnerView``).
"""

from __future__ import annotations

from services.collaboration.domain.residents import Resident, Residents

PLACED = "placed"  # why a hold ended: its case moved into the held place


class PartnerView(Residents):
    capacity: int
    available: bool
    shared_with: tuple[str, ...]
    holds: dict[str, tuple[str, str, object]]  # request id -> (placer, case id, until)

    def is_visible_to(self, partner: str) -> bool:
        """A partner reads the home while it is shared with it, whoever lives there."""
        return partner in self.shared_with

    @property
    def partner_free_places(self) -> int:
        """The free places as partners were last told of them."""
        return max(self.capacity - self._partner_taken(), 0)

    def offered_to_partners(self) -> bool:
        """What partners read as ``available``: the owner's switch and a place free in their view."""
        return self.available and self.partner_free_places > 0

    def takes_a_hold(self) -> bool:
        """An accepted offer holds a place if one is free as the requester reads the home: deciding on
        anything else would tell the requester, or the owner, of a protected child partners never heard of."""
        return self.offered_to_partners()

    @property
    def _unseen(self) -> set[Resident]:
        """Residents partners were never told of; set here, as homes loaded before it have none."""
        return vars(self).setdefault("_unseen_residents", set())

    def told_of(self, resident: Resident) -> bool:
        """Partners were told of this resident at its move-in, so they are told of its departure."""
        return resident not in self._unseen

    def _partner_taken(self) -> int:
        told = vars(self).get("_told_taken")
        return self._taken_as_told() if told is None else told

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

    def _left(self, resident: Resident) -> None:
        """Called once the resident is gone: a counted one's departure is told, protected or not."""
        if self.told_of(resident):
            self._told()
        self._unseen.discard(resident)

    def _hold_ended(self, case: tuple[str, str], why: str) -> None:
        """A hold became its case's resident (``placed``): the move-in that follows in the same save
        takes over the place partners counted for it; any other end is told as a place come free."""
        if why == PLACED:
            self._handed_over = case
        else:
            self._told()
