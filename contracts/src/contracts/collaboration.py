"""Events of the inter-municipal collaboration (Uppsala, Västerås, Gävle).

Two audiences:

* ``natverk.collaboration.v1`` (internal): what happened in one municipality's
  own case (a home occupied by its placement, its matching request), for the
  case timeline.
* ``partner.<code>.v1``: what a partner is entitled to see.  These payloads
  never carry a case id, a personal identity number, a name, an address or the
  municipality's own family-home register id: homes appear under a random
  pool id (``home_id``), requests describe needs in bands.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from contracts.common import CaseId, ContractModel, Day, Identifier, Municipality

Specialisation = Literal["reinforced", "tfco", "emergency"]
AgeBand = Literal["0-5", "6-12", "13-17", "18-20"]
RequestedPlacement = Literal["jourhem", "familjehem", "forstarkt_familjehem", "behandlingsfamilj"]
ActivityKind = Literal["training", "theme_evening", "mentor_family", "open_care_programme"]
Language = str  # ISO 639-1 code, checked by the pattern below
LANGUAGE_PATTERN = r"^[a-z]{2}$"
# Words, not identifiers: what a request may say about the assignment.
Need = Literal[
    "reinforced",
    "tfco",
    "emergency",
    "siblings_together",
    "near_school",
    "contact_with_parents",
    "animals_ok",
    "no_other_children",
    "experience_of_crime_prevention",
    "experience_of_trauma",
]


class FamilyHomeOccupancyChangedV1(ContractModel):
    """Internal: one of the municipality's own placements occupied or freed a home of the pool, its
    own or a partner's.  ``free_places`` is the home as the placing municipality may know it: the
    truth in its own home, in a partner's home the free places partners read (ADR 0009)."""

    case_id: CaseId
    municipality: Municipality
    placement_id: Identifier
    home_id: str
    change: Literal["occupied", "freed"]
    free_places: int

    def summary(self) -> str:
        return f"Family home {self.change} ({self.free_places} place(s) free)"


class MatchingRequestChangedV1(ContractModel):
    """Internal: the requesting municipality's own view of its matching request."""

    case_id: CaseId
    municipality: Municipality
    request_id: str
    change: Literal["opened", "offer_received", "matched", "expired", "withdrawn"]
    partners: list[Municipality]

    def summary(self) -> str:
        return f"Matching request to {', '.join(self.partners)}: {self.change.replace('_', ' ')}"


class PartnerFamilyHomeV1(ContractModel):
    """Partner: a family home shared with the partner, as the pool sees it now."""

    home_id: str
    owner_municipality: Municipality
    change: Literal["shared", "updated", "withdrawn"]
    capacity: int = Field(ge=0, le=10)
    free_places: int = Field(ge=0, le=10)
    age_min: int = Field(ge=0, le=20)
    age_max: int = Field(ge=0, le=20)
    specialisations: list[Specialisation] = []
    languages: list[str] = []
    available: bool


class PartnerMatchingRequestV1(ContractModel):
    """Partner: a municipality asks the partner for a home; needs only, never who the child is."""

    request_id: str
    requester_municipality: Municipality
    change: Literal["opened", "matched", "expired", "withdrawn"]
    age_band: AgeBand
    placement_type: RequestedPlacement
    needs: list[Need] = []
    from_date: Day
    expires_at: datetime


class PartnerOfferV1(ContractModel):
    """Partner: an offer of a home for a request (to the requester), or its fate (to the offerer)."""

    request_id: str
    offer_id: str
    offering_municipality: Municipality
    requester_municipality: Municipality
    home_id: str
    change: Literal["made", "accepted", "declined", "withdrawn"]


class PartnerActivityV1(ContractModel):
    """Partner: a shared activity open to the partner and its free seats."""

    activity_id: str
    host_municipality: Municipality
    kind: ActivityKind
    title: str = Field(max_length=120)
    starts_at: datetime
    seats: int = Field(ge=0)
    seats_free: int = Field(ge=0)
    change: Literal["announced", "seats_changed", "cancelled"]


class PartnerSeatBookingV1(ContractModel):
    """Partner (to the host): a partner booked or cancelled seats on the host's activity."""

    activity_id: str
    booking_id: str
    booking_municipality: Municipality
    seats: int = Field(ge=1)
    change: Literal["booked", "cancelled"]


PARTNER_EVENT_TYPES: dict[str, type[ContractModel]] = {
    "se.natverk.partner.family_home.v1": PartnerFamilyHomeV1,
    "se.natverk.partner.matching_request.v1": PartnerMatchingRequestV1,
    "se.natverk.partner.offer.v1": PartnerOfferV1,
    "se.natverk.partner.activity.v1": PartnerActivityV1,
    "se.natverk.partner.seat_booking.v1": PartnerSeatBookingV1,
}
