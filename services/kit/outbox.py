"""The relay's parking lot: stored events it cannot publish, kept aside with their reason.

No single record may stop the relay (ARCHITECTURE §2.3).  A notification whose event
cannot be turned into a publishable CloudEvent (its data breaks the contract) or that
the broker refuses on its own account (too large, an invalid topic) is parked: saved
as a ``ParkedNotification`` with the kind of failure, counted and alerted on; the relay
goes on.  Ops list and show parked records and, after a repair, release them: the
record is then published without a ``sequence`` (so no consumer mistakes it for a
position it has passed; consumers are idempotent by event identity).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiokafka import errors as kafka

from services.kit.domain.parked_notification import NotParked, ParkedNotification
from services.kit.index import CatchUpIndex
from services.kit.pages import Paged, PageRequest
from services.kit.publication import PublicationTable
from services.kit.store import ServiceApplication

# The broker refuses these records for what they are; anything else is the broker's state.
RECORD_ERRORS: tuple[type[Exception], ...] = (
    kafka.MessageSizeTooLargeError,
    kafka.RecordTooLargeError,
    kafka.RecordListTooLargeError,
    kafka.InvalidTopicError,
    kafka.CorruptRecordException,
    kafka.InvalidMessageError,
)
CLOUDEVENTS_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8"


@dataclass(frozen=True)
class OutgoingRecord:
    topic: str
    key: bytes
    value: bytes
    headers: dict[str, str]


def reason_for(error: BaseException) -> str:
    """The kind of failure, never the event's content (it may hold personal data)."""
    if hasattr(error, "errors") and callable(error.errors):  # pydantic: which fields, not their values
        fields = sorted({".".join(str(p) for p in item["loc"]) for item in error.errors()[:10]})
        return f"{type(error).__name__}: the event breaks its contract at {', '.join(fields)}"[:500]
    return f"{type(error).__name__}: the broker or the contract refuses this record"[:500]


def records_of(
    app: ServiceApplication, table: PublicationTable, notification: Any, sequence: int | None, epoch: int
) -> list[OutgoingRecord]:
    """The Kafka records a stored notification becomes (raises if it cannot become any)."""
    domain_event = app.mapper.to_domain_event(notification)
    records = []
    for topic, cloud_event in table.cloud_events(domain_event, sequence, epoch):
        headers = {"content-type": CLOUDEVENTS_CONTENT_TYPE, "ce_type": cloud_event.type}
        records.append(
            OutgoingRecord(topic, cloud_event.subject.encode(), cloud_event.to_json_bytes(), headers)
        )
    return records


def _fold_parked(rows: dict[Any, tuple[int, bool]], domain_event: Any) -> None:
    if isinstance(domain_event, ParkedNotification.Parked):
        rows[domain_event.originator_id] = (domain_event.notification_id, False)
    elif isinstance(domain_event, ParkedNotification.Released):
        notification_id, _ = rows[domain_event.originator_id]
        rows[domain_event.originator_id] = (notification_id, True)


class ParkingLot:
    """Parked notifications of one service's log."""

    def __init__(self, app: ServiceApplication) -> None:
        self._app = app
        self._index = CatchUpIndex(
            app, _fold_parked, events=(ParkedNotification.Parked, ParkedNotification.Released)
        )

    def park(self, failures: list[tuple[Any, str]]) -> None:
        """Park each (notification, reason); one parked before (a batch retried) counts an attempt."""
        changed = []
        for notification, reason in failures:
            parked = self._get_or_none(notification.id)
            if parked is None:
                parked = ParkedNotification(notification.id, notification.topic, reason)
            else:
                parked.still_failing(reason)
            changed.append(parked)
        self._app.save(*changed)

    def waiting(self, page: PageRequest) -> Paged[ParkedNotification]:
        """Parked and not released, oldest first, a page at a time (by notification id)."""
        ids = sorted(n for n, released in self._index.rows() if not released)
        chosen = page.select(ids, key=lambda notification_id: notification_id)
        return chosen.map(lambda n: self._app.repository.get(ParkedNotification.id_for(n)))

    def waiting_count(self) -> int:
        """How many are parked and not released (from the index: nothing is loaded)."""
        return sum(not released for _, released in self._index.rows())

    def get(self, notification_id: int) -> ParkedNotification:
        parked = self._get_or_none(notification_id)
        if parked is None or parked.released:
            raise NotParked("no parked record with that notification id")
        return parked

    def _get_or_none(self, notification_id: int) -> ParkedNotification | None:
        if not self._app.exists(ParkedNotification.id_for(notification_id)):
            return None
        return self._app.repository.get(ParkedNotification.id_for(notification_id))

    def notification(self, notification_id: int) -> Any:
        found = self._app.recorder.select_notifications(notification_id, 1)
        if not found or found[0].id != notification_id:
            raise NotParked("the parked record's notification is not in the log")
        return found[0]
