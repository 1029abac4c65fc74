"""A CloudEvent from outside that this service has handled: a repeat is known by (source, id)."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class ReceivedEvent(Aggregate):
    """Created in the same transaction as the handler's effects; a second one cannot be."""

    @staticmethod
    def id_for(source: str, event_id: str) -> UUID:
        return stable_id("received", source, event_id)

    @classmethod
    def create_id(cls, source: str, event_id: str, **_: object) -> UUID:
        return cls.id_for(source, event_id)

    @event("Received")
    def __init__(self, source: str, event_id: str) -> None:
        pass
