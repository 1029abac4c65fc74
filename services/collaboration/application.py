"""The collaboration use cases: each is get → check the caller's municipality → call → save."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import Tracking

from contracts.common import MUNICIPALITIES
from services.collaboration.domain.activity import SharedActivity
from services.collaboration.domain.family_home import FamilyHome, RegisterEntry
from services.collaboration.domain.matching_request import MatchingRequest
from services.kit.index import CatchUpIndex
from services.kit.store import ServiceApplication


class NotFound(Exception):
    """No such object that the caller's municipality may see."""


class AlreadyRegistered(Exception):
    """The municipality already registered a home under that register id."""


class DuplicateRequest(Exception):
    """An open request for the same case already went to that partner."""


class NotOfferable(Exception):
    """The home cannot be offered for this request (not yours, not shared, full, paused)."""


class ProtectedChild(Exception):
    """Nothing about a child with a protected identity goes to partners."""


def _fold_homes(rows: dict[Any, tuple[str, tuple[str, ...], str]], e: Any) -> None:
    if isinstance(e, FamilyHome.Registered):
        rows[e.originator_id] = (e.municipality, (), e.kind)
    elif isinstance(e, FamilyHome.SharingChanged):
        owner, _, kind = rows[e.originator_id]
        rows[e.originator_id] = (owner, tuple(e.shared_with), kind)


def _fold_requests(rows: dict[Any, tuple[str, str, tuple[str, ...], bool]], e: Any) -> None:
    if isinstance(e, MatchingRequest.Opened):
        rows[e.originator_id] = (e.requester, e.case_id, tuple(e.partners), True)
    elif isinstance(e, (MatchingRequest.OfferAccepted, MatchingRequest.Expired, MatchingRequest.Withdrawn)):
        requester, case_id, partners, _ = rows[e.originator_id]
        rows[e.originator_id] = (requester, case_id, partners, False)


def _fold_activities(rows: dict[Any, tuple[str, tuple[str, ...]]], e: Any) -> None:
    if isinstance(e, SharedActivity.Announced):
        rows[e.originator_id] = (e.host, tuple(e.open_to))


class CollaborationApplication(ServiceApplication):
    name = "collaboration"

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._homes = CatchUpIndex(self, _fold_homes)
        self._requests = CatchUpIndex(self, _fold_requests)
        self._activities = CatchUpIndex(self, _fold_activities)
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.request_lifetime = timedelta(hours=72)

    # -- the pool ---------------------------------------------------------------------------
    def register_home(
        self,
        municipality: str,
        register_id: str,
        kind: str,
        capacity: int,
        age_min: int,
        age_max: int,
        specialisations: tuple[str, ...],
        languages: tuple[str, ...],
    ) -> FamilyHome:
        if self._get(RegisterEntry.id_for(municipality, register_id)) is not None:
            raise AlreadyRegistered(f"a home with register id {register_id} is already registered")
        home = FamilyHome.register(
            municipality, register_id, kind, capacity, age_min, age_max, specialisations, languages
        )
        # The entry's deterministic id makes a concurrent second registration fail in the store (409).
        self.save(home, RegisterEntry(municipality=municipality, register_id=register_id, home_id=home.id))
        return home

    def home(self, municipality: str, home_id: UUID) -> FamilyHome:
        """The caller's own home, or a partner's home shared with the caller."""
        home = self._get(home_id)
        if not isinstance(home, FamilyHome) or not (
            home.municipality == municipality or home.is_visible_to(municipality)
        ):
            raise NotFound("no such family home")
        return home

    def own_home(self, municipality: str, home_id: UUID) -> FamilyHome:
        home = self.home(municipality, home_id)
        if home.municipality != municipality:
            raise NotFound("no such family home of yours")
        return home

    def change_home(
        self, municipality: str, home_id: UUID, change: Callable[[FamilyHome], Any]
    ) -> FamilyHome:
        home = self.own_home(municipality, home_id)
        change(home)
        self.save(home)
        return home

    def homes_visible_to(self, municipality: str) -> list[FamilyHome]:
        ids = [
            home_id
            for home_id, (owner, shared, _) in self._homes.items()
            if owner == municipality or municipality in shared
        ]
        return [self.repository.get(home_id) for home_id in ids]

    # -- placements make homes occupied and free ---------------------------------------------
    def placement_started(
        self,
        municipality: str,
        case_id: str,
        placement_id: str,
        register_id: str | None,
        protected: bool,
        tracking: Tracking | None = None,
    ) -> None:
        home = self._home_by_register_id(municipality, register_id)
        if home is not None and home.occupy(placement_id, case_id, municipality, protected):
            self.save(home, tracking=tracking)
        else:
            self.save(tracking=tracking)

    def placement_ended(
        self, municipality: str, placement_id: str, register_id: str | None, tracking: Tracking | None = None
    ) -> None:
        home = self._home_by_register_id(municipality, register_id)
        if home is not None and home.free(placement_id):
            self.save(home, tracking=tracking)
        else:
            self.save(tracking=tracking)

    def _home_by_register_id(self, municipality: str, register_id: str | None) -> FamilyHome | None:
        """The placing municipality's own home, else the one partner home shared with it under that id."""
        if register_id is None:
            return None
        entry = self._get(RegisterEntry.id_for(municipality, register_id))
        if entry is not None:
            return self.repository.get(entry.home_id)
        shared = []
        for owner in MUNICIPALITIES:
            entry = self._get(RegisterEntry.id_for(owner, register_id)) if owner != municipality else None
            if entry is not None:
                home = self.repository.get(entry.home_id)
                if home.is_visible_to(municipality):
                    shared.append(home)
        return shared[0] if len(shared) == 1 else None

    # -- matching ------------------------------------------------------------------------------
    def open_request(
        self,
        requester: str,
        case_id: str,
        partners: tuple[str, ...],
        age_band: str,
        placement_type: str,
        needs: tuple[str, ...],
        from_date: date,
        protected_identity: bool,
    ) -> MatchingRequest:
        if protected_identity:
            raise ProtectedChild(
                "requests for a child with a protected identity are not sent to partners; "
                "consult them through the named roles instead"
            )
        already = sorted(
            {
                p
                for _, (req, case, asked, open_) in self._requests.items()
                if open_ and req == requester and case == case_id
                for p in asked
            }
            & set(partners)
        )
        if already:
            raise DuplicateRequest(f"an open request for this case already went to {', '.join(already)}")
        now = self.clock()
        request = MatchingRequest.open(
            requester,
            case_id,
            partners,
            age_band,
            placement_type,
            needs,
            from_date,
            now + self.request_lifetime,
            now,
        )
        self.save(request)
        return request

    def request(self, municipality: str, request_id: UUID) -> MatchingRequest:
        """The caller's own request, or one addressed to the caller."""
        request = self._get(request_id)
        if not isinstance(request, MatchingRequest) or municipality not in (
            request.requester,
            *request.partners,
        ):
            raise NotFound("no such matching request")
        return request

    def requests_of(self, municipality: str) -> list[MatchingRequest]:
        ids = [
            rid
            for rid, (requester, _, partners, _) in self._requests.items()
            if municipality == requester or municipality in partners
        ]
        return [self.repository.get(rid) for rid in ids]

    def offer_home(self, partner: str, request_id: UUID, home_id: UUID) -> tuple[MatchingRequest, str]:
        request = self.request(partner, request_id)
        home = self._get(home_id)
        if not isinstance(home, FamilyHome) or home.municipality != partner:
            raise NotOfferable("offer one of your own homes")
        if not home.is_visible_to(request.requester):
            raise NotOfferable("share the home with the requesting municipality first")
        if not home.can_be_offered():
            raise NotOfferable("the home has no free place or is not available")
        offer_id = request.offer(partner, str(home.id))
        self.save(request)
        return request, offer_id

    def accept_offer(self, requester: str, request_id: UUID, offer_id: str) -> MatchingRequest:
        request = self.request(requester, request_id)
        if request.requester != requester:
            raise NotFound("no such matching request of yours")
        request.accept(offer_id)
        self.save(request)
        return request

    def withdraw_request(self, requester: str, request_id: UUID) -> MatchingRequest:
        request = self.request(requester, request_id)
        if request.requester != requester:
            raise NotFound("no such matching request of yours")
        request.withdraw()
        self.save(request)
        return request

    def expire_requests(self) -> list[str]:
        """Expire every open request past its time (periodic job); returns their requesters."""
        now, expired = self.clock(), []
        for request_id, (_, _, _, is_open) in self._requests.items():
            if not is_open:
                continue
            request: MatchingRequest = self.repository.get(request_id)
            if request.expire_if_due(now):
                self.save(request)
                expired.append(request.requester)
        return expired

    # -- shared activities -----------------------------------------------------------------------
    def announce_activity(
        self, host: str, kind: str, title: str, starts_at: datetime, seats: int, open_to: tuple[str, ...]
    ) -> SharedActivity:
        activity = SharedActivity.announce(host, kind, title, starts_at, seats, open_to)
        self.save(activity)
        return activity

    def activity(self, municipality: str, activity_id: UUID) -> SharedActivity:
        activity = self._get(activity_id)
        if not isinstance(activity, SharedActivity) or not activity.is_visible_to(municipality):
            raise NotFound("no such activity open to you")
        return activity

    def activities_for(self, municipality: str) -> list[SharedActivity]:
        ids = [
            aid
            for aid, (host, open_to) in self._activities.items()
            if municipality == host or municipality in open_to
        ]
        return [self.repository.get(aid) for aid in ids]

    def book_seats(
        self, municipality: str, activity_id: UUID, seats: int, booking_id: str | None = None
    ) -> tuple[SharedActivity, str]:
        activity = self.activity(municipality, activity_id)
        booking_id = booking_id or str(uuid.uuid4())
        activity.book(booking_id, municipality, seats)
        self.save(activity)
        return activity, booking_id

    def cancel_booking(self, municipality: str, activity_id: UUID, booking_id: str) -> SharedActivity:
        activity = self.activity(municipality, activity_id)
        activity.cancel_booking(booking_id, municipality)
        self.save(activity)
        return activity

    def cancel_activity(self, host: str, activity_id: UUID) -> SharedActivity:
        activity = self.activity(host, activity_id)
        if activity.host != host:
            raise NotFound("no such activity of yours")
        activity.cancel()
        self.save(activity)
        return activity

    def _get(self, aggregate_id: Any) -> Any:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
