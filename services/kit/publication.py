"""The explicit table from stored (private) events to public CloudEvents.

What is not in a service's table is never published (STYLE §5).  The
CloudEvent id is derived from what the stored event holds, so a republish
after a crash carries the same id and consumers can drop it; it never counts
the aggregate's events (``record_ids``), and no record on a partner topic
carries its position in the log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from eventsourcing.utils import get_topic

from contracts.access import CaseAccessedV1
from contracts.common import ContractModel
from contracts.envelope import CloudEvent
from contracts.topics import PARTNER_TOPICS
from services.kit.attribution import Attribution
from services.kit.domain.case_access import CaseAccess
from services.kit.record_ids import partner_record_id, record_id


@dataclass(frozen=True)
class Outgoing:
    """One public event to publish: where, what, about which case, caused by whom."""

    topic: str
    event_type: str
    subject: str
    data: ContractModel
    actor: str | None = None  # None: whoever the kit attributed the stored event to


Rule = Callable[[Any], Outgoing | Iterable[Outgoing] | None]


class PublicationTable:
    def __init__(self, source: str, rules: dict[type, Rule]) -> None:
        self.source = source
        self._rules = dict(rules)
        self._system_actor = Attribution.system(source.rsplit("/", 1)[-1]).actor

    def stored_topics(self) -> tuple[str, ...]:
        """The store's topic names of the events this table publishes: the relay reads only those."""
        return tuple(sorted(get_topic(event_class) for event_class in self._rules))

    def translate(self, domain_event: Any) -> list[Outgoing]:
        rule = self._rules.get(type(domain_event))
        if rule is None:
            return []
        produced = rule(domain_event)
        if produced is None:
            return []
        if isinstance(produced, Outgoing):
            return [produced]
        return list(produced)

    def cloud_events(
        self, domain_event: Any, sequence: int | None, epoch: int = 0
    ) -> list[tuple[str, CloudEvent]]:
        """(topic, CloudEvent) pairs for a stored event at notification ``sequence``, in relay ``epoch``.

        ``sequence`` None: published out of order (a released parked record), no position to track.
        """
        attributed = Attribution.of(domain_event, self._system_actor)
        pairs = []
        for index, outgoing in enumerate(self.translate(domain_event)):
            actor = outgoing.actor or attributed.actor
            if outgoing.topic in PARTNER_TOPICS:  # what a partner may see of where it stands: nothing
                event_id, position = partner_record_id(self.source, domain_event, index), (None, 0)
            else:
                event_id, position = record_id(domain_event, index), (sequence, epoch)
            envelope = _envelope(self.source, event_id, domain_event, outgoing, actor, *position)
            pairs.append((outgoing.topic, envelope))
        return pairs


def _envelope(
    source: str,
    event_id: str,
    domain_event: Any,
    outgoing: Outgoing,
    actor: str,
    sequence: int | None,
    epoch: int,
) -> CloudEvent:
    # The epoch appears once the broker has lost records and the relay republished (ADR 0012).
    extensions = {"epoch": str(epoch)} if epoch else {}
    if sequence is not None:
        extensions["sequence"] = str(sequence)
    return CloudEvent(
        specversion="1.0",
        id=event_id,
        source=source,
        type=outgoing.event_type,
        time=domain_event.timestamp,
        subject=outgoing.subject,
        datacontenttype="application/json",
        data=outgoing.data.model_dump(mode="json"),
        actor=actor,
        **extensions,
    )


def case_access_rule(topic: str, service: str) -> dict[type, Rule]:
    """Every service publishes its case-access records for the case store's access log."""

    def publish_access(event: Any) -> Outgoing:
        return Outgoing(
            topic=topic,
            event_type="se.natverk.case.accessed.v1",
            subject=event.case_id,
            data=CaseAccessedV1(
                case_id=event.case_id,
                actor=event.actor,
                actor_municipality=event.actor_municipality,
                service=service,
                resource=event.resource,
                purpose=event.purpose,
                outcome=event.outcome,
                municipality=getattr(event, "municipality", None) or event.actor_municipality,
            ),
            actor=event.actor,
        )

    return {CaseAccess.Recorded: publish_access}
