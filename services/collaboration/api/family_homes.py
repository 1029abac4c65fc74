"""/api/v1/family-homes: the pool.  The owner reads a home as ``OwnerView`` does, a partner as told."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, RootModel

from services.collaboration.api.roles import CONSULTANT, READERS
from services.collaboration.application import CollaborationApplication as Collaboration
from services.collaboration.commands import Availability, HomeProfile, NewHome, Sharing
from services.collaboration.disclosure import disclose
from services.collaboration.domain.family_home import FamilyHome
from services.collaboration.records import HOME, home_record
from services.collaboration.results import HomeSeen
from services.kit.commands import Kit
from services.kit.pages import Page
from services.kit.params import Paging

router = APIRouter(prefix="/family-homes", tags=["family homes"])


class HomeFacts(BaseModel):
    home_id: str
    owner_municipality: str
    change: str
    capacity: int
    free_places: int
    age_min: int
    age_max: int
    specialisations: list[str]
    languages: list[str]
    available: bool


class PartnerHome(HomeFacts):
    """A home shared with the caller: its pool id and profile, never the owner's register id."""

    @classmethod
    def of(cls, home: FamilyHome) -> PartnerHome:
        return cls(**disclose(HOME, home_record(home, "shared")))


class OwnHome(HomeFacts):
    """One of the caller's own homes, in full."""

    register_id: str
    kind: str
    shared_with: list[str]
    offerable: bool
    occupied_places: int

    @classmethod
    def of(cls, home: FamilyHome) -> OwnHome:
        return cls(
            **{
                **home_record(home, "registered"),
                "free_places": home.free_places,
                "available": home.available,
            },
            register_id=home.register_id,
            kind=home.kind,
            shared_with=list(home.shared_with),
            offerable=home.can_be_offered(),
            occupied_places=home.occupied_places,
        )


class HomeView(RootModel[OwnHome | PartnerHome]):
    @classmethod
    def of(cls, seen: HomeSeen) -> HomeView:
        return cls(OwnHome.of(seen.home) if seen.own else PartnerHome.of(seen.home))


@router.post("", status_code=201, response_model=HomeView)
def register_home(body: NewHome, kit: Kit) -> HomeView:
    return kit.command(Collaboration.register_home, body, view=HomeView, roles=CONSULTANT, status=201)


@router.get("", response_model=Page[HomeView])
def list_homes(kit: Kit, page: Paging) -> Page[HomeView]:
    """The caller's own homes and the homes shared with it, oldest first, a page at a time."""
    return kit.query(Collaboration.homes, page, view=Page[HomeView], roles=READERS)


@router.get("/{home_id}", response_model=HomeView)
def get_home(home_id: UUID, kit: Kit) -> HomeView:
    return kit.query(Collaboration.home, home_id, view=HomeView, roles=READERS)


@router.put("/{home_id}/profile", response_model=HomeView)
def change_profile(home_id: UUID, body: HomeProfile, kit: Kit) -> HomeView:
    return kit.command(Collaboration.change_profile, home_id, body, view=HomeView, roles=CONSULTANT)


@router.put("/{home_id}/sharing", response_model=HomeView)
def share_home(home_id: UUID, body: Sharing, kit: Kit) -> HomeView:
    return kit.command(Collaboration.share_home, home_id, body, view=HomeView, roles=CONSULTANT)


@router.put("/{home_id}/availability", response_model=HomeView)
def set_availability(home_id: UUID, body: Availability, kit: Kit) -> HomeView:
    return kit.command(Collaboration.set_availability, home_id, body, view=HomeView, roles=CONSULTANT)
