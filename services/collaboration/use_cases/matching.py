"""Matching: a municipality asks partners for a home for one of its cases; they offer; it accepts one
(accepting and giving back a place: ``held_places.py``).

An open request holds its case's slot for each partner (``OpenRequest``) until it ends, so that no
second one goes to that partner meanwhile, also from another replica at the same moment.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from services.collaboration.commands import NewOffer, NewRequest
from services.collaboration.domain.family_home import FamilyHome
from services.collaboration.domain.matching_request import MatchingRequest
from services.collaboration.domain.open_request import (
    NOT_TO_PARTNERS,
    DuplicateRequest,
    OpenRequest,
    ProtectedChild,
)
from services.collaboration.results import Offered, RequestSeen
from services.collaboration.use_cases.base import PoolApplication
from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound, CaseRef, CaseRefusal
from services.kit.domain.case_protection import CaseProtection
from services.kit.index import CatchUpIndex
from services.kit.pages import Paged, PageRequest

CLOSING = (MatchingRequest.OfferAccepted, MatchingRequest.Expired, MatchingRequest.Withdrawn)
REQUEST_EVENTS = (MatchingRequest.Opened, *CLOSING)

__all__ = ["DuplicateRequest", "Matching", "NotOfferable", "ProtectedChild"]


class NotOfferable(Exception):
    """The home cannot be offered for this request (not yours, not shared, full, paused)."""


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
        """Refused for a child the form, or any placement record or referral of the case, says is
        protected (ADR 0032); the latter tells the caller of the case, so the kit logs it as a read of
        it."""
        if new.protected_identity:
            raise ProtectedChild(NOT_TO_PARTNERS)
        case = CaseRef(caller.municipality, new.case_id)
        if self.exists(CaseProtection.id_for(case.municipality, case.case_id)):
            raise CaseRefusal(case, ProtectedChild(NOT_TO_PARTNERS))
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
        slots = [self._slot(request, partner) for partner in request.partners]
        lapsed = self._lapsed_holders(slots, now)
        try:
            for slot in slots:
                slot.hold(request.id)
        except ProtectedChild as refusal:  # the case's protection was noted since the check above
            raise CaseRefusal(case, refusal) from None
        self.save(*lapsed, request, *slots)
        return RequestSeen(caller.municipality, request, now)

    def _lapsed_holders(self, slots: list[OpenRequest], now: datetime) -> list[Any]:
        """The requests holding ``slots`` that are past their time, which the periodic sweep has
        not come to: expired here, as the sweep would, with all their slots released."""
        lapsed: list[Any] = []
        for slot in slots:
            holder = None if slot.holder is None else self.find(UUID(slot.holder))
            if isinstance(holder, MatchingRequest) and holder.expire_if_due(now):
                lapsed += [holder, *self._released_slots(holder, slots)]
        return lapsed

    def request(self, caller: Caller, request_id: UUID) -> RequestSeen:
        """The caller's own request, or one addressed to the caller."""
        request = self.find(request_id)
        if not isinstance(request, MatchingRequest):
            raise CaseDataNotFound()
        if caller.municipality not in (request.requester, *request.partners):
            raise CaseDataNotFound.denied(request.requester, request.case_id)
        return RequestSeen(caller.municipality, request, self.clock())

    def requests(self, caller: Caller, page: PageRequest) -> Paged[RequestSeen]:
        """The caller's own requests and those addressed to it, oldest first, a page at a time."""
        chosen = self._requests.page(page, lambda row: caller.municipality in (row[0], *row[2]))
        now = self.clock()
        return chosen.map(lambda found: RequestSeen(caller.municipality, self.repository.get(found[0]), now))

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
        now = self.clock()
        offer_id = request.offer(caller.municipality, str(home.id), now)
        self.save(request)
        return Offered(caller.municipality, request, now, offer_id)

    def expire_requests(self) -> list[str]:
        """Expire every open request past its time (periodic job); returns their requesters."""
        now, expired = self.clock(), []
        for request_id, (_, _, _, is_open) in self._requests.items():
            if not is_open:
                continue
            request: MatchingRequest = self.repository.get(request_id)
            if request.expire_if_due(now):
                self._save_ended(request)
                expired.append(request.requester)
        return expired

    def _own_request(self, caller: Caller, request_id: UUID) -> MatchingRequest:
        seen = self.request(caller, request_id)
        if not seen.own:
            raise CaseDataNotFound.denied(seen.request.requester, seen.request.case_id)
        return seen.request

    def _slot(self, request: MatchingRequest, partner: str) -> OpenRequest:
        """The case's slot for ``partner`` (new if it never had one).  An open request stored before
        requests held their slots holds it here (stored only if saved), so it keeps a new one out too."""
        slot_id = OpenRequest.id_for(request.requester, request.case_id, partner)
        slot = self.find(slot_id) or OpenRequest(request.requester, request.case_id, partner)
        if slot.holder is None and (unheld := self._open_request_to(request, partner)) is not None:
            slot.hold(unheld)
        return slot

    def _open_request_to(self, request: MatchingRequest, partner: str) -> UUID | None:
        """An open request stored for ``request``'s case that went to ``partner``, if there is one."""
        case = (request.requester, request.case_id)
        return next(
            (
                request_id
                for request_id, (asker, case_id, partners, is_open) in self._requests.items()
                if is_open and (asker, case_id) == case and partner in partners
            ),
            None,
        )

    def _save_ended(self, request: MatchingRequest, *others: Any) -> None:
        """A request no longer open frees its case's slots (those it held), with ``others``."""
        self.save(request, *others, *self._released_slots(request))

    def _released_slots(
        self, request: MatchingRequest, at_hand: Sequence[OpenRequest] = ()
    ) -> list[OpenRequest]:
        """``request``'s case's slots released by it; those ``at_hand`` are released where they are."""
        held = {slot.id: slot for slot in at_hand}
        slot_ids = [OpenRequest.id_for(request.requester, request.case_id, p) for p in request.partners]
        found = [held.get(slot_id) or self.find(slot_id) for slot_id in slot_ids]
        for slot in found:
            if slot is not None:
                slot.release(request.id)
        return [slot for slot in found if slot is not None and slot.id not in held]
