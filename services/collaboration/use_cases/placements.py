"""Placements make pool homes occupied and free: started, changed (moved to another home), ended.

A placement lives in at most one home at a time.  A change that names another home frees the old
one and occupies the new one in one save, so partners hear both through the usual home messages
(ADR 0022, ADR 0009).  Repeats take no second place by construction: a start or change finds the
placement where it already lives, and a placement that ended is never moved in again (a late or
replayed start or change, also when its end came first and it was never in the pool: the case's
``EmergencyWaits`` keeps that end), so no order of delivery can take two places for one child.
Every record, in the pool or not, also says whether the child is protected (``CaseProtections``,
ADR 0032), and so does a referral of the case: once the case is, every home a placement of it
lives in marks the resident protected (the home is offered no more; partners hear nothing of it),
whatever later records say; a move-in and a referral's protection handled at the same moment (two
topics, two replicas) conflict through the case's ``MoveInGate`` instead of passing each other.  A
record of the case also frees the places accepted offers held for it in other homes: a move into
another home of the pool (but for those a wait in an emergency home keeps), and the end of that
wait (a lasting record of the same placement, or its end saying the care is over) the places it
kept (``HoldsElsewhere``, ADR 0022).  A placement is always its placing municipality's
(``residents.py``): a record finds, admits, moves and frees only its own municipality's placement
of that id, never another's that happens to share it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from contracts.common import MUNICIPALITIES
from contracts.placements import PlacementChangedV1, PlacementData, PlacementEndedV1, PlacementStartedV1
from services.collaboration.domain.emergency_waits import CHANGE, END, START
from services.collaboration.domain.family_home import FamilyHome, RegisterEntry
from services.collaboration.domain.move_in_gate import MoveInGate
from services.collaboration.domain.residents import ENDED, MOVED
from services.collaboration.use_cases.case_protection import CaseProtections
from services.collaboration.use_cases.holds_elsewhere import HoldsElsewhere
from services.kit.domain.case_protection import CaseProtection
from services.kit.inbound import InboundEvent
from services.kit.index import CatchUpIndex


def _stays_by(field: str) -> Callable[[dict[Any, frozenset[UUID]], Any], None]:
    """(placing municipality, the placement's ``field``) -> every home it has lived in."""

    def fold(rows: dict[Any, frozenset[UUID]], e: Any) -> None:
        if isinstance(e, FamilyHome.Occupied):
            key = (e.placing_municipality, getattr(e, field))
            rows[key] = rows.get(key, frozenset()) | {e.originator_id}

    return fold


class HomePlacements(HoldsElsewhere, CaseProtections):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._stays = CatchUpIndex(self, _stays_by("placement_id"), events=(FamilyHome.Occupied,))
        self._case_stays = CatchUpIndex(self, _stays_by("case_id"), events=(FamilyHome.Occupied,))

    def placement_started(self, event: InboundEvent[PlacementStartedV1]) -> None:
        """Moves in unless the placement is in the pool already (a repeat, or a start after a change)."""
        placement = event.data
        protected = self._shield(placement)
        self._note_wait(START, placement, event.envelope.time)
        lived_in = self._homes_lived_in(placement)
        if not any(home.has_housed(placement.municipality, placement.placement_id) for home in lived_in):
            self._move_in(placement, protected)
        elif not self._has_ended(placement, lived_in):  # it stays: yet its wait may have ended
            here = self._current_home(placement, lived_in)
            self.save(*self._release_holds_elsewhere(placement, here, None, moved_in=False))

    def placement_changed(self, event: InboundEvent[PlacementChangedV1]) -> None:
        """Another home (or none in the pool) frees the old one; the same home stays taken."""
        protected = self._shield(event.data)
        self._note_wait(CHANGE, event.data, event.envelope.time)
        self._move_in(event.data, protected)

    def placement_ended(self, event: InboundEvent[PlacementEndedV1]) -> None:
        placement = event.data
        self._shield(placement)
        self._note_wait(END, placement, event.envelope.time)
        home = self._current_home(placement, self._homes_lived_in(placement)) or self._home_of(placement)
        freed = home is not None and home.free(placement.placement_id, placement.municipality, why=ENDED)
        self.save(*([home] if freed else []), *self._release_holds_at_end(placement, home))

    def referral_protection(self, municipality: str, case_id: str, protected_identity: bool) -> None:
        """A case worker ticked "protected identity" on a referral of the case (ADR 0032): the case
        is protected as a placement record saying it would make it; unticked, it undoes nothing."""
        self._shield_case(municipality, case_id, protected_identity, None)

    def _shield(self, placement: PlacementData) -> bool:
        identity = placement.child.protected_identity
        return self._shield_case(
            placement.municipality, placement.case_id, identity, placement.placement_type
        )

    def _shield_case(
        self, municipality: str, case_id: str, identity: bool, placement_type: str | None
    ) -> bool:
        """Whether the case is protected, as this record and every earlier one of it say (ADR 0032);
        if so, every home a placement of it lives in marks it protected from now on."""
        self._note_protection(municipality, case_id, identity, placement_type)
        case = (municipality, case_id)
        if not self.exists(CaseProtection.id_for(*case)):
            return False
        ids = dict(self._case_stays.items()).get(case, frozenset())
        shielded = [home for home in self._with_pending(ids) if home.protect_residents_of(*case)]
        if shielded:
            self.save(*shielded)
        return True

    def _move_in(self, placement: PlacementData, protected: bool) -> None:
        lived_in = self._homes_lived_in(placement)
        if self._has_ended(placement, lived_in):
            return  # a late start or change of a placement that has ended
        old = self._current_home(placement, lived_in)
        new = self._home_of(placement)
        if new is not None and old is not None and new.id == old.id:
            # where it already lives (a repeat, a change of something else); its wait may have ended
            self.save(*self._release_holds_elsewhere(placement, old, None, moved_in=False))
            return
        if old is not None:
            old.free(placement.placement_id, placement.municipality, why=MOVED)
        gate: MoveInGate | None = None
        if new is not None:
            gate = self._gate(placement.municipality, placement.case_id)  # see MoveInGate
            protected = gate.move_in(placement.placement_id, new.id) or protected
            if not protected:  # the held place is its home; a protected case's hold ends at its own time
                new.release_hold_of(placement.municipality, placement.case_id)
            new.occupy(placement.placement_id, placement.case_id, placement.municipality, protected)
        released = self._release_holds_elsewhere(placement, new, old, moved_in=new is not None)
        self.save(old, new, gate, *released)  # ``old`` may be among them: saved once

    def _has_ended(self, placement: PlacementData, lived_in: list[FamilyHome]) -> bool:
        """Ended in a home of the pool, or anywhere: an end that came before its start or change,
        when the placement had never been in the pool, is kept only in the case's memory."""
        ended_here = any(home.has_ended_here(*self._placement(placement)) for home in lived_in)
        return ended_here or self.case_waits(placement.municipality, placement.case_id).has_ended(
            placement.placement_id
        )

    def _homes_lived_in(self, placement: PlacementData) -> list[FamilyHome]:
        """Every home the placement has lived in, with what this unit of work has not saved yet."""
        ids = dict(self._stays.items()).get((placement.municipality, placement.placement_id), frozenset())
        return self._with_pending(ids)

    def _with_pending(self, ids: frozenset[UUID]) -> list[FamilyHome]:
        """The homes ``ids`` and every home this unit of work has not saved yet."""
        pending = {
            key for key, obj in (self._pending_aggregates() or {}).items() if isinstance(obj, FamilyHome)
        }
        return [self.repository.get(home_id) for home_id in ids | pending]

    @staticmethod
    def _current_home(placement: PlacementData, lived_in: list[FamilyHome]) -> FamilyHome | None:
        """The home the placement lives in now, whatever the sharing says (ADR 0022)."""
        here = [home for home in lived_in if home.houses(placement.municipality, placement.placement_id)]
        return here[0] if here else None

    def _home_of(self, placement: PlacementData) -> FamilyHome | None:
        """The home a placement names: the placer's own register id, or a partner home's pool id
        (or, as before, its register id) that the placer may place in: shared with it, held for this
        case (a hold is its case's, never another case's of the placer), or already housing this
        placement of the placer's (whatever happened to the sharing since; another municipality's
        placement of the same id is another child, and admits nothing)."""
        municipality, reference = placement.municipality, placement.family_home_id
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
                or home.is_held_for(municipality, placement.case_id, self.clock())
                or home.houses(municipality, placement.placement_id)
            )
        ]
        return placeable[0] if len(placeable) == 1 else None

    def _pooled(self, reference: str) -> FamilyHome | None:
        try:
            home = self.find(UUID(reference))
        except ValueError:
            return None
        return home if isinstance(home, FamilyHome) else None
