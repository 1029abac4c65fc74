"""What a placement record of a case does to the places accepted offers hold for the case in homes
other than the one it names (ADR 0022).  A move into another home of the pool frees them
(``placed_elsewhere``), in the same save as the move, and the homes' partners see them so; but a
temporary (jourhem) placement keeps a place held for a lasting one, since the child waits in the
emergency home while the matched home gets ready (``outlasts``), and the home records which
placement kept it (``HoldKept``).  When that wait ends (a record of the same placement that is not
a jourhem, in the same home or leaving the pool, or its end saying the child's care is over:
``ends_care``, ``care_ended``) the places it kept come free, and only those: a place held for a
planned move from a lasting home, or kept by another placement of the case, is not its to free.
Every record is noted in the case's ``EmergencyWaits``, so that a wait outside the pool, or one
that began before the acceptance, keeps the place as a move into an emergency home of the pool
after it does: a jourhem record of a placement that still waits keeps the places that outlast it,
and the acceptance marks its hold kept by the wait the child is in (``held_places.py``).
A protected case's records free no held place: its hold lapses at its own time (``_frees_now``).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from uuid import UUID

from contracts.placements import PlacementData, PlacementEndedV1
from services.collaboration.domain.family_home import FamilyHome
from services.collaboration.domain.matching_request import MatchingRequest
from services.collaboration.domain.place_holds import TEMPORARY, ends_care, outlasts
from services.collaboration.use_cases.family_homes import FamilyHomes
from services.kit.domain.case_protection import CaseProtection

PLACED_ELSEWHERE, CARE_ENDED = "placed_elsewhere", "care_ended"


class HoldsElsewhere(FamilyHomes):
    def _release_holds_elsewhere(
        self, placement: PlacementData, home: FamilyHome | None, old: FamilyHome | None, moved_in: bool
    ) -> list[FamilyHome]:
        """The case's start or change names ``home`` (None: none of the pool), where it ``moved_in``
        or already lives; ``old``: the home it left, as the caller has it.  A move into another home
        of the pool frees the places held for the case elsewhere, but those that outlast it, which it
        keeps (``HoldKept``).  Any other record frees only the places this placement kept, and only
        once it is no longer a wait: a place held for a planned move from a lasting home, or kept by
        another placement of the case, is not this record's to free."""
        if moved_in:
            holders = self._holders(placement, home, old)
            keeping = self._outlasting(placement, holders)
            frees = self._frees_now(placement)
            released = self._released(placement, holders, PLACED_ELSEWHERE, keeping) if frees else []
            return list({id(h): h for h in self._kept(placement, holders, keeping) + released}.values())
        if placement.placement_type == TEMPORARY:  # the child still waits (unless the record is stale)
            holders = self._holders(placement, home, old)
            return self._kept(placement, holders, self._outlasting(placement, holders))
        return self._released_kept(placement, old or home, PLACED_ELSEWHERE)

    def _note_wait(self, record: str, placement: PlacementData, said_at: datetime) -> None:
        """Remember what the record says of the case's waits in an emergency home (to be saved)."""
        waits = self.case_waits(placement.municipality, placement.case_id)
        if waits.note(record, placement.placement_id, placement.placement_type, said_at):
            self.save(waits)

    def _kept(
        self, placement: PlacementData, holders: list[FamilyHome], keeping: Collection[str]
    ) -> list[FamilyHome]:
        """The holders whose places for ``keeping`` requests this placement now keeps (to be saved):
        none unless the case's memory says it waits, so a stale or late jourhem record (a start that
        arrives after its placement's end or lasting change) never takes a place from the wait that
        keeps it."""
        if not self.case_waits(placement.municipality, placement.case_id).waits(placement.placement_id):
            return []
        return [h for h in holders for r in keeping if h.keep_hold(r, *self._placement(placement))]

    def _release_holds_at_end(self, placement: PlacementEndedV1, home: FamilyHome | None) -> list[FamilyHome]:
        """The case's placement ended in ``home`` (as the caller has it): if the child's care is over,
        the places that placement kept through its wait come free (not those another placement of
        the case kept, nor those no wait kept); otherwise the next placement's record decides."""
        if not ends_care(placement.end_reason):
            return []
        return self._released_kept(placement, home, CARE_ENDED)

    def _released_kept(self, placement: PlacementData, old: FamilyHome | None, why: str) -> list[FamilyHome]:
        """The holders whose places this placement had kept came free (to be saved)."""
        if not self._frees_now(placement):
            return []
        holders = self._holders(placement, None, old)
        return [h for h in holders if h.release_kept_by(*self._placement(placement), why=why)]

    @staticmethod
    def _placement(placement: PlacementData) -> tuple[str, str]:
        return placement.municipality, placement.placement_id

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

    def _frees_now(self, placement: PlacementData) -> bool:
        """Whether the case's record may free its held places now.  Not a protected case's (the
        record has already noted what it says of the protection): a place that comes free tells
        every partner the home is shared with, on its topic and in its reads, the moment the record
        came, and that is the timing of a protected child's placement.  Its places stay held until
        the hold lapses (the sweep, at a time the acceptance set), is given back, or is taken by the
        case's move into the held home (ADR 0022, addendum "a protected case's held place")."""
        return not self.exists(CaseProtection.id_for(placement.municipality, placement.case_id))

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
