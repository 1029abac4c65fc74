"""What a placement record of a case does to the places accepted offers hold for the case in homes
other than the one it names (ADR 0022).  A start or change of a placement in the pool (or leaving it)
that is not a temporary (jourhem) wait, whatever home it names (another of the pool, the one the
child already lives in, one outside the pool), frees them (``placed_elsewhere``), in the same save as the move, and the homes' partners see them
so.  A record of a placement never in the pool frees nothing: it may be a wait (an HVB while the
matched home gets ready), and the place lapses if it was not.  A jourhem record leaves a place held for a lasting placement, since the child waits in the
emergency home while the matched home gets ready (``outlasts``); one moving the child into another
home of the pool frees a place held for an emergency placement, as any other move does.  An end
that says the child's care is over frees them all (``care_ended``); another end leaves them to the
placement that follows (``ends_care``).
"""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from contracts.placements import PlacementData, PlacementEndedV1
from services.collaboration.domain.family_home import FamilyHome
from services.collaboration.domain.matching_request import MatchingRequest
from services.collaboration.domain.place_holds import TEMPORARY, ends_care, outlasts
from services.collaboration.use_cases.family_homes import FamilyHomes

PLACED_ELSEWHERE, CARE_ENDED = "placed_elsewhere", "care_ended"


class HoldsElsewhere(FamilyHomes):
    def _release_holds_elsewhere(
        self, placement: PlacementData, home: FamilyHome | None, old: FamilyHome | None, moved_in: bool
    ) -> list[FamilyHome]:
        """The case's start or change names ``home`` (None: none of the pool), where it ``moved_in``
        or already lives: a place held for the case in another home comes free, unless it outlasts
        this placement.  A jourhem record that moves the child into no other home of the pool frees
        nothing: the child still waits, or waits elsewhere.  ``old``: the home it left, as the caller
        has it."""
        if placement.placement_type == TEMPORARY and not moved_in:
            return []
        if home is None and old is None:
            # A placement never in the pool (an HVB, a home outside it): nothing tells whether the
            # child waits there for the matched home, so its place stays held until it comes,
            # is given back or lapses (a wrongly freed place loses the child its match).
            return []
        holders = self._holders(placement, home, old)
        return self._released(placement, holders, PLACED_ELSEWHERE, self._outlasting(placement, holders))

    def _release_holds_at_end(self, placement: PlacementEndedV1, home: FamilyHome | None) -> list[FamilyHome]:
        """The case's placement ended in ``home`` (as the caller has it): if the child's care is over,
        every place held for the case comes free; otherwise the next placement's record decides."""
        if not ends_care(placement.end_reason):
            return []
        return self._released(placement, self._holders(placement, None, home), CARE_ENDED, ())

    def _holders(
        self, placement: PlacementData, besides: FamilyHome | None, old: FamilyHome | None
    ) -> list[FamilyHome]:
        """The homes that hold a place for the case, but ``besides``; ``old`` as the caller has it."""
        case = (placement.municipality, placement.case_id)
        held = [
            home_id
            for home_id, row in self._homes.items()
            if row.holds_for(*case) and (besides is None or home_id != besides.id)
        ]
        return [
            old if old is not None and old.id == home_id else self.repository.get(home_id) for home_id in held
        ]

    @staticmethod
    def _released(
        placement: PlacementData, holders: list[FamilyHome], why: str, keeping: Collection[str]
    ) -> list[FamilyHome]:
        """The holders whose places for the case came free (to be saved), but those in ``keeping``."""
        case = (placement.municipality, placement.case_id)
        return [h for h in holders if h.release_hold_of(*case, why=why, keeping=keeping)]

    def _outlasting(self, placement: PlacementData, holders: list[FamilyHome]) -> set[str]:
        """The requests whose held places outlast this placement: each held place is judged by
        the placement type its request asked for."""
        held = {r for holder in holders for r in holder.holds_of(placement.municipality, placement.case_id)}
        return {r for r in held if outlasts(self._asked_for(r), placement.placement_type)}

    def _asked_for(self, request_id: str) -> str:
        request: MatchingRequest = self.repository.get(UUID(request_id))
        return request.placement_type
