"""What the pool says about its objects: the records partner messages and partner views are made of.

Each record holds every field a partner could be entitled to; ``disclose`` then
keeps only the allow-listed ones (``services.collaboration.disclosure``).
"""

from __future__ import annotations

from typing import Any

from services.collaboration.domain.activity import SharedActivity
from services.collaboration.domain.family_home import FamilyHome
from services.collaboration.domain.matching_request import MatchingRequest

HOME = "se.natverk.partner.family_home.v1"
REQUEST = "se.natverk.partner.matching_request.v1"
OFFER = "se.natverk.partner.offer.v1"
ACTIVITY = "se.natverk.partner.activity.v1"
BOOKING = "se.natverk.partner.seat_booking.v1"


def home_record(home: FamilyHome, change: str) -> dict[str, Any]:
    """The home as partners are told of it and read it: its places as ``PartnerView`` keeps them."""
    return {
        "home_id": str(home.id),
        "owner_municipality": home.municipality,
        "change": change,
        "capacity": home.capacity,
        "free_places": home.partner_free_places,
        "age_min": home.age_min,
        "age_max": home.age_max,
        "specialisations": list(home.specialisations),
        "languages": list(home.languages),
        "available": home.offered_to_partners(),
    }


def request_record(request: MatchingRequest, change: str) -> dict[str, Any]:
    return {
        "request_id": str(request.id),
        "requester_municipality": request.requester,
        "change": change,
        "age_band": request.age_band,
        "placement_type": request.placement_type,
        "needs": list(request.needs),
        "from_date": request.from_date,
        "expires_at": request.expires_at,
    }


def offer_record(request: MatchingRequest, offer_id: str, change: str) -> dict[str, Any]:
    offer = request.offers[offer_id]
    return {
        "request_id": str(request.id),
        "offer_id": offer_id,
        "offering_municipality": offer["partner"],
        "requester_municipality": request.requester,
        "home_id": offer["home_id"],
        "change": change,
    }


def activity_record(activity: SharedActivity, change: str) -> dict[str, Any]:
    return {
        "activity_id": str(activity.id),
        "host_municipality": activity.host,
        "kind": activity.kind,
        "title": activity.title,
        "starts_at": activity.starts_at,
        "seats": activity.seats,
        "seats_free": max(activity.seats_free, 0),
        "change": change,
    }


def booking_record(
    activity: SharedActivity, booking_id: str, booked: tuple[str, int], change: str
) -> dict[str, Any]:
    municipality, seats = booked
    return {
        "activity_id": str(activity.id),
        "booking_id": booking_id,
        "booking_municipality": municipality,
        "seats": seats,
        "change": change,
    }
