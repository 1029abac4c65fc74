"""Personal calendar feeds: a token per staff member or case, and the feed a calendar program
subscribes to without a bearer header (ADR 0023).

``POST /api/v1/staff/{staff_id}/feed-tokens`` and ``/cases/{case_id}/feed-tokens`` answer the
feed's URL once (only a digest of its token is stored); ``DELETE .../feed-tokens/{token_id}``
revokes one; ``GET /api/v1/feeds/{token}.ics`` is the feed, the token its only credential.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel

from services.kit.commands import CommandPath, Kit
from services.kit.params import CaseIdPath
from services.kit.path_tokens import token_kit
from services.scheduling.api.roles import READERS, SCHEDULERS
from services.scheduling.api.views import ICAL_RESPONSE, ICalendarFeed, NoContent
from services.scheduling.application import SchedulingApplication as Scheduling
from services.scheduling.feed_tokens import CALENDAR_FEED, FEED_PATH, FEED_READER, IssuedFeedToken

router = APIRouter(tags=["calendar feeds"])
FeedKit = Annotated[CommandPath, Depends(token_kit(Scheduling.feed_caller, CALENDAR_FEED))]


class FeedTokenView(BaseModel):
    """The feed's URL (relative to the service) holds the token: it is shown this once."""

    token_id: UUID
    url: str

    @classmethod
    def of(cls, issued: IssuedFeedToken) -> FeedTokenView:
        return cls(token_id=issued.token_id, url=FEED_PATH.format(token=issued.token))


@router.post("/staff/{staff_id}/feed-tokens", status_code=201, response_model=FeedTokenView)
def issue_staff_feed_token(staff_id: str, kit: Kit) -> FeedTokenView:
    return kit.command(
        Scheduling.issue_staff_feed_token, staff_id, view=FeedTokenView, roles=SCHEDULERS, status=201
    )


@router.delete("/staff/{staff_id}/feed-tokens/{token_id}", status_code=204, response_class=Response)
def revoke_staff_feed_token(staff_id: str, token_id: UUID, kit: Kit) -> Response:
    kit.command(
        Scheduling.revoke_feed_token,
        "staff",
        staff_id,
        token_id,
        view=NoContent,
        roles=SCHEDULERS,
        status=204,
    )
    return Response(status_code=204)


@router.post("/cases/{case_id}/feed-tokens", status_code=201, response_model=FeedTokenView)
def issue_case_feed_token(case_id: CaseIdPath, kit: Kit) -> FeedTokenView:
    """Those who work the case: an auditor reads its calendar when a review needs it, never for good."""
    return kit.command(
        Scheduling.issue_case_feed_token, case_id, view=FeedTokenView, roles=SCHEDULERS, status=201
    )


# Any reader may revoke: an auditor ends a URL issued before auditors were refused one, or a leaked one.
@router.delete("/cases/{case_id}/feed-tokens/{token_id}", status_code=204, response_class=Response)
def revoke_case_feed_token(case_id: CaseIdPath, token_id: UUID, kit: Kit) -> Response:
    kit.command(
        Scheduling.revoke_feed_token, "case", case_id, token_id, view=NoContent, roles=READERS, status=204
    )
    return Response(status_code=204)


@router.get("/feeds/{token}.ics", response_class=Response, responses=ICAL_RESPONSE)
def subscribed_feed(token: str, kit: FeedKit) -> Response:
    """No bearer header: the token is the credential; an unknown or revoked one is 404."""
    feed = kit.query(Scheduling.subscribed_feed, token, view=ICalendarFeed, roles=(FEED_READER,))
    return feed.response()
