"""Matching: a municipality asks partners for a home for one of its cases; they offer; it accepts one."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from services.collaboration.commands import Acceptance, NewOffer, NewRequest
from services.collaboration.domain.family_home import FamilyHome
from services.collaboration.domain.matching_request import MatchingRequest
from services.collaboration.results import Offered, RequestSeen
from services.collaboration.use_cases.base import PoolApplication
from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound
from services.kit.index import CatchUpIndex
from services.kit.pages import Paged, PageRequest

CLOSING = (MatchingRequest.OfferAccepted, MatchingRequest.Expired, MatchingRequest.Withdrawn)
REQUEST_EVENTS = (MatchingRequest.Opened, *CLOSING)


class DuplicateRequest(Exception):
    """An open request for the same case already went to that partner."""


class NotOfferable(Exception):
    """The home cannot be offered for this request (not yours, not shared, full, paused)."""


class ProtectedChild(Exception):
    """Nothing about a child with a protected identity goes to partners."""


def _fold_requests(rows: dict[Any, tuple[str, str, tuple[str, ...], bool]], e: Any) -> None:
    if isinstance(e, MatchingRequest.Opened):
        rows[e.originator_id] = (e.requester, e.case_id, tuple(e.partners), True)
    elif isinstance(e, CLOSING):
        requester, case_id, partners, _ = rows[e.originator_id]
        rows[e.originator_id] = (requester, case_id, partners, False)


class Matching(PoolApplication):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._requests = CatchUpIndex(self, _fold_requests, events=REQUEST_EVENTS)
        self.request_lifetime = timedelta(hours=72)

    def open_request(self, caller: Caller, new: NewRequest) -> RequestSeen:
        if new.protected_identity:
            raise ProtectedChild(
                "requests for a child with a protected identity are not sent to partners; "
                "consult them through the named roles instead"
            )
        if self._asked_already(caller.municipality, new.case_id) & set(new.partners):
            raise DuplicateRequest("an open request for this case already went to one of these partners")
        now = self.clock()
        request = MatchingRequest.open(
            caller.municipality,
            new.case_id,
            tuple(new.partners),
            new.age_band,
            new.placement_type,
            tuple(new.needs),
            new.from_date,
            now + self.request_lifetime,
            now,
        )
        self.save(request)
        return RequestSeen(caller.municipality, request)

    def request(self, caller: Caller, request_id: UUID) -> RequestSeen:
        """The caller's own request, or one addressed to the caller."""
        request = self.find(request_id)
        if not isinstance(request, MatchingRequest):
            raise CaseDataNotFound()
        if caller.municipality not in (request.requester, *request.partners):
            raise CaseDataNotFound.denied(request.requester, request.case_id)
        return RequestSeen(caller.municipality, request)

    def requests(self, caller: Caller, page: PageRequest) -> Paged[RequestSeen]:
        """The caller's own requests and those addressed to it, oldest first, a page at a time."""
        chosen = self._requests.page(page, lambda row: caller.municipality in (row[0], *row[2]))
        return chosen.map(lambda found: RequestSeen(caller.municipality, self.repository.get(found[0])))

    def offer_home(self, caller: Caller, request_id: UUID, offer: NewOffer) -> Offered:
        request = self.request(caller, request_id).request
        home = self.find(offer.home_id)
        if not isinstance(home, FamilyHome) or home.municipality != caller.municipality:
            raise NotOfferable("offer one of your own homes")
        if not home.is_visible_to(request.requester):
            raise NotOfferable("share the home with the requesting municipality first")
        if not home.can_be_offered():
            raise NotOfferable("the home has no free place or is not available")
        home.check_fits(request.age_band, request.placement_type, request.needs)
        offer_id = request.offer(caller.municipality, str(home.id))
        self.save(request)
        return Offered(caller.municipality, request, offer_id)

    def accept_offer(self, caller: Caller, request_id: UUID, acceptance: Acceptance) -> RequestSeen:
        request = self._own_request(caller, request_id)
        request.accept(acceptance.offer_id)
        home: FamilyHome = self.repository.get(UUID(request.offers[acceptance.offer_id]["home_id"]))
        until = self.clock() + self.hold_lifetime
        home.hold(str(request.id), request.requester, request.case_id, until)
        self.save(request, home)
        return RequestSeen(caller.municipality, request)

    def withdraw_request(self, caller: Caller, request_id: UUID) -> RequestSeen:
        request = self._own_request(caller, request_id)
        request.withdraw()
        self.save(request)
        return RequestSeen(caller.municipality, request)

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

    def _own_request(self, caller: Caller, request_id: UUID) -> MatchingRequest:
        seen = self.request(caller, request_id)
        if not seen.own:
            raise CaseDataNotFound.denied(seen.request.requester, seen.request.case_id)
        return seen.request

    def _asked_already(self, requester: str, case_id: str) -> set[str]:
        """The partners an open request for this case already went to."""
        return {
            partner
            for _, (asker, case, partners, is_open) in self._requests.items()
            if is_open and asker == requester and case == case_id
            for partner in partners
        }
