"""A stored event the relay could not publish: parked with its reason so the relay goes on."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class NotParked(Exception):
    """No such parked record, or it was released already."""


class StillUnpublishable(Exception):
    """A record ops released failed again: it stays parked."""


class ParkedNotification(Aggregate):
    """One notification of the service's own log that could not be published.

    ``reason`` names the kind of failure (an exception type and a fixed text, never
    the event's content: it may hold personal data).  Released once it was published
    after a repair.
    """

    @staticmethod
    def id_for(notification_id: int) -> UUID:
        return stable_id("outbox", "parked", str(notification_id))

    @classmethod
    def create_id(cls, notification_id: int, **_: object) -> UUID:
        return cls.id_for(notification_id)

    @event("Parked")
    def __init__(self, notification_id: int, event_topic: str, reason: str) -> None:
        self.notification_id = notification_id
        self.event_topic = event_topic
        self.reason = reason
        self.attempts = 1
        self.released = False

    @event("StillFailing")
    def still_failing(self, reason: str) -> None:
        self.reason = reason
        self.attempts += 1

    def release(self) -> None:
        if self.released:
            raise NotParked("already released")
        self._released()

    @event("Released")
    def _released(self) -> None:
        self.released = True
