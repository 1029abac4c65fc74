"""From a consumed Kafka record to the work the applier does (``applying.py``), written once.

The tracking consumer and ``natverk rebuild`` route every record the same way: parse and
validate it, pick the handler for its type, check what its source may claim where it was
read (``trust``), and name its tracking position or its (source, id) marker.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from contracts.topics import SERVICE_TOPICS
from services.kit.applying import RecordWork
from services.kit.domain.received_event import ReceivedEvent
from services.kit.inbound import InvalidRecord, parse_record
from services.kit.subscriptions import ConsumerSpec, tracking_for
from services.kit.trust import SourceBinding, SourceNotAllowed


@dataclass(frozen=True)
class Refused:
    """A record that cannot be processed as it is: ``reason`` is its dead-letter ``error``."""

    reason: str


class RecordRouter:
    def __init__(self, specs: Iterable[ConsumerSpec], sources: SourceBinding | None = None) -> None:
        self.specs = {spec.topic: spec for spec in specs}
        self._handlers = {topic: spec.handlers for topic, spec in self.specs.items()}
        self._sources = sources or SourceBinding()

    def route(self, record: Any) -> RecordWork | Refused | None:
        """The record's work; ``Refused`` if it is bad; None if its type is not handled here."""
        try:
            event = parse_record(record.value, record.topic)
        except InvalidRecord as invalid:
            return Refused(str(invalid))
        handler = self._handlers[record.topic].get(event.envelope.type)
        if handler is None:
            return None
        if record.topic not in SERVICE_TOPICS:
            try:
                self._sources.check(event.envelope, event.data)
            except SourceNotAllowed as refused:
                return Refused(str(refused))
        tracking = tracking_for(event, record.partition, record.topic)
        marker = None
        if tracking is None and self.specs[record.topic].dedupe_by_event_id:
            marker = ReceivedEvent.id_for(event.envelope.source, event.envelope.id)
        return RecordWork(record, event, handler, tracking, marker)
