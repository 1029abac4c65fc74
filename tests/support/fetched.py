"""Fetched records without a broker: what the kit's tracking consumer reads of a batch, and a
broker that only captures what the consumer publishes (dead letters).  For tests and benches
that drive the real consumer code in process."""

from __future__ import annotations

import itertools
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from contracts.topics import PLACEMENTS
from services.kit.consumer import ConsumerSpec, TrackingConsumer
from services.kit.metrics import ServiceMetrics


@dataclass
class FakeRecord:
    """A fetched record; keyed by its case id (its CloudEvent's ``subject``), as the contract says,
    unless ``key`` is given."""

    value: bytes
    offset: int
    topic: str = PLACEMENTS
    partition: int = 0
    key: bytes | None = None
    headers: tuple = ()

    def __post_init__(self) -> None:
        if self.key is None:
            self.key = _subject_of(self.value)


def _subject_of(value: bytes) -> bytes | None:
    try:
        subject = json.loads(value).get("subject")
    except (ValueError, AttributeError):  # not JSON, or not an object: a record to dead-letter
        return None
    return subject.encode() if isinstance(subject, str) else None


@dataclass
class FakeMessage:
    raw_message: tuple


@dataclass
class CapturingBroker:
    """Only what the consumer uses of a broker: registering a subscriber, publishing to the DLQ."""

    published: list[tuple[str, bytes]] = field(default_factory=list)

    def subscriber(self, *_: Any, **__: Any) -> Any:
        return lambda handler: handler

    async def publish(self, value: bytes, topic: str, **_: Any) -> None:
        self.published.append((topic, value))


def in_process_consumer(app: Any, spec: ConsumerSpec, name: str) -> tuple[TrackingConsumer, CapturingBroker]:
    """The kit's real tracking consumer of ``spec`` for ``app``, fed by hand (``handle``), no
    retry pauses; and the broker that catches what it dead-letters."""
    broker = CapturingBroker()
    consumer = TrackingConsumer(app, broker, name, [spec], ServiceMetrics(name), retry_pause=0)  # type: ignore[arg-type]
    return consumer, broker


def fed_by_hand(consumer: TrackingConsumer, topic: str) -> Callable[[bytes], Awaitable[None]]:
    """Hand ``consumer`` one record of ``topic`` at a time, at offsets 1, 2, 3, ..."""
    offsets = itertools.count(1)

    async def feed(value: bytes) -> None:
        record = FakeRecord(value, offset=next(offsets), topic=topic)
        await consumer.handle([value], FakeMessage((record,)))  # type: ignore[arg-type]

    return feed
