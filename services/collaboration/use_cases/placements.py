"""Placements make pool homes occupied and free: started, changed (moved to another home), ended.

A placement lives in at most one home at a time.  A change that names another home frees the old
one and occupies the new one in one save, so partners hear both through the usual home messages
(ADR 0022, ADR 0009).  Repeats are no-ops by construction: a start or change finds the placement
where it already lives, and a placement that ended is never moved in again (a late or replayed
start or change), so no order of delivery can take two places for one child.  Every record, in
the pool or not, also says whether the child is protected (``CaseProtections``, ADR 0032).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from contracts.common import MUNICIPALITIES
from contracts.placements import PlacementChangedV1, PlacementData, PlacementEndedV1, PlacementStartedV1
from services.collaboration.domain.family_home import FamilyHome, RegisterEntry
from services.collaboration.use_cases.case_protection import CaseProtections
from services.collaboration.use_cases.family_homes import FamilyHomes
from services.kit.inbound import InboundEvent
from services.kit.index import CatchUpIndex

MOVED, ENDED = "moved", "ended"


def _fold_stays(rows: dict[Any, frozenset[UUID]], e: Any) -> None:
    """(placing municipality, placement id) -> every home it has lived in."""
    if isinstance(e, FamilyHome.Occupied):
        key = (e.placing_municipality, e.placement_id)
        rows[key] = rows.get(key, frozenset()) | {e.originator_id}


class HomePlacements(FamilyHomes, CaseProtections):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._stays = CatchUpIndex(self, _fold_stays, events=(FamilyHome.Occupied,))

    def placement_started(self, event: InboundEvent[PlacementStartedV1]) -> None:
        """Moves in unless the placement is in the pool already (a repeat, or a start after a change)."""
        placement = event.data
        self._note_protection(placement)
        if not any(_has_lived_in(home, placement) for home in self._homes_lived_in(placement)):
            self._move_in(placement)

    def placement_changed(self, event: InboundEvent[PlacementChangedV1]) -> None:
        """Another home (or none in the pool) frees the old one; the same home changes nothing."""
        self._note_protection(event.data)
        self._move_in(event.data)

    def placement_ended(self, event: InboundEvent[PlacementEndedV1]) -> None:
        placement = event.data
        self._note_protection(placement)
        home = self._current_home(placement, self._homes_lived_in(placement)) or self._home_of(
            placement.municipality, placement.family_home_id, placement.placement_id
        )
        if home is not None and home.free(placement.placement_id, why=ENDED):
            self.save(home)

    def _move_in(self, placement: PlacementData) -> None:
        lived_in = self._homes_lived_in(placement)
        if any(home.left.get(placement.placement_id) == (placement.municipality, ENDED) for home in lived_in):
            return  # a late start or change of a placement that has ended
        old = self._current_home(placement, lived_in)
        new = self._home_of(placement.municipality, placement.family_home_id, placement.placement_id)
        if new is not None and old is not None and new.id == old.id:
            return  # where it already lives: a repeat, or a change of something else
        if old is not None:
            old.free(placement.placement_id, why=MOVED)
        if new is not None:
            new.release_hold_of(placement.municipality, placement.case_id)  # the held place is its home
            new.occupy(
                placement.placement_id,
                placement.case_id,
                placement.municipality,
                placement.child.protected_identity,
            )
        self.save(old, new)

    def _homes_lived_in(self, placement: PlacementData) -> list[FamilyHome]:
        """Every home the placement has lived in, with what this unit of work has not saved yet."""
        ids = dict(self._stays.items()).get((placement.municipality, placement.placement_id), frozenset())
        pending = {
            key for key, obj in (self._pending_aggregates() or {}).items() if isinstance(obj, FamilyHome)
        }
        return [self.repository.get(home_id) for home_id in ids | pending]

    @staticmethod
    def _current_home(placement: PlacementData, lived_in: list[FamilyHome]) -> FamilyHome | None:
        """The home the placement lives in now, whatever the sharing says (ADR 0022)."""
        here = [home for home in lived_in if _placer(home, placement.placement_id) == placement.municipality]
        return here[0] if here else None

    def _home_of(self, municipality: str, reference: str | None, placement_id: str) -> FamilyHome | None:
        """The home a placement names: the placer's own register id, or a partner home's pool id
        (or, as before, its register id) that the placer may place in: shared with it, held for it,
        or already housing this placement (whatever happened to the sharing since)."""
        if reference is None:
            return None
        entry = self.find(RegisterEntry.id_for(municipality, reference))
        if entry is not None:
            return self.repository.get(entry.home_id)
        candidates = [self._pooled(reference)] + [
            self.repository.get(entry.home_id)
            for owner in MUNICIPALITIES
            if owner != municipality and (entry := self.find(RegisterEntry.id_for(owner, reference)))
        ]
        placeable = [
            home
            for home in candidates
            if home is not None
            and (
                home.municipality == municipality
                or home.is_visible_to(municipality)
                or home.is_held_for(municipality)
                or placement_id in home.residents
            )
        ]
        return placeable[0] if len(placeable) == 1 else None

    def _pooled(self, reference: str) -> FamilyHome | None:
        try:
            home = self.find(UUID(reference))
        except ValueError:
            return None
        return home if isinstance(home, FamilyHome) else None


def _placer(home: FamilyHome, placement_id: str) -> str | None:
    resident = home.residents.get(placement_id)
    return resident[1] if resident else None


def _has_lived_in(home: FamilyHome, placement: PlacementData) -> bool:
    left = home.left.get(placement.placement_id)
    here = _placer(home, placement.placement_id) == placement.municipality
    return here or (left is not None and left[0] == placement.municipality)
