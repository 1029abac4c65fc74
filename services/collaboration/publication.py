"""The one table from stored collaboration events to public CloudEvents (STYLE §5).

Internal events (the municipality's own case) go to ``natverk.collaboration.v1``.
Partner events go to ``partner.<code>.v1`` for each entitled partner only, and
every one passes the disclosure filter.  Partner events use the object's pool
id as subject and key: a partner topic never carries a case id, and their
``actor`` is the municipality whose object the message is about, never the
staff member who acted (a partner may not learn who works on another
municipality's cases).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from contracts import collaboration as public
from contracts.common import ContractModel
from contracts.topics import COLLABORATION, partner_topic
from services.collaboration import SERVICE, records
from services.collaboration.disclosure import Withheld, disclose
from services.collaboration.domain.activity import SharedActivity
from services.collaboration.domain.family_home import FamilyHome
from services.collaboration.domain.matching_request import MatchingRequest
from services.collaboration.domain.place_holds import PlaceHolds
from services.kit.logs import get_logger
from services.kit.publication import Outgoing, PublicationTable, case_access_rule

SOURCE = f"/natverk/{SERVICE}"
Loader = Callable[[Any, int], Any]  # (aggregate id, version) -> the aggregate as it was then
REQUEST_CHANGES = {
    MatchingRequest.Opened: "opened",
    MatchingRequest.OfferAccepted: "matched",
    MatchingRequest.Expired: "expired",
    MatchingRequest.Withdrawn: "withdrawn",
}
ACTIVITY_CHANGES = {SharedActivity.Announced: "announced", SharedActivity.Cancelled: "cancelled"}

log = get_logger(__name__)


def partner_actor(municipality: str) -> str:
    """The ``actor`` of every partner message: a municipality, never a person."""
    return f"municipality:{municipality}"


class _Rules:
    """The rules of the table; each gets a stored event and says what to publish."""

    def __init__(self, load: Loader, withheld: Callable[[str], None]) -> None:
        self._load = load
        self._withheld = withheld

    def at(self, event: Any) -> Any:
        return self._load(event.originator_id, event.originator_version)

    def before(self, event: Any) -> Any:
        return self._load(event.originator_id, event.originator_version - 1)

    def tell(
        self, event_type: str, subject: str, on_behalf_of: str, letters: Iterable[tuple[str, dict[str, Any]]]
    ) -> list[Outgoing]:
        """One message per (partner, record) through the disclosure filter, less those withheld."""
        return [
            Outgoing(partner_topic(partner), event_type, subject, data, partner_actor(on_behalf_of))
            for partner, record in letters
            if (data := self._disclosed(partner, event_type, record)) is not None
        ]

    def _disclosed(self, partner: str, event_type: str, record: dict[str, Any]) -> ContractModel | None:
        try:
            return public.PARTNER_EVENT_TYPES[event_type].model_validate(disclose(event_type, record))
        except Withheld as why:
            log.error("partner message withheld", event_type=event_type, partner=partner, reason=str(why))
            self._withheld(event_type)
            return None

    # -- the pool --------------------------------------------------------------------------
    def homes(self, event: Any) -> list[Outgoing]:
        home: FamilyHome = self.at(event)
        # As a protected-identity child moves in, or one partners were never told of moves out, partners
        # hear nothing: their view (``PartnerView``) does not change then; all else is told as it shows.
        if self._moves_protected_child(event):
            return []
        audience = [(p, "updated") for p in home.shared_with]
        if isinstance(event, FamilyHome.SharingChanged):
            previous = set(self.before(event).shared_with)
            audience = [(p, "shared" if p not in previous else "updated") for p in home.shared_with]
            audience += [(p, "withdrawn") for p in sorted(previous - set(home.shared_with))]
        letters = [(partner, records.home_record(home, change)) for partner, change in audience]
        return self.tell(records.HOME, str(home.id), home.municipality, letters)

    def occupancy(self, event: Any) -> list[Outgoing]:
        home: FamilyHome = self.at(event)
        if isinstance(event, FamilyHome.Occupied):
            case_id, placer, change = event.case_id, event.placing_municipality, "occupied"
        else:
            case_id, placer, _ = self.before(event).details_of(event.placement_id, event.placing_municipality)
            change = "freed"
        data = public.FamilyHomeOccupancyChangedV1(
            case_id=case_id,
            municipality=placer,
            placement_id=event.placement_id,
            home_id=str(home.id),
            change=change,
            free_places=home.free_places_known_to(placer),  # a partner's placer: as it reads the home
        )
        internal = Outgoing(COLLABORATION, "se.natverk.family_home.occupancy_changed.v1", case_id, data)
        return [internal, *self.homes(event)]

    def _moves_protected_child(self, event: Any) -> bool:
        """A protected child moves in, or one never told of leaves (one told of is, protected or not)."""
        if isinstance(event, FamilyHome.Occupied):
            return bool(event.protected)
        if isinstance(event, FamilyHome.Freed):
            home = self.before(event)
            return not home.told_of(home.resident_named(event.placement_id, event.placing_municipality))
        return False

    # -- matching --------------------------------------------------------------------------
    def request_changed(self, event: Any) -> list[Outgoing]:
        request: MatchingRequest = self.at(event)
        change = REQUEST_CHANGES[type(event)]
        internal = self._request_internal(request, change)
        return [internal, *self._to_partners(request, change), *self._offers_told(event, request)]

    def offer_made(self, event: Any) -> list[Outgoing]:
        request: MatchingRequest = self.at(event)
        offerer = request.offers[event.offer_id]["partner"]
        record = records.offer_record(request, event.offer_id, "made")
        to_requester = self.tell(records.OFFER, str(request.id), offerer, [(request.requester, record)])
        return [self._request_internal(request, "offer_received"), *to_requester]

    def _to_partners(self, request: MatchingRequest, change: str) -> list[Outgoing]:
        letters = [(partner, records.request_record(request, change)) for partner in request.partners]
        return self.tell(records.REQUEST, str(request.id), request.requester, letters)

    def _offers_told(self, event: Any, request: MatchingRequest) -> list[Outgoing]:
        """As the request closes, each offerer hears its offer's fate, if this event decided it."""
        before = {} if isinstance(event, MatchingRequest.Opened) else self.before(event).offers
        letters = [
            (offer["partner"], records.offer_record(request, offer_id, offer["status"]))
            for offer_id, offer in request.offers.items()
            if offer_id in before and offer["status"] != before[offer_id]["status"]
        ]
        return self.tell(records.OFFER, str(request.id), request.requester, letters)

    def _request_internal(self, request: MatchingRequest, change: str) -> Outgoing:
        data = public.MatchingRequestChangedV1(
            case_id=request.case_id,
            municipality=request.requester,
            request_id=str(request.id),
            change=change,
            partners=list(request.partners),
        )
        return Outgoing(COLLABORATION, "se.natverk.matching_request.changed.v1", request.case_id, data)

    # -- shared activities -------------------------------------------------------------------
    def activity(self, event: Any) -> list[Outgoing]:
        return self._to_open_to(self.at(event), ACTIVITY_CHANGES[type(event)])

    def booking(self, event: Any) -> list[Outgoing]:
        shared: SharedActivity = self.at(event)
        booked = isinstance(event, SharedActivity.SeatsBooked)
        holding = shared if booked else self.before(event)  # the activity while it holds the booking
        booker = holding.booker_of(event.booking_id, event.municipality)
        booking = (booker, holding.bookings[(booker, event.booking_id)])
        change = "booked" if booked else "cancelled"
        out = self._to_open_to(shared, "seats_changed")
        if booker != shared.host:  # the host hears of partners' bookings of its activity
            record = records.booking_record(shared, event.booking_id, booking, change)
            out += self.tell(records.BOOKING, str(shared.id), booker, [(shared.host, record)])
        return out

    def _to_open_to(self, shared: SharedActivity, change: str) -> list[Outgoing]:
        letters = [(partner, records.activity_record(shared, change)) for partner in shared.open_to]
        return self.tell(records.ACTIVITY, str(shared.id), shared.host, letters)


def build_publication_table(load: Loader, withheld: Callable[[str], None]) -> PublicationTable:
    rules = _Rules(load, withheld)
    return PublicationTable(
        SOURCE,
        {
            FamilyHome.SharingChanged: rules.homes,
            FamilyHome.ProfileChanged: rules.homes,
            FamilyHome.AvailabilityChanged: rules.homes,
            PlaceHolds.Held: rules.homes,  # a held place is no longer free: partners see it taken
            # Released for its placement: told by the occupancy that follows, in one save; else a free place.
            PlaceHolds.HoldReleased: lambda e: [] if e.why == "placed" else rules.homes(e),
            FamilyHome.Occupied: rules.occupancy,
            FamilyHome.Freed: rules.occupancy,
            **dict.fromkeys(REQUEST_CHANGES, rules.request_changed),
            MatchingRequest.OfferMade: rules.offer_made,
            **dict.fromkeys(ACTIVITY_CHANGES, rules.activity),
            SharedActivity.SeatsBooked: rules.booking,
            SharedActivity.BookingCancelled: rules.booking,
            **case_access_rule(COLLABORATION, SERVICE),
        },
    )
