"""The relay (outbox): stored events → CloudEvents on Kafka, in notification order.

It reads the service's notification log from just after the last position
it recorded, publishes every public event keyed by case id, waits for the
broker's acknowledgement of the whole batch and only then records the new
position.  After a crash it republishes from there: duplicates are possible,
loss is not (ARCHITECTURE §2.2).

The local broker forgets everything when it restarts.  The relay remembers
the highest offset the broker acknowledged in each partition; when the
broker later acknowledges a lower offset, or reports such a partition empty
or missing, the broker has lost records: the relay starts a new epoch and republishes
the whole log (consumers drop what they have already processed).  Records
of a new epoch say so (the ``epoch`` extension): consumers order positions by
(epoch, notification id), so a republished event is never taken for one they
have passed (ADR 0012).

Each record goes to the partition its key hashes to over the *configured*
partition count (Kafka's default murmur2 partitioner), not over however many
partitions the topic has now.  Consumers track progress per source partition,
which is only sound while every case stays on one partition: a topic
recreated with more partitions (the local broker auto-creates topics with four
when a client asks after a restart) must not move cases, or a republished event
would land behind a higher tracked position and be skipped.  A topic with
fewer partitions than configured stops the relay with a clear error.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka.partitioner import murmur2
from eventsourcing.persistence import Tracking

from services.kit.logs import get_logger
from services.kit.metrics import ServiceMetrics
from services.kit.publication import PublicationTable
from services.kit.store import ServiceApplication

EPOCH_NAME = "relay-epoch"
CLOUDEVENTS_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8"
PROBE_INTERVAL = 2.0

# (topic, partition, key, value, headers) -> a future that resolves to the broker's RecordMetadata
SendFunction = Callable[[str, int, bytes, bytes, dict[str, str]], Awaitable[Awaitable[Any]]]
# topic partitions -> their end offsets as the broker sees them now
EndOffsets = Callable[[list[tuple[str, int]]], Awaitable[dict[tuple[str, int], int]]]

log = get_logger(__name__)


def partition_for(key: bytes, partitions: int) -> int:
    """The partition Kafka's default partitioner picks for ``key`` among ``partitions``."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions


class Relay:
    def __init__(
        self,
        app: ServiceApplication,
        table: PublicationTable,
        send: SendFunction,
        metrics: ServiceMetrics,
        partitions: int,
        batch_size: int = 500,
        poll_interval: float = 0.05,
        end_offsets: EndOffsets | None = None,
        on_broker_reset: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._app = app
        self._table = table
        self._send = send
        self._metrics = metrics
        self._partitions = partitions
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._end_offsets = end_offsets
        self._on_broker_reset = on_broker_reset
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopping = False
        self._acked: dict[tuple[str, int], int] = {}
        self._next_probe = 0.0
        self.healthy = True
        self.epoch = self._read_epoch()
        app.on_saved(self._wake_from_any_thread)

    # -- positions, kept in the store's tracking table --------------------------------
    def _read_epoch(self) -> int:
        return self._app.recorder.max_tracking_id(EPOCH_NAME) or 0

    @property
    def _position_name(self) -> str:
        return "relay" if self.epoch == 0 else f"relay#{self.epoch}"

    def _offset_name(self, topic: str, partition: int) -> str:
        return f"{self._position_name}@{topic}/{partition}"

    def position(self) -> int:
        return self._app.recorder.max_tracking_id(self._position_name) or 0

    def _record_progress(self, last: int, offsets: dict[tuple[str, int], int]) -> None:
        for (topic, partition), offset in offsets.items():
            self._app.recorder.insert_tracking(Tracking(self._offset_name(topic, partition), offset + 1))
        self._app.recorder.insert_tracking(Tracking(self._position_name, last))

    def _load_acked(self, partitions: list[tuple[str, int]]) -> None:
        for topic, partition in partitions:
            stored = self._app.recorder.max_tracking_id(self._offset_name(topic, partition))
            if stored:
                self._acked[(topic, partition)] = stored - 1

    # -- publishing --------------------------------------------------------------------
    def _wake_from_any_thread(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    async def publish_pending(self) -> int:
        """Publish one batch after the recorded position; returns how many notifications it covered."""
        start = await self._app.run_blocking(self.position)
        notifications = await self._app.run_blocking(
            self._app.recorder.select_notifications, start + 1, self._batch_size
        )
        if not notifications:
            self._metrics.relay_lag.set(0)
            return 0
        pending = []
        for notification in notifications:
            domain_event = self._app.mapper.to_domain_event(notification)
            for topic, cloud_event in self._table.cloud_events(domain_event, notification.id, self.epoch):
                headers = {"content-type": CLOUDEVENTS_CONTENT_TYPE, "ce_type": cloud_event.type}
                key = cloud_event.subject.encode("utf-8")
                partition = partition_for(key, self._partitions)
                pending.append(await self._send(topic, partition, key, cloud_event.to_json_bytes(), headers))
                self._metrics.relay_published.labels(topic=topic).inc()
        acknowledged = await asyncio.gather(*pending)
        offsets = _highest_offsets(acknowledged)
        last = notifications[-1].id
        if any(offset <= self._acked.get(tp, -1) for tp, offset in offsets.items()):
            # The broker handed out offsets it had given before: it lost records.  The new
            # epoch republishes everything, this batch included, so its position is not kept.
            await self._start_new_epoch("the broker acknowledged offsets at or below earlier ones")
            return len(notifications)
        await self._app.run_blocking(self._record_progress, last, offsets)
        self._acked.update(offsets)
        newest = await self._app.run_blocking(self._app.max_notification_id)
        self._metrics.relay_lag.set(max(newest - last, 0))
        return len(notifications)

    async def check_broker(self) -> None:
        """Compare each partition's end with what the broker acknowledged before."""
        if self._end_offsets is None or not self._acked:
            return
        ends = await self._end_offsets(list(self._acked))
        # Only an empty or missing partition counts as loss: the local broker reports the end of
        # a partition written in multi-record batches below the last acknowledged offset, so
        # "end <= acknowledged" would rewind for nothing.  Partial loss shows up as offset
        # regression on the next publish instead.
        if any(ends.get(tp, 0) == 0 for tp in self._acked):
            await self._start_new_epoch("a partition ends below records the broker acknowledged")

    async def _start_new_epoch(self, why: str) -> None:
        log.warning("broker lost published records; republishing the whole log", reason=why)
        if self._on_broker_reset is not None:
            await self._on_broker_reset()
        self.epoch += 1
        await self._app.run_blocking(self._app.recorder.insert_tracking, Tracking(EPOCH_NAME, self.epoch))
        self._acked.clear()
        self._metrics.relay_rewinds.inc()

    async def run(self, partitions: list[tuple[str, int]] | None = None) -> None:
        self._loop = asyncio.get_running_loop()
        await self._app.run_blocking(self._load_acked, partitions or [])
        while not self._stopping:
            self._wake.clear()  # before reading: a save from now on wakes the next wait
            try:
                await self._probe_now_and_then()
                published = await self.publish_pending()
                self.healthy = True
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - broker or store down: keep position, retry
                self.healthy = False
                log.warning(
                    "relay batch failed, will retry", error_type=type(error).__name__, error=str(error)[:200]
                )
                await asyncio.sleep(1.0)
                continue
            if published < self._batch_size:
                await self._wait_for_work()

    async def _probe_now_and_then(self) -> None:
        loop_time = asyncio.get_running_loop().time()
        if loop_time >= self._next_probe:
            self._next_probe = loop_time + PROBE_INTERVAL
            await self.check_broker()

    async def _wait_for_work(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval)

    def stop(self) -> None:
        self._stopping = True
        self._wake_from_any_thread()


def _highest_offsets(acknowledged: list[Any]) -> dict[tuple[str, int], int]:
    offsets: dict[tuple[str, int], int] = {}
    for metadata in acknowledged:
        key = (metadata.topic, metadata.partition)
        offsets[key] = max(offsets.get(key, -1), metadata.offset)
    return offsets
