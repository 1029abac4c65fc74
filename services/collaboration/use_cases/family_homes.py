"""The pool: register, describe and share family homes; placements make them occupied and free."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from contracts.common import MUNICIPALITIES
from contracts.placements import PlacementEndedV1, PlacementStartedV1
from services.collaboration.commands import Availability, HomeProfile, NewHome, Sharing
from services.collaboration.domain.family_home import FamilyHome, RegisterEntry
from services.collaboration.domain.place_holds import PlaceHolds
from services.collaboration.results import HomeSeen, hidden
from services.collaboration.use_cases.base import PoolApplication
from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound
from services.kit.inbound import InboundEvent
from services.kit.index import CatchUpIndex
from services.kit.pages import Paged, PageRequest

HOME = "family-home"


class AlreadyRegistered(Exception):
    """The municipality already registered a home under that register id."""


@dataclass(frozen=True)
class HomeRow:
    """Who may see a home: its owner, whom it is shared with, which protected children live there."""

    owner: str
    shared_with: tuple[str, ...] = ()
    protected_placements: frozenset[str] = frozenset()
    holds: int = 0

    def seen_by(self, municipality: str) -> bool:
        """Its owner; a partner it is shared with, unless a protected-identity child lives there."""
        shared = municipality in self.shared_with and not self.protected_placements
        return municipality == self.owner or shared


def _fold_homes(rows: dict[Any, HomeRow], e: Any) -> None:
    if isinstance(e, FamilyHome.Registered):
        rows[e.originator_id] = HomeRow(e.municipality)
    elif isinstance(e, FamilyHome.SharingChanged):
        rows[e.originator_id] = replace(rows[e.originator_id], shared_with=tuple(e.shared_with))
    elif isinstance(e, FamilyHome.Occupied) and e.protected:
        row = rows[e.originator_id]
        rows[e.originator_id] = replace(row, protected_placements=row.protected_placements | {e.placement_id})
    elif isinstance(e, (PlaceHolds.Held, PlaceHolds.HoldReleased)):
        row = rows[e.originator_id]
        rows[e.originator_id] = replace(row, holds=row.holds + (1 if isinstance(e, PlaceHolds.Held) else -1))
    elif isinstance(e, FamilyHome.Freed):
        row = rows[e.originator_id]
        rows[e.originator_id] = replace(row, protected_placements=row.protected_placements - {e.placement_id})


def _profile(profile: HomeProfile) -> tuple[int, int, int, tuple[str, ...], tuple[str, ...]]:
    """Capacity, ages, specialisations and languages, as the domain takes them."""
    specialisations, languages = tuple(profile.specialisations), tuple(profile.languages)
    return profile.capacity, profile.age_min, profile.age_max, specialisations, languages


class FamilyHomes(PoolApplication):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._homes = CatchUpIndex(self, _fold_homes)

    # -- HTTP use cases ---------------------------------------------------------------------
    def register_home(self, caller: Caller, new: NewHome) -> HomeSeen:
        if self.exists(RegisterEntry.id_for(caller.municipality, new.register_id)):
            raise AlreadyRegistered("a home with that register id is already registered")
        home = FamilyHome.register(caller.municipality, new.register_id, new.kind, *_profile(new))
        # The entry's deterministic id makes a concurrent second registration fail in the store (409).
        self.save(
            home,
            RegisterEntry(municipality=caller.municipality, register_id=new.register_id, home_id=home.id),
        )
        return HomeSeen(caller.municipality, home)

    def change_profile(self, caller: Caller, home_id: UUID, profile: HomeProfile) -> HomeSeen:
        home = self._own_home(caller, home_id)
        home.change_profile(*_profile(profile))
        self.save(home)
        return HomeSeen(caller.municipality, home)

    def share_home(self, caller: Caller, home_id: UUID, sharing: Sharing) -> HomeSeen:
        home = self._own_home(caller, home_id)
        home.share_with(tuple(sharing.shared_with))
        self.save(home)
        return HomeSeen(caller.municipality, home)

    def set_availability(self, caller: Caller, home_id: UUID, availability: Availability) -> HomeSeen:
        home = self._own_home(caller, home_id)
        home.set_available(availability.available)
        self.save(home)
        return HomeSeen(caller.municipality, home)

    def home(self, caller: Caller, home_id: UUID) -> HomeSeen:
        """The caller's own home, or a partner's home shared with the caller."""
        home = self.find(home_id)
        if not isinstance(home, FamilyHome):
            raise CaseDataNotFound()
        seen = HomeSeen(caller.municipality, home)
        if not (seen.own or self._shown_to_partner(home, caller.municipality)):
            raise hidden(home.municipality, HOME, home_id)
        return seen

    def homes(self, caller: Caller, page: PageRequest) -> Paged[HomeSeen]:
        """The caller's own homes and those shared with it, oldest first, a page at a time.

        The page is picked from the index; only its homes are loaded.  One that changed in
        between so that the caller may no longer see it is left out (the page is one short).
        """
        chosen = self._homes.page(page, lambda row: row.seen_by(caller.municipality))
        seen = chosen.map(lambda found: HomeSeen(caller.municipality, self.repository.get(found[0])))
        shown = [s for s in seen.items if s.own or self._shown_to_partner(s.home, caller.municipality)]
        return Paged(shown, seen.next_key)

    def _own_home(self, caller: Caller, home_id: UUID) -> FamilyHome:
        home = self.find(home_id)
        if not isinstance(home, FamilyHome):
            raise CaseDataNotFound()
        if home.municipality != caller.municipality:
            raise hidden(home.municipality, HOME, home_id)
        return home

    @staticmethod
    def _shown_to_partner(home: FamilyHome, partner: str) -> bool:
        # While a protected-identity child lives there, partners do not see the home at all.
        return home.is_visible_to(partner) and not home.hosts_protected_child

    # -- inbound use cases: placements make homes occupied and free --------------------------
    def placement_started(self, event: InboundEvent[PlacementStartedV1]) -> None:
        placement = event.data
        home = self._home_of(placement.municipality, placement.family_home_id, placement.placement_id)
        if home is None or placement.placement_id in home.residents:
            return  # not a pool home, or a repeated delivery
        home.release_hold_of(placement.municipality, placement.case_id)  # the held place becomes its home
        home.occupy(
            placement.placement_id,
            placement.case_id,
            placement.municipality,
            placement.child.protected_identity,
        )
        self.save(home)

    def placement_ended(self, event: InboundEvent[PlacementEndedV1]) -> None:
        placement = event.data
        home = self._home_of(placement.municipality, placement.family_home_id, placement.placement_id)
        if home is not None and home.free(placement.placement_id):
            self.save(home)

    def lapse_holds(self) -> None:
        """Release the places accepted offers held whose placement never came (periodic job)."""
        now = self.clock()
        for home_id, row in self._homes.items():
            if row.holds and (home := self.repository.get(home_id)).lapse_holds(now):
                self.save(home)

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
