"""The Kafka trust boundary: what a record may claim, and where (ADR 0017).

* A relayed record's position (its ``sequence`` and ``epoch`` extensions, and its
  ``/natverk/<service>`` source) counts only on the internal topic that service's relay
  writes (``natverk.<service>.v1``).  Anywhere else a record with such claims is an
  ordinary record from outside: deduplicated by (``source``, ``id``), never tracked.
* Each outside source may publish only for its own municipality: by default a source of
  the documented shape ``urn:se:kommun:<municipality code>:<system>`` for that code,
  others only as configured (``NATVERK_INBOUND_SOURCES``).  A mismatch is dead-lettered.
* An ``actor`` extension from outside is shown only if it is a short identifier that
  carries no personal identity number; otherwise it is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter, ValidationError

from contracts.common import CaseId
from contracts.envelope import CloudEvent
from contracts.topics import SERVICE_TOPICS

INTERNAL_SOURCE_PREFIX = "/natverk/"
CASE_SYSTEM_SOURCE = re.compile(r"urn:se:kommun:(\d{4}):[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_IDENTIFIER = TypeAdapter(CaseId)  # safe characters, at most 64, and no personal identity number


class SourceNotAllowed(Exception):
    """The record's source may not publish for the municipality its data names."""


def relay_topic_of(source: str) -> str | None:
    """The one topic whose records may carry ``source``'s relay positions, if it is internal."""
    if not source.startswith(INTERNAL_SOURCE_PREFIX):
        return None
    topic = f"natverk.{source.removeprefix(INTERNAL_SOURCE_PREFIX)}.v1"
    return topic if topic in SERVICE_TOPICS else None


def is_relayed(topic: str, envelope: CloudEvent) -> bool:
    """Whether this record is what an internal relay wrote, on the topic that relay writes."""
    return relay_topic_of(envelope.source) == topic


class SourceBinding:
    """Which outside source may publish for which municipality."""

    def __init__(self, configured: Mapping[str, tuple[str, ...] | list[str]] | None = None) -> None:
        self._configured = {source: tuple(codes) for source, codes in (configured or {}).items()}

    def check(self, envelope: CloudEvent, data: Any) -> None:
        municipality = getattr(data, "municipality", None)
        if municipality is not None and not self.may_publish_for(envelope.source, municipality):
            raise SourceNotAllowed(
                f"source is not bound to municipality {municipality}: a case system publishes as "
                "urn:se:kommun:<its municipality code>:<system>, other sources only as configured"
            )

    def may_publish_for(self, source: str, municipality: str) -> bool:
        if source in self._configured:
            return municipality in self._configured[source]
        shape = CASE_SYSTEM_SOURCE.fullmatch(source)
        return shape is not None and shape.group(1) == municipality


def shown_actor(envelope: CloudEvent, topic: str) -> str | None:
    """The ``actor`` extension to show in a timeline: a relay's as it is, an outsider's only if safe."""
    actor = envelope.extension("actor")
    if not isinstance(actor, str) or not actor:
        return None
    if is_relayed(topic, envelope):
        return actor[:200]
    try:
        return _IDENTIFIER.validate_python(actor)
    except ValidationError:
        return None
