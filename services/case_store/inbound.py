"""Inbound handlers: every domain event goes into its case's timeline; accesses into the access log.

A case is (the event's ``municipality``, case id) (ADR 0016); an access record's case is
its ``municipality`` (older records lack it: then the reader's own).
"""

from __future__ import annotations

from typing import Any

from contracts.access import CaseAccessedV1
from contracts.placements import PlacementEndedV1
from contracts.registry import EVENT_TYPES, TOPIC_SPECS
from contracts.topics import PLACEMENTS
from services.case_store.application import CaseStoreApplication, PlacementFact
from services.case_store.domain.access_log import record_digest
from services.kit.consumer import ConsumerSpec, Handler, Subscription
from services.kit.domain.swedish_time import swedish_day
from services.kit.inbound import InboundEvent
from services.kit.trust import shown_actor

ACCESS_TYPE = "se.natverk.case.accessed.v1"
PLACEMENT_KINDS = {
    "se.placement.started.v1": "started",
    "se.placement.changed.v1": "changed",
    "se.placement.ended.v1": "ended",
}


def _actor_of(event: InboundEvent[Any]) -> str:
    """Who caused it: a relay's actor as published, an outsider's only if safe, else its source."""
    return shown_actor(event.envelope, event.topic) or event.envelope.source


def _source_key(event: InboundEvent[Any]) -> str:
    return f"{event.envelope.source}|{event.envelope.id}"


def _source_name(source: str) -> str:
    return source.removeprefix("/natverk/")


def timeline_handler(app: CaseStoreApplication) -> Handler:
    def record(event: InboundEvent[Any]) -> None:
        envelope, data = event.envelope, event.data
        if envelope.type in PLACEMENT_KINDS:
            ended = data if isinstance(data, PlacementEndedV1) else None
            app.record_placement_event(
                PlacementFact(
                    PLACEMENT_KINDS[envelope.type],
                    data.municipality,
                    data.case_id,
                    data.placement_id,
                    data.placement_type,
                    data.start_date,
                    ended and ended.end_date,
                    ended and ended.end_reason,
                    data.district,
                    swedish_day(envelope.time),  # a change holds from the Swedish day it happened
                ),
                source_key=_source_key(event),
                occurred_at=envelope.time,
                source=_source_name(envelope.source),
                event_type=envelope.type,
                actor=_actor_of(event),
                summary=data.summary() or envelope.type,
            )
            return
        app.record_event(
            case_id=envelope.subject,
            municipality=data.municipality,
            source_key=_source_key(event),
            occurred_at=envelope.time,
            source=_source_name(envelope.source),
            event_type=envelope.type,
            actor=_actor_of(event),
            summary=data.summary() or envelope.type,
        )

    return record


def access_handler(app: CaseStoreApplication) -> Handler:
    def record(event: InboundEvent[CaseAccessedV1]) -> None:
        data = event.data
        app.record_access(
            case_id=data.case_id,
            actor=data.actor,
            actor_municipality=data.actor_municipality,
            resource=data.resource,
            purpose=data.purpose,
            outcome=data.outcome,
            municipality=data.municipality or data.actor_municipality,  # the case's (ADR 0016)
            service=data.service,
            source_key=_source_key(event),
            source_digest=record_digest(data.model_dump(mode="json"), event.envelope.time.isoformat()),
            occurred_at=event.envelope.time,  # when the read was made, not when it got here (ADR 0035)
        )

    return record


def _is_about_a_case(event_type: str) -> bool:
    """Timelines hold events that name a case and its municipality (not, say, a family home's)."""
    model = EVENT_TYPES.get(event_type)
    if model is None:
        return False
    fields = model.model_fields
    return event_type == ACCESS_TYPE or ("case_id" in fields and "municipality" in fields)


def consumers(app: CaseStoreApplication) -> list[ConsumerSpec]:
    """One consumer per topic that carries case events; every known type is recorded."""
    to_timeline, to_access_log = timeline_handler(app), access_handler(app)
    specs = []
    for topic in TOPIC_SPECS:
        if not topic.event_types:
            continue
        handlers = [
            Subscription(event_type, to_access_log if event_type == ACCESS_TYPE else to_timeline)
            for event_type in topic.event_types
            if _is_about_a_case(event_type)
        ]
        if not handlers:  # partner topics: nothing about a case, not for the timeline
            continue
        # referrals owns ext.placements.v1's dead-letter queue; here a bad record is only counted.
        # Timeline entries are keyed by (source, id) themselves: no ReceivedEvent marker needed.
        specs.append(
            ConsumerSpec(
                topic.name, handlers, dead_letters=topic.name != PLACEMENTS, dedupe_by_event_id=False
            )
        )
    return specs
