"""Applying consumed records to the store: the kit's unit of work for Kafka (ARCHITECTURE §2.1-2.2).

Each record's handler runs inside one unit of work with who caused it and, in the
same transaction, either the relay position it carries (records an internal relay
wrote, on that relay's topic) or a ``ReceivedEvent`` marker of its (source, id)
(records from outside): a repeat in any order finds one or the other and has no
second effect.  A partition's records in a fetched batch share one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Tracking

from services.kit.domain.received_event import ReceivedEvent
from services.kit.inbound import InboundEvent
from services.kit.store import ServiceApplication
from services.kit.subscriptions import Handler, attribution_for

CONFLICT_RETRIES = 10


@dataclass(frozen=True)
class RecordWork:
    record: Any
    event: InboundEvent[Any]
    handler: Handler
    tracking: Tracking | None
    marker: UUID | None  # the ReceivedEvent id of an untracked record, when its service dedupes by it


class RecordApplier:
    def __init__(self, app: ServiceApplication) -> None:
        self._app = app

    def apply_batch(self, work: list[RecordWork], tracking_name: str | None) -> dict[str, int]:
        """One transaction for a partition's records; a marker that exists already fails it (then one by one)."""
        tracked = self._app.recorder.max_tracking_id(tracking_name) if tracking_name else None
        fresh = [
            w
            for w in _first_of_each_marker(work)
            if not (w.tracking and tracked is not None and w.tracking.notification_id <= tracked)
        ]
        counts = {"processed": len(fresh), "duplicate": len(work) - len(fresh)}
        if not fresh:
            return counts
        batch_tracking = (
            Tracking(tracking_name, max(w.tracking.notification_id for w in fresh if w.tracking))
            if tracking_name
            else None
        )
        with self._app.unit_of_work(batch_tracking):
            for item in fresh:
                self._handle(item)
        return counts

    def apply_one(self, item: RecordWork) -> str:
        """One record in its own unit of work.  A conflict (another writer stored a version of an
        aggregate this one changed: a repeat of the record, or a replica booking the same person's
        day) is tried again at once, reading what the other stored, a few times before it counts."""
        for attempt in range(1, CONFLICT_RETRIES + 1):
            if self._already_handled(item):
                return "duplicate"
            try:
                with self._app.unit_of_work(item.tracking):
                    self._handle(item)
            except IntegrityError:
                if attempt == CONFLICT_RETRIES and not self._already_handled(item):
                    raise
                continue
            return "processed"
        return "duplicate"  # the last conflict was this record's own repeat

    def _handle(self, item: RecordWork) -> None:
        with self._app.acting_as(attribution_for(item.event, self._app.name)):
            item.handler(item.event)
            if item.marker is not None:
                self._app.save(ReceivedEvent(item.event.envelope.source, item.event.envelope.id))

    def _already_handled(self, item: RecordWork) -> bool:
        if item.tracking is not None:
            return self._app.is_tracked(item.tracking)
        return item.marker is not None and self._app.exists(item.marker)


def _first_of_each_marker(work: list[RecordWork]) -> list[RecordWork]:
    """``work`` without the repeats of a record earlier in it: a publisher's retry (or the
    demo's deliberate repeat) often lands in the same fetched batch, and its second marker
    would fail the batch's whole transaction, sending every record of it one at a time."""
    seen: set[UUID] = set()
    first = []
    for item in work:
        if item.marker is not None:
            if item.marker in seen:
                continue
            seen.add(item.marker)
        first.append(item)
    return first


def same_source_runs(work: list[RecordWork]) -> list[tuple[str | None, list[RecordWork]]]:
    """Consecutive runs of one partition's work that one transaction may take (``apply_batch``):
    all tracked under one name, or none tracked; in order, so a repeat is still found."""
    return [(name, list(run)) for name, run in groupby(work, key=_tracking_name)]


def _tracking_name(item: RecordWork) -> str | None:
    return item.tracking.application_name if item.tracking else None
