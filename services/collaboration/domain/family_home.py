"""A recruited family home in the pool: what it can take, whom it is shared with, who lives there.

``register_id`` is the owner's own id (placement events carry it as ``family_home_id``); partners only
ever see the aggregate's random pool id.  An accepted offer holds a place until its placement arrives
or the hold lapses (ADR 0022).  A resident is its placer's: (placing municipality, placement id).
Partners are told, and read, its places as ``PartnerView`` keeps them, its owner as ``OwnerView``
does: partners' view and the owner's own protected children (ADR 0009).
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.collaboration.domain.home_profile import (
    InvalidHome,
    KinshipHomeNotShareable,
    check_fit,
    check_profile,
)
from services.collaboration.domain.owner_view import OwnerView
from services.collaboration.domain.place_holds import PlaceHolds
from services.collaboration.domain.protected_residents import ProtectedResidents
from services.collaboration.domain.residents import ENDED, Resident
from services.kit.domain.ids import stable_id


class FamilyHome(OwnerView, PlaceHolds, ProtectedResidents):
    class Registered(Aggregate.Created):
        municipality: str
        register_id: str
        kind: str
        capacity: int
        age_min: int
        age_max: int
        specialisations: tuple[str, ...]
        languages: tuple[str, ...]

    class ProfileChanged(Aggregate.Event):
        capacity: int
        age_min: int
        age_max: int
        specialisations: tuple[str, ...]
        languages: tuple[str, ...]

    class AvailabilityChanged(Aggregate.Event):
        available: bool

    class SharingChanged(Aggregate.Event):
        shared_with: tuple[str, ...]

    class Occupied(Aggregate.Event):
        placement_id: str
        case_id: str
        placing_municipality: str
        protected: bool

    class Freed(Aggregate.Event):
        placement_id: str
        why: str = ENDED  # or MOVED: a placement change took the child to another home
        placing_municipality: str = ""  # absent in events stored before: see ``residents.named``

    @event(Registered)
    def __init__(
        self,
        municipality: str,
        register_id: str,
        kind: str,
        capacity: int,
        age_min: int,
        age_max: int,
        specialisations: tuple[str, ...],
        languages: tuple[str, ...],
    ) -> None:
        self.municipality, self.register_id, self.kind = municipality, register_id, kind
        self.capacity, self.age_min, self.age_max = capacity, age_min, age_max
        self.specialisations, self.languages = tuple(specialisations), tuple(languages)
        self.available = True
        self.shared_with: tuple[str, ...] = ()
        self.residents: dict[Resident, tuple[str, str, bool]] = {}  # see Residents
        self.holds: dict[str, tuple[str, str, datetime]] = {}
        self.left: dict[Resident, str] = {}

    @classmethod
    def register(
        cls,
        municipality: str,
        register_id: str,
        kind: str,
        capacity: int,
        age_min: int,
        age_max: int,
        specialisations: tuple[str, ...] = (),
        languages: tuple[str, ...] = (),
    ) -> FamilyHome:
        """A new home under a random pool id (the only id partners ever see)."""
        check_profile(kind, capacity, age_min, age_max, specialisations)
        profile = (capacity, age_min, age_max, tuple(specialisations), tuple(languages))
        return cls(municipality, register_id, kind, *profile)

    # -- questions ----------------------------------------------------------------------
    def check_fits(self, age_band: str, placement_type: str, needs: tuple[str, ...]) -> None:
        check_fit(self.age_min, self.age_max, self.specialisations, age_band, placement_type, needs)

    # -- commands -----------------------------------------------------------------------
    def change_profile(
        self,
        capacity: int,
        age_min: int,
        age_max: int,
        specialisations: tuple[str, ...],
        languages: tuple[str, ...],
    ) -> None:
        check_profile(self.kind, capacity, age_min, age_max, specialisations)
        profile = (capacity, age_min, age_max, tuple(specialisations), tuple(languages))
        # Unchanged, nothing is stored or told: a re-save is no message, nor a probe (ADR 0009).
        if profile != (self.capacity, self.age_min, self.age_max, self.specialisations, self.languages):
            self._profile_changed(*profile)

    def set_available(self, available: bool) -> None:
        if available != self.available:
            self._availability_changed(available)

    def share_with(self, partners: tuple[str, ...]) -> None:
        partners = tuple(sorted(set(partners)))
        if partners and self.kind == "kinship":
            raise KinshipHomeNotShareable("a kinship (network) home is never shared with partners")
        if self.municipality in partners:
            raise InvalidHome("a home is not shared with its own municipality")
        if partners != self.shared_with:
            self._sharing_changed(partners)

    def occupy(self, placement_id: str, case_id: str, placing_municipality: str, protected: bool) -> bool:
        """A placement moved in; False when it was already recorded (a repeated delivery)."""
        if self.houses(placing_municipality, placement_id):
            return False
        self._occupied(placement_id, case_id, placing_municipality, protected)
        return True

    def free(self, placement_id: str, placing_municipality: str, why: str = ENDED) -> bool:
        """The placer's placement left; False when it does not live here (another's never leaves)."""
        if not self.houses(placing_municipality, placement_id):
            return False
        self._freed(placement_id, why, placing_municipality)
        return True

    # -- state changes ------------------------------------------------------------------
    @event(ProfileChanged)
    def _profile_changed(
        self,
        capacity: int,
        age_min: int,
        age_max: int,
        specialisations: tuple[str, ...],
        languages: tuple[str, ...],
    ) -> None:
        self.capacity, self.age_min, self.age_max = capacity, age_min, age_max
        self.specialisations, self.languages = tuple(specialisations), tuple(languages)
        self._told()

    @event(AvailabilityChanged)
    def _availability_changed(self, available: bool) -> None:
        self.available = available
        self._told()

    @event(SharingChanged)
    def _sharing_changed(self, shared_with: tuple[str, ...]) -> None:
        self.shared_with = tuple(shared_with)
        self._told()

    @event(Occupied)
    def _occupied(self, placement_id: str, case_id: str, placing_municipality: str, protected: bool) -> None:
        self.residents[(placing_municipality, placement_id)] = (case_id, placing_municipality, protected)
        self._case_moved_in(placing_municipality, case_id)  # a hold left in place: see ``PlaceHolds``
        self._moved_in((placing_municipality, placement_id), case_id, protected)

    @event(Freed)
    def _freed(self, placement_id: str, why: str = ENDED, placing_municipality: str = "") -> None:
        resident = self.resident_named(placement_id, placing_municipality)
        self.left[resident] = why
        del self.residents[resident]
        self._left(resident)


class RegisterEntry(Aggregate):
    """One municipality's register id → the pool id: its deterministic id makes the register id unique."""

    @staticmethod
    def id_for(municipality: str, register_id: str) -> UUID:
        return stable_id("collaboration", "register", municipality, register_id)

    @classmethod
    def create_id(cls, municipality: str, register_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, register_id)

    @event("Entered")
    def __init__(self, municipality: str, register_id: str, home_id: UUID) -> None:
        self.municipality, self.register_id, self.home_id = municipality, register_id, home_id
