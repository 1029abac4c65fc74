"""The pool: register, describe and share family homes (placements: ``placements.py``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from uuid import UUID

from services.collaboration.commands import Availability, HomeProfile, NewHome, Sharing
from services.collaboration.domain.family_home import FamilyHome, RegisterEntry
from services.collaboration.domain.place_holds import PlaceHolds
from services.collaboration.results import HomeSeen, hidden
from services.collaboration.use_cases.base import PoolApplication
from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound
from services.kit.index import CatchUpIndex
from services.kit.pages import Paged, PageRequest

HOME = "family-home"


class AlreadyRegistered(Exception):
    """The municipality already registered a home under that register id."""


@dataclass(frozen=True)
class HomeRow:
    """Who may see a home: its owner and whom it is shared with; and for whose cases places are held
    in it."""

    owner: str
    shared_with: tuple[str, ...] = ()
    holds: frozenset[tuple[str, str, str]] = frozenset()  # (request id, placer, case id)

    def holds_for(self, municipality: str, case_id: str) -> bool:
        return any((placer, case) == (municipality, case_id) for _, placer, case in self.holds)

    def seen_by(self, municipality: str) -> bool:
        """Its owner; a partner it is shared with, whoever lives there (ADR 0009, addendum "partners
        read what they were told"): a home that left partners' lists would say who moved in."""
        return municipality in (self.owner, *self.shared_with)


# Holds are stored as their mixin's own classes (never as FamilyHome.Held / HoldReleased).
HOME_EVENTS = (FamilyHome.Registered, FamilyHome.SharingChanged, PlaceHolds.Held, PlaceHolds.HoldReleased)


def _fold_homes(rows: dict[Any, HomeRow], e: Any) -> None:
    if isinstance(e, FamilyHome.Registered):
        rows[e.originator_id] = HomeRow(e.municipality)
    elif isinstance(e, FamilyHome.SharingChanged):
        rows[e.originator_id] = replace(rows[e.originator_id], shared_with=tuple(e.shared_with))
    elif isinstance(e, PlaceHolds.Held):
        row = rows[e.originator_id]
        rows[e.originator_id] = replace(row, holds=row.holds | {(e.request_id, e.municipality, e.case_id)})
    elif isinstance(e, PlaceHolds.HoldReleased):
        row = rows[e.originator_id]
        rows[e.originator_id] = replace(row, holds=frozenset(h for h in row.holds if h[0] != e.request_id))


def _profile(profile: HomeProfile) -> tuple[int, int, int, tuple[str, ...], tuple[str, ...]]:
    """Capacity, ages, specialisations and languages, as the domain takes them."""
    specialisations, languages = tuple(profile.specialisations), tuple(profile.languages)
    return profile.capacity, profile.age_min, profile.age_max, specialisations, languages


class FamilyHomes(PoolApplication):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._homes = CatchUpIndex(self, _fold_homes, events=HOME_EVENTS)

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
        if not (seen.own or home.is_visible_to(caller.municipality)):
            raise hidden(home.municipality, HOME, home_id)
        return seen

    def homes(self, caller: Caller, page: PageRequest) -> Paged[HomeSeen]:
        """The caller's own homes and those shared with it, oldest first, a page at a time.

        The page is picked from the index; only its homes are loaded.  One that changed in
        between so that the caller may no longer see it is left out (the page is one short).
        """
        chosen = self._homes.page(page, lambda row: row.seen_by(caller.municipality))
        seen = chosen.map(lambda found: HomeSeen(caller.municipality, self.repository.get(found[0])))
        shown = [s for s in seen.items if s.own or s.home.is_visible_to(caller.municipality)]
        return Paged(shown, seen.next_key)

    def _own_home(self, caller: Caller, home_id: UUID) -> FamilyHome:
        home = self.find(home_id)
        if not isinstance(home, FamilyHome):
            raise CaseDataNotFound()
        if home.municipality != caller.municipality:
            raise hidden(home.municipality, HOME, home_id)
        return home

    def lapse_holds(self) -> None:
        """Release the places accepted offers held whose placement never came (periodic job)."""
        now = self.clock()
        for home_id, row in self._homes.items():
            if row.holds and (home := self.repository.get(home_id)).lapse_holds(now):
                self.save(home)
