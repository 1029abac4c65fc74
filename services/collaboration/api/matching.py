"""/api/v1/matching-requests: ask partners for a home, offer one, accept one.

The requester sees its request in full, case id included (a read of case data);
a partner sees it as its topic shows it, with its own offers only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, RootModel

from services.collaboration.api.roles import CONSULTANT, READERS, REQUESTERS
from services.collaboration.application import CollaborationApplication as Collaboration
from services.collaboration.commands import Acceptance, NewOffer, NewRequest
from services.collaboration.disclosure import disclose
from services.collaboration.records import REQUEST, request_record
from services.collaboration.results import Offered, RequestSeen
from services.kit.commands import Kit
from services.kit.pages import Page
from services.kit.params import Paging

router = APIRouter(prefix="/matching-requests", tags=["matching"])


class OfferLine(BaseModel):
    offer_id: str
    partner: str
    home_id: str
    status: str


class RequestFacts(BaseModel):
    request_id: str
    requester_municipality: str
    change: str
    age_band: str
    placement_type: str
    needs: list[str]
    from_date: date
    expires_at: datetime
    status: str
    offers: list[OfferLine]

    @staticmethod
    def partner_fields(seen: RequestSeen) -> dict[str, Any]:
        """What a partner may see of a request: the disclosed record and its own offers."""
        offers = [
            OfferLine(offer_id=offer_id, **offer)
            for offer_id, offer in seen.offers.items()
            if offer["partner"] == seen.viewer
        ]
        record = disclose(REQUEST, request_record(seen.request, seen.status))
        return {**record, "status": seen.status, "offers": offers}


class PartnerRequest(RequestFacts):
    """A request addressed to the caller: needs in bands, never the case."""


class OwnRequest(RequestFacts):
    """The caller's own request, with its case and every offer."""

    case_id: str
    partners: list[str]

    @classmethod
    def of(cls, seen: RequestSeen) -> OwnRequest:
        request = seen.request
        offers = [OfferLine(offer_id=offer_id, **offer) for offer_id, offer in seen.offers.items()]
        return cls(
            **request_record(request, seen.status),
            case_id=request.case_id,
            status=seen.status,
            partners=list(request.partners),
            offers=offers,
        )


class RequestView(RootModel[OwnRequest | PartnerRequest]):
    @classmethod
    def of(cls, seen: RequestSeen) -> RequestView:
        if seen.own:
            return cls(OwnRequest.of(seen))
        return cls(PartnerRequest(**RequestFacts.partner_fields(seen)))


class OfferView(RequestFacts):
    """The new offer's id and the request as the offering partner sees it."""

    offer_id: str

    @classmethod
    def of(cls, made: Offered) -> OfferView:
        return cls(offer_id=made.offer_id, **RequestFacts.partner_fields(made))


@router.post("", status_code=201, response_model=RequestView)
def open_request(body: NewRequest, kit: Kit) -> RequestView:
    return kit.command(Collaboration.open_request, body, view=RequestView, roles=REQUESTERS, status=201)


@router.get("", response_model=Page[RequestView])
def list_requests(kit: Kit, page: Paging) -> Page[RequestView]:
    """The caller's own requests and those addressed to it, oldest first, a page at a time."""
    return kit.query(Collaboration.requests, page, view=Page[RequestView], roles=READERS)


@router.get("/{request_id}", response_model=RequestView)
def get_request(request_id: UUID, kit: Kit) -> RequestView:
    return kit.query(Collaboration.request, request_id, view=RequestView, roles=READERS)


@router.post("/{request_id}/offers", status_code=201, response_model=OfferView)
def offer_home(request_id: UUID, body: NewOffer, kit: Kit) -> OfferView:
    return kit.command(
        Collaboration.offer_home, request_id, body, view=OfferView, roles=CONSULTANT, status=201
    )


@router.post("/{request_id}/accept", response_model=RequestView)
def accept_offer(request_id: UUID, body: Acceptance, kit: Kit) -> RequestView:
    return kit.command(Collaboration.accept_offer, request_id, body, view=RequestView, roles=REQUESTERS)


@router.post("/{request_id}/withdraw", response_model=RequestView)
def withdraw_request(request_id: UUID, kit: Kit) -> RequestView:
    return kit.command(Collaboration.withdraw_request, request_id, view=RequestView, roles=REQUESTERS)
