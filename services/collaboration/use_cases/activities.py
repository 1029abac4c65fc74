"""Shared activities: trainings, theme evenings and mentor families, with seats bookable across municipalities."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from services.collaboration.commands import NewActivity, SeatBooking
from services.collaboration.domain.activity import SharedActivity
from services.collaboration.results import ActivitySeen, Booked, hidden
from services.collaboration.use_cases.base import PoolApplication
from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound
from services.kit.index import CatchUpIndex
from services.kit.pages import Paged, PageRequest

ACTIVITY = "activity"


def _fold_activities(rows: dict[Any, tuple[str, tuple[str, ...]]], e: Any) -> None:
    if isinstance(e, SharedActivity.Announced):
        rows[e.originator_id] = (e.host, tuple(e.open_to))


class Activities(PoolApplication):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._activities = CatchUpIndex(self, _fold_activities, events=(SharedActivity.Announced,))

    def announce_activity(self, caller: Caller, new: NewActivity) -> ActivitySeen:
        activity = SharedActivity.announce(
            caller.municipality,
            new.kind,
            new.title,
            new.starts_at,
            new.seats,
            tuple(new.open_to),
            now=self.clock(),
        )
        self.save(activity)
        return ActivitySeen(caller.municipality, activity)

    def activity(self, caller: Caller, activity_id: UUID) -> ActivitySeen:
        """An activity the caller hosts or that is open to the caller."""
        activity = self.find(activity_id)
        if not isinstance(activity, SharedActivity):
            raise CaseDataNotFound()
        if not activity.is_visible_to(caller.municipality):
            raise hidden(activity.host, ACTIVITY, activity_id)
        return ActivitySeen(caller.municipality, activity)

    def activities(self, caller: Caller, page: PageRequest) -> Paged[ActivitySeen]:
        """The activities the caller hosts or that are open to it, oldest first, a page at a time."""
        chosen = self._activities.page(page, lambda row: caller.municipality in (row[0], *row[1]))
        return chosen.map(lambda found: ActivitySeen(caller.municipality, self.repository.get(found[0])))

    def book_seats(self, caller: Caller, activity_id: UUID, booking: SeatBooking) -> Booked:
        activity = self.activity(caller, activity_id).activity
        booking_id = booking.booking_id or str(uuid.uuid4())
        activity.book(booking_id, caller.municipality, booking.seats, now=self.clock())
        self.save(activity)
        return Booked(caller.municipality, activity, booking_id)

    def cancel_booking(self, caller: Caller, activity_id: UUID, booking_id: str) -> ActivitySeen:
        """The caller's booking of that id: another municipality's of the same id answers as absent."""
        activity = self.activity(caller, activity_id).activity
        activity.cancel_booking(booking_id, caller.municipality)
        self.save(activity)
        return ActivitySeen(caller.municipality, activity)

    def cancel_activity(self, caller: Caller, activity_id: UUID) -> ActivitySeen:
        seen = self.activity(caller, activity_id)
        if not seen.hosting:
            raise hidden(seen.activity.host, ACTIVITY, activity_id)
        seen.activity.cancel()
        self.save(seen.activity)
        return seen
