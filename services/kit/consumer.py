"""The tracking consumer: idempotent processing of Kafka records (ARCHITECTURE §2.1-2.2).

* Offsets are committed only after a record is handled (explicit ack policy), so a
  crash redelivers instead of losing.
* What a record may claim depends on where it was read (``trust``); each handler runs
  in the kit's unit of work with the record's tracking position or (source, id) marker
  (``applying``): a repeat changes nothing.
* A bad record goes unchanged to the dead-letter topic with an ``error`` header and
  consumption goes on; a record whose handler keeps failing is dead-lettered after a
  bounded number of attempts: nothing loops forever.  A store that cannot be reached is
  not the record's fault: it is redelivered after a pause.
* A record keyed by something other than its case id is handled as usual, and counted and
  logged for ops to tell its publisher (``record_keys``).
* A partition's records in a fetched batch share one transaction; if that fails for any
  other reason, each is processed on its own, so one bad record poisons no neighbour.
"""

from __future__ import annotations

import asyncio
from typing import Any

from eventsourcing.persistence import InterfaceError, OperationalError
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage

from services.kit.applying import RecordApplier, RecordWork
from services.kit.batch_parsing import headers_as_they_come, raw_body
from services.kit.dead_letters import dead_letter
from services.kit.fetched_batches import by_partition, by_topic, units_of_work
from services.kit.index import UNREADABLE
from services.kit.kafka_records import read_odd_header_names
from services.kit.logs import get_logger
from services.kit.metrics import ServiceMetrics
from services.kit.record_keys import RecordKeyCheck
from services.kit.routing import RecordRouter, Refused
from services.kit.store import ServiceApplication
from services.kit.subscriptions import ConsumerSpec, Handler, Subscription, on
from services.kit.trust import SourceBinding

__all__ = ["ConsumerSpec", "Handler", "Subscription", "TrackingConsumer", "on"]

log = get_logger(__name__)

# Not the record's fault: the store is down, or holds an event that no longer decodes (altered
# under the service).  The batch is redelivered, and the partition waits (its lag alerts), where
# retrying and then dead-lettering or skipping would lose every record behind it.
STORE_UNAVAILABLE = (OperationalError, InterfaceError, *UNREADABLE)


class TrackingConsumer:
    """One consumer-group member for all the service's topics (one join, one rebalance)."""

    def __init__(
        self,
        app: ServiceApplication,
        broker: KafkaBroker,
        group_id: str,
        specs: list[ConsumerSpec],
        metrics: ServiceMetrics,
        max_attempts: int = 3,
        retry_pause: float = 0.2,
        fetch_max_wait_ms: int = 20,
        sources: SourceBinding | None = None,
    ) -> None:
        read_odd_header_names()  # one odd header name must not stall a partition
        self._app = app
        self._broker = broker
        self._specs = {spec.topic: spec for spec in specs}
        self._applier = RecordApplier(app)
        self._router = RecordRouter(specs, sources)
        self._metrics = metrics
        self._keys = RecordKeyCheck(metrics)
        self._max_attempts = max_attempts
        self._retry_pause = retry_pause
        self.subscriber = broker.subscriber(
            *self._specs,
            group_id=group_id,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.NACK_ON_ERROR,
            decoder=raw_body,
            parser=headers_as_they_come,
            batch=True,
            max_records=500,
            batch_timeout_ms=100,
            fetch_max_wait_ms=fetch_max_wait_ms,
            # The smallest session Apache Kafka accepts by default; the local broker's join
            # takes about half the session timeout, so this also keeps start-up short.
            session_timeout_ms=6000,
            heartbeat_interval_ms=1000,
            title=group_id,
        )
        self.subscriber(self.handle)
        # (topic, partition) -> the offset after the last record handled: lag = partition end - this
        self.positions: dict[tuple[str, int], int] = {}

    def held_positions(self) -> dict[tuple[str, int], int]:
        """The positions of the partitions this replica holds now.  One a rebalance gave to
        another replica is forgotten: its lag is the new owner's to report, and a figure kept
        here would grow with every record the owner handles (and be added to the owner's)."""
        consumer = getattr(self.subscriber, "consumer", None)
        if consumer is not None:
            held = {(tp.topic, tp.partition) for tp in consumer.assignment()}
            for key in self.positions.keys() - held:
                del self.positions[key]
        return dict(self.positions)

    def specs_topics(self) -> list[str]:
        return list(self._specs)

    async def handle(self, bodies: list[bytes], message: KafkaMessage) -> None:
        records = message.raw_message
        for topic in by_topic(by_partition(records if isinstance(records, tuple) else (records,))):
            prepared = [[w for r in part if (w := await self._prepare(r)) is not None] for part in topic]
            for work in units_of_work(prepared):
                await self._process_together(work)
            for partition_records in topic:
                last = partition_records[-1]
                self.positions[(last.topic, last.partition)] = last.offset + 1

    async def _prepare(self, record: Any) -> RecordWork | None:
        """Parse and route one record; a bad one is dead-lettered here and yields None."""
        routed = self._router.route(record)
        if isinstance(routed, Refused):
            await self._reject(self._specs[record.topic], record, routed.reason)
            return None
        if routed is None:
            self._count(record.topic, "ignored")
        else:
            self._keys.check(routed)
        return routed

    async def _process_together(self, work: list[RecordWork]) -> None:
        names = {w.tracking.application_name for w in work if w.tracking}
        one_source = len(names) <= 1 and (not names or all(w.tracking for w in work))
        if len(work) > 1 and one_source:
            try:
                counts = await self._app.run_blocking(
                    self._applier.apply_batch, work, next(iter(names), None)
                )
            except STORE_UNAVAILABLE:
                log.warning("store unavailable; batch will be redelivered", topic=work[0].record.topic)
                await asyncio.sleep(1.0)
                raise
            except Exception as error:  # noqa: BLE001 - fall back to one record at a time, below
                log.info(
                    "batch failed; processing its records one at a time", error_type=type(error).__name__
                )
            else:
                for outcome, count in counts.items():
                    self._count(work[0].record.topic, outcome, count)
                return
        for item in work:
            await self._process(item)

    async def _process(self, item: RecordWork) -> None:
        record, event = item.record, item.event
        for attempt in range(1, self._max_attempts + 1):
            try:
                outcome = await self._app.run_blocking(self._applier.apply_one, item)
            except STORE_UNAVAILABLE:
                log.warning("store unavailable; record will be redelivered", topic=record.topic)
                await asyncio.sleep(1.0)
                raise
            except Exception as error:  # noqa: BLE001 - a bug or a rule broken by this record: retry, then DLQ
                log.warning(
                    "handler failed",
                    topic=record.topic,
                    partition=record.partition,
                    offset=record.offset,
                    event_type=event.envelope.type,
                    attempt=attempt,
                    error_type=type(error).__name__,
                )
                if attempt == self._max_attempts:
                    reason = f"processing failed: {type(error).__name__}"
                    await self._reject(self._specs[record.topic], record, reason)
                    return
                await asyncio.sleep(self._retry_pause * attempt)
                continue
            self._count(record.topic, outcome)
            return

    async def _reject(self, spec: ConsumerSpec, record: Any, reason: str) -> None:
        if not spec.dead_letters:
            self._count(record.topic, "skipped_invalid")
            return
        dlq = await dead_letter(self._broker, record, reason)
        log.info("record dead-lettered", topic=record.topic, offset=record.offset, reason=reason)
        self._metrics.dead_lettered.labels(dlq_topic=dlq).inc()
        self._count(record.topic, "dead_lettered")

    def _count(self, topic: str, outcome: str, count: int = 1) -> None:
        if count:
            self._metrics.consumed.labels(topic=topic, outcome=outcome).inc(count)
