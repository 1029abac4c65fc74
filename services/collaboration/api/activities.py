"""/api/v1/activities: shared activities and their seats.

The host sees every booking and whom it opened the activity to; a partner sees
the activity as its topic shows it, with its own bookings only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, RootModel

from services.collaboration.api.roles import BOOKERS, ORGANISERS, READERS
from services.collaboration.application import CollaborationApplication as Collaboration
from services.collaboration.commands import NewActivity, SeatBooking
from services.collaboration.disclosure import disclose
from services.collaboration.records import ACTIVITY, activity_record
from services.collaboration.results import ActivitySeen, Booked
from services.kit.commands import Kit
from services.kit.pages import Page
from services.kit.params import Paging

router = APIRouter(prefix="/activities", tags=["shared activities"])


class Booking(BaseModel):
    booking_id: str
    seats: int


class HostsBooking(Booking):
    municipality: str


class ActivityFacts(BaseModel):
    activity_id: str
    host_municipality: str
    kind: str
    title: str
    starts_at: datetime
    seats: int
    seats_free: int
    change: str
    cancelled: bool


class PartnerActivity(ActivityFacts):
    """An activity open to the caller, with the caller's own bookings."""

    bookings: list[Booking]


class HostedActivity(ActivityFacts):
    """The caller's own activity, with every booking."""

    open_to: list[str]
    bookings: list[HostsBooking]


def _fields(seen: ActivitySeen) -> dict[str, Any]:
    activity = seen.activity
    change = "cancelled" if activity.cancelled else "announced"
    facts = {**disclose(ACTIVITY, activity_record(activity, change)), "cancelled": activity.cancelled}
    if seen.hosting:
        bookings = [
            HostsBooking(booking_id=b, municipality=m, seats=s) for (m, b), s in activity.bookings.items()
        ]
        return {**facts, "open_to": list(activity.open_to), "bookings": bookings}
    own = [Booking(booking_id=b, seats=s) for (m, b), s in activity.bookings.items() if m == seen.viewer]
    return {**facts, "bookings": own}


class ActivityView(RootModel[HostedActivity | PartnerActivity]):
    @classmethod
    def of(cls, seen: ActivitySeen) -> ActivityView:
        return cls((HostedActivity if seen.hosting else PartnerActivity)(**_fields(seen)))


class HostBooked(HostedActivity):
    booking_id: str


class PartnerBooked(PartnerActivity):
    booking_id: str


class BookedView(RootModel[HostBooked | PartnerBooked]):
    """The new booking's id and the activity as the booker sees it."""

    @classmethod
    def of(cls, booked: Booked) -> BookedView:
        booking = (HostBooked if booked.hosting else PartnerBooked)(
            booking_id=booked.booking_id, **_fields(booked)
        )
        return cls(booking)


@router.post("", status_code=201, response_model=ActivityView)
def announce(body: NewActivity, kit: Kit) -> ActivityView:
    return kit.command(Collaboration.announce_activity, body, view=ActivityView, roles=ORGANISERS, status=201)


@router.get("", response_model=Page[ActivityView])
def list_activities(kit: Kit, page: Paging) -> Page[ActivityView]:
    """The activities the caller hosts or that are open to it, oldest first, a page at a time."""
    return kit.query(Collaboration.activities, page, view=Page[ActivityView], roles=READERS)


@router.get("/{activity_id}", response_model=ActivityView)
def get_activity(activity_id: UUID, kit: Kit) -> ActivityView:
    return kit.query(Collaboration.activity, activity_id, view=ActivityView, roles=READERS)


@router.post("/{activity_id}/bookings", status_code=201, response_model=BookedView)
def book(activity_id: UUID, body: SeatBooking, kit: Kit) -> BookedView:
    return kit.command(
        Collaboration.book_seats, activity_id, body, view=BookedView, roles=BOOKERS, status=201
    )


@router.delete("/{activity_id}/bookings/{booking_id}", response_model=ActivityView)
def cancel_booking(activity_id: UUID, booking_id: str, kit: Kit) -> ActivityView:
    return kit.command(
        Collaboration.cancel_booking, activity_id, booking_id, view=ActivityView, roles=BOOKERS
    )


@router.post("/{activity_id}/cancel", response_model=ActivityView)
def cancel_activity(activity_id: UUID, kit: Kit) -> ActivityView:
    return kit.command(Collaboration.cancel_activity, activity_id, view=ActivityView, roles=ORGANISERS)
