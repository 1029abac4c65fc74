"""The one table from stored collaboration events to public CloudEvents (STYLE §5).

Internal events (the municipality's own case) go to ``natverk.collaboration.v1``.
Partner events go to ``partner.<code>.v1`` for each entitled partner only, and
every one passes the disclosure filter.  Partner events use the object's pool
id as subject and key: a partner topic never carries a case id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from contracts import collaboration as public
from contracts.topics import COLLABORATION, partner_topic
from services.collaboration import SERVICE
from services.collaboration.disclosure import Withheld, disclose
from services.collaboration.domain.activity import SharedActivity
from services.collaboration.domain.family_home import FamilyHome
from services.collaboration.domain.matching_request import MatchingRequest
from services.kit.logs import get_logger
from services.kit.publication import Outgoing, PublicationTable, case_access_rule

SOURCE = f"/natverk/{SERVICE}"
Loader = Callable[[Any, int], Any]  # (aggregate id, version) -> the aggregate as it was then
HOME = "se.natverk.partner.family_home.v1"
REQUEST = "se.natverk.partner.matching_request.v1"
OFFER = "se.natverk.partner.offer.v1"
ACTIVITY = "se.natverk.partner.activity.v1"
BOOKING = "se.natverk.partner.seat_booking.v1"

log = get_logger(__name__)


def _to_partner(
    partner: str,
    event_type: str,
    subject: str,
    record: dict[str, Any],
    withheld: Callable[[str], None] = lambda _: None,
) -> Outgoing | None:
    """One partner message through the disclosure filter; None when it must be withheld."""
    try:
        data = public.PARTNER_EVENT_TYPES[event_type].model_validate(disclose(event_type, record))
    except Withheld as why:
        log.error("partner message withheld", event_type=event_type, partner=partner, reason=str(why))
        withheld(event_type)
        return None
    return Outgoing(partner_topic(partner), event_type, subject, data)


def home_record(home: FamilyHome, change: str) -> dict[str, Any]:
    return {
        "home_id": str(home.id),
        "owner_municipality": home.municipality,
        "change": change,
        "capacity": home.capacity,
        "free_places": home.free_places,
        "age_min": home.age_min,
        "age_max": home.age_max,
        "specialisations": list(home.specialisations),
        "languages": list(home.languages),
        "available": home.can_be_offered(),
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


def build_publication_table(
    load: Loader, withheld: Callable[[str], None] = lambda _: None
) -> PublicationTable:
    def to_partner(partner: str, event_type: str, subject: str, record: dict[str, Any]) -> Outgoing | None:
        return _to_partner(partner, event_type, subject, record, withheld)

    def at(event: Any) -> Any:
        return load(event.originator_id, event.originator_version)

    def before(event: Any) -> Any:
        return load(event.originator_id, event.originator_version - 1)

    def homes(event: Any) -> list[Outgoing]:
        home: FamilyHome = at(event)
        # While a protected-identity child lives in the home, or as one moves in or out, partners hear
        # nothing about the home: its free places and their timing would say something about the child.
        if home.hosts_protected_child or _moves_protected_child(event, before):
            return []
        if isinstance(event, FamilyHome.SharingChanged):
            previous = set(before(event).shared_with)
            audience = [(p, "shared" if p not in previous else "updated") for p in home.shared_with]
            audience += [(p, "withdrawn") for p in sorted(previous - set(home.shared_with))]
        else:
            audience = [(p, "updated") for p in home.shared_with]
        return [
            o for p, change in audience if (o := to_partner(p, HOME, str(home.id), home_record(home, change)))
        ]

    def occupancy(event: Any) -> Iterable[Outgoing]:
        home: FamilyHome = at(event)
        if isinstance(event, FamilyHome.Occupied):
            case_id, placer, change = event.case_id, event.placing_municipality, "occupied"
        else:
            case_id, placer, _ = before(event).residents[event.placement_id]
            change = "freed"
        internal = Outgoing(
            COLLABORATION,
            "se.natverk.family_home.occupancy_changed.v1",
            case_id,
            public.FamilyHomeOccupancyChangedV1(
                case_id=case_id,
                municipality=placer,
                placement_id=event.placement_id,
                home_id=str(home.id),
                change=change,
                free_places=home.free_places,
            ),
        )
        return [internal, *homes(event)]

    def request_internal(request: MatchingRequest, change: str) -> Outgoing:
        return Outgoing(
            COLLABORATION,
            "se.natverk.matching_request.changed.v1",
            request.case_id,
            public.MatchingRequestChangedV1(
                case_id=request.case_id,
                municipality=request.requester,
                request_id=str(request.id),
                change=change,
                partners=list(request.partners),
            ),
        )

    def request_to_partners(change: str) -> Callable[[Any], list[Outgoing]]:
        def rule(event: Any) -> list[Outgoing]:
            request: MatchingRequest = at(event)
            internal_change = "matched" if change == "matched" else change
            to_partners = [
                to_partner(p, REQUEST, str(request.id), request_record(request, change))
                for p in request.partners
            ]
            return [request_internal(request, internal_change), *[o for o in to_partners if o]]

        return rule

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

    def offer_made(event: Any) -> list[Outgoing]:
        request: MatchingRequest = at(event)
        to_requester = to_partner(
            request.requester, OFFER, str(request.id), offer_record(request, event.offer_id, "made")
        )
        return [request_internal(request, "offer_received"), *([to_requester] if to_requester else [])]

    def offer_accepted(event: Any) -> list[Outgoing]:
        request: MatchingRequest = at(event)
        told = []
        for offer_id, offer in request.offers.items():  # the winner and the others are told
            record = offer_record(request, offer_id, offer["status"])
            told.append(to_partner(offer["partner"], OFFER, str(request.id), record))
        partners = request_to_partners("matched")(event)
        return [*partners, *[o for o in told if o]]

    def request_closed(change: str) -> Callable[[Any], list[Outgoing]]:
        def rule(event: Any) -> list[Outgoing]:
            request: MatchingRequest = at(event)
            told = [
                to_partner(
                    offer["partner"], OFFER, str(request.id), offer_record(request, offer_id, "withdrawn")
                )
                for offer_id, offer in request.offers.items()
            ]
            return [*request_to_partners(change)(event), *[o for o in told if o]]

        return rule

    def activity(change: str) -> Callable[[Any], list[Outgoing]]:
        def rule(event: Any) -> list[Outgoing]:
            shared: SharedActivity = at(event)
            out = [
                to_partner(p, ACTIVITY, str(shared.id), activity_record(shared, change))
                for p in shared.open_to
            ]
            return [o for o in out if o]

        return rule

    def booking(change: str) -> Callable[[Any], list[Outgoing]]:
        def rule(event: Any) -> list[Outgoing]:
            shared: SharedActivity = at(event)
            booked = (shared if change == "booked" else before(event)).bookings[event.booking_id]
            municipality, seats = booked
            out = [
                to_partner(p, ACTIVITY, str(shared.id), activity_record(shared, "seats_changed"))
                for p in shared.open_to
            ]
            if municipality != shared.host:  # the host hears of partners' bookings of its activity
                record = {
                    "activity_id": str(shared.id),
                    "booking_id": event.booking_id,
                    "booking_municipality": municipality,
                    "seats": seats,
                    "change": change,
                }
                out.append(to_partner(shared.host, BOOKING, str(shared.id), record))
            return [o for o in out if o]

        return rule

    return PublicationTable(
        SOURCE,
        {
            FamilyHome.SharingChanged: homes,
            FamilyHome.ProfileChanged: homes,
            FamilyHome.AvailabilityChanged: homes,
            FamilyHome.Occupied: occupancy,
            FamilyHome.Freed: occupancy,
            MatchingRequest.Opened: request_to_partners("opened"),
            MatchingRequest.OfferMade: offer_made,
            MatchingRequest.OfferAccepted: offer_accepted,
            MatchingRequest.Expired: request_closed("expired"),
            MatchingRequest.Withdrawn: request_closed("withdrawn"),
            SharedActivity.Announced: activity("announced"),
            SharedActivity.SeatsBooked: booking("booked"),
            SharedActivity.BookingCancelled: booking("cancelled"),
            SharedActivity.Cancelled: activity("cancelled"),
            **case_access_rule(COLLABORATION, SERVICE),
        },
    )


def _moves_protected_child(event: Any, before: Callable[[Any], Any]) -> bool:
    """The placement behind this occupancy change is of a protected-identity child."""
    if isinstance(event, FamilyHome.Occupied):
        return bool(event.protected)
    if isinstance(event, FamilyHome.Freed):
        return bool(before(event).residents[event.placement_id][2])
    return False
