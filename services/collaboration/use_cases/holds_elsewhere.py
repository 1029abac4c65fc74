"""What a placement moving into a home of the pool does to the places accepted offers hold for its
case in other homes (ADR 0022): they come free (``placed_elsewhere``) in the same save as the move,
and the homes' partners see them so; but a temporary (jourhem) placement leaves a place held for a
lasting one, since the child waits in the emergency home while the matched home gets ready
(``outlasts``).  A place held for an emergency placement comes free by it as by any other.
"""

from __future__ import annotations

from uuid import UUID

from contracts.placements import PlacementData
from services.collaboration.domain.family_home import FamilyHome
from services.collaboration.domain.matching_request import MatchingRequest
from services.collaboration.domain.place_holds import outlasts
from services.collaboration.use_cases.family_homes import FamilyHomes

PLACED_ELSEWHERE = "placed_elsewhere"


class HoldsElsewhere(FamilyHomes):
    def _release_holds_elsewhere(
        self, placement: PlacementData, home: FamilyHome, old: FamilyHome | None
    ) -> list[FamilyHome]:
        """The case is placed in ``home``: a place an accepted offer held for it in another home
        comes free, unless it outlasts this placement; ``old`` is released where it is (saved with it)."""
        case = (placement.municipality, placement.case_id)
        held = [
            home_id for home_id, row in self._homes.items() if row.holds_for(*case) and home_id != home.id
        ]
        holders = [
            old if old is not None and old.id == home_id else self.repository.get(home_id) for home_id in held
        ]
        keeping = self._outlasting(placement, holders)
        freed = [h for h in holders if h.release_hold_of(*case, why=PLACED_ELSEWHERE, keeping=keeping)]
        return [holder for holder in freed if holder is not old]

    def _outlasting(self, placement: PlacementData, holders: list[FamilyHome]) -> set[str]:
        """The requests whose held places outlast this placement: each held place is judged by
        the placement type its request asked for."""
        held = {r for holder in holders for r in holder.holds_of(placement.municipality, placement.case_id)}
        return {r for r in held if outlasts(self._asked_for(r), placement.placement_type)}

    def _asked_for(self, request_id: str) -> str:
        request: MatchingRequest = self.repository.get(UUID(request_id))
        return request.placement_type
