"""Ops endpoints every service with a relay serves: its parked outbox records.

``GET /api/v1/ops/outbox`` lists records the relay could not publish (a page at a time), ``GET
/api/v1/ops/outbox/{notification_id}`` shows one (the kind of failure, never the
event's content), ``POST .../release`` publishes it again after a repair.  Role
``ops``; the release goes through the kit's command path like any command.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import anyio.from_thread
from fastapi import APIRouter, Path
from pydantic import BaseModel

from services.kit.auth import Caller
from services.kit.commands import Kit
from services.kit.domain.parked_notification import ParkedNotification
from services.kit.pages import Page, Paged, PageRequest
from services.kit.params import Paging
from services.kit.relay import Relay
from services.kit.store import ServiceApplication

OPS = ("ops",)
NotificationId = Annotated[int, Path(ge=1, le=2**40)]

router = APIRouter(prefix="/ops/outbox", tags=["operations"])


class ParkedView(BaseModel):
    notification_id: int
    event_topic: str
    reason: str
    attempts: int
    released: bool
    parked_at: datetime

    @classmethod
    def of(cls, parked: ParkedNotification) -> ParkedView:
        fields = ("notification_id", "event_topic", "reason", "attempts", "released")
        return cls(parked_at=parked.created_on, **{name: getattr(parked, name) for name in fields})


def parked_records(
    _: ServiceApplication, __: Caller, relay: Relay, page: PageRequest
) -> Paged[ParkedNotification]:
    return relay.parking.waiting(page)


def parked_record(
    _: ServiceApplication, __: Caller, relay: Relay, notification_id: int
) -> ParkedNotification:
    return relay.parking.get(notification_id)


def release_parked(app: ServiceApplication, _: Caller, relay: Relay, notification_id: int) -> Any:
    """Publish it again (the relay's loop, from this worker thread), then mark it released."""
    parked = relay.parking.get(notification_id)
    anyio.from_thread.run(relay.republish, relay.parking.notification(notification_id))
    parked.release()
    app.save(parked)
    return parked


@router.get("", response_model=Page[ParkedView])
def list_parked(kit: Kit, page: Paging) -> Page[ParkedView]:
    """Parked records not yet released, oldest first, a page at a time."""
    return kit.query(parked_records, kit.runtime.relay, page, view=Page[ParkedView], roles=OPS)


@router.get("/{notification_id}", response_model=ParkedView)
def show_parked(notification_id: NotificationId, kit: Kit) -> ParkedView:
    return kit.query(parked_record, kit.runtime.relay, notification_id, view=ParkedView, roles=OPS)


@router.post("/{notification_id}/release", response_model=ParkedView)
def release(notification_id: NotificationId, kit: Kit) -> ParkedView:
    return kit.command(release_parked, kit.runtime.relay, notification_id, view=ParkedView, roles=OPS)
