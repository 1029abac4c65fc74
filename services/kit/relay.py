"""The relay (outbox): stored events → CloudEvents on Kafka, in notification order.

It reads the service's notification log from just after the last position it
recorded, publishes every public event keyed by case id, waits for the broker's
acknowledgement of the whole batch and only then records the new position.  After a
crash it republishes from there: duplicates are possible, loss is not (ARCHITECTURE §2.3).  A
record it cannot publish is parked and it goes on (``relay_parking``); a broker that lost records
is noticed and the log republished in a new epoch (``relay_epochs``); one replica at a time
publishes (``relay_lease``).

Each record goes to the partition its key hashes to over the *configured* partition
count (Kafka's default murmur2 partitioner), so a case never moves between partitions
when a topic is re-created with more; a topic with fewer stops the relay (ADR 0011).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from aiokafka.partitioner import murmur2

from services.kit.index import notifications_after
from services.kit.logs import get_logger
from services.kit.metrics import ServiceMetrics
from services.kit.outbox import RECORD_ERRORS, OutgoingRecord, ParkingLot, reason_for, records_of
from services.kit.publication import PublicationTable
from services.kit.relay_epochs import RelayEpochs
from services.kit.relay_lease import Lease
from services.kit.relay_parking import RelayParking
from services.kit.relay_positions import EndOffsets, highest_offsets
from services.kit.store import ServiceApplication

# (topic, partition, key, value, headers) -> a future that resolves to the broker's RecordMetadata
SendFunction = Callable[[str, int, bytes, bytes, dict[str, str]], Awaitable[Awaitable[Any]]]
log = get_logger(__name__)
LEASE_RETRY_SECONDS = 1.0


def partition_for(key: bytes, partitions: int) -> int:
    """The partition Kafka's default partitioner picks for ``key`` among ``partitions``."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions


class Relay(RelayEpochs, RelayParking):
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
        lease: Lease | None = None,
    ) -> None:
        self._app = app
        self._lease = lease
        self.leader = False
        self._table = table
        self._topics = table.stored_topics()
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
        self._forget_cover()  # nothing covered or recorded by this process yet
        self._next_probe = 0.0
        self.healthy = True
        self.problem: str | None = None
        self.parked = 0
        self.parking = ParkingLot(app)
        self.epoch = self._read_epoch()
        app.on_saved(self._wake_from_any_thread)

    # -- publishing --------------------------------------------------------------------
    def _wake_from_any_thread(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    async def publish_pending(self) -> int:
        """Publish one batch after the recorded position; returns how many notifications it covered
        (published or kept private).

        A notification that cannot be published is parked with its reason (``services.kit.outbox``)
        and the batch goes on; a broker that cannot be reached fails the batch, to be retried.
        """
        start = await self._app.run_blocking(self._starting_position)
        last, notifications = await self._app.run_blocking(
            notifications_after, self._app, start, self._batch_size, self._topics
        )
        if last == start:
            self._metrics.relay_lag.set(0)
            return 0
        if not notifications:  # nothing to publish up to ``last``: no row committed for it
            await self._cover_private(last)
            return last - start
        sent: list[tuple[Any, str, Any]] = []  # (notification, topic, ack future)
        try:
            failures = await self._send_all(notifications, sent)
            results = await asyncio.gather(*(future for _, _, future in sent), return_exceptions=True)
            broken = [r for r in results if isinstance(r, BaseException) and not isinstance(r, RECORD_ERRORS)]
            if broken:  # the broker's state, not the record's: the batch is tried again
                raise broken[0]
        except Exception:
            if sent:  # some of it may be on the log, a partition's later records without earlier ones
                await self._publish_again_in_new_epoch(start)
            raise
        acknowledged = []
        for (notification, topic, _), result in zip(sent, results, strict=True):
            if isinstance(result, RECORD_ERRORS):
                failures.append((notification, reason_for(result)))
            else:
                acknowledged.append(result)
                self._metrics.relay_published.labels(topic=topic).inc()
        offsets = highest_offsets(acknowledged)
        if any(offset <= self._acked.get(tp, -1) for tp, offset in offsets.items()):
            # The broker handed out offsets it had given before: it lost records.  The new
            # epoch republishes everything, this batch included, so its position is not kept.
            await self._start_new_epoch("the broker acknowledged offsets at or below earlier ones")
            return last - start
        if failures:
            await self._park(failures)
        await self._app.run_blocking(self._record_progress, last, offsets)
        self._acked.update(offsets)
        await self.update_lag(last)
        return last - start

    async def _send_all(
        self, notifications: list[Any], sent: list[tuple[Any, str, Any]]
    ) -> list[tuple[Any, str]]:
        """Hand every record to the producer, each noted in ``sent`` as it goes; returns the
        (notification, reason) of those to park."""
        failures: list[tuple[Any, str]] = []
        for notification in notifications:
            try:
                records = records_of(self._app, self._table, notification, notification.id, self.epoch)
            except Exception as error:  # noqa: BLE001 - its stored content can never be published as it is
                failures.append((notification, reason_for(error)))
                continue
            try:
                for record in records:
                    future = await self._send_record(record)
                    sent.append((notification, record.topic, future))
            except RECORD_ERRORS as error:
                failures.append((notification, reason_for(error)))
        return failures

    async def _send_record(self, record: OutgoingRecord) -> Any:
        partition = partition_for(record.key, self._partitions)
        return await self._send(record.topic, partition, record.key, record.value, record.headers)

    async def run(self, partitions: list[tuple[str, int]] | None = None) -> None:
        self._loop = asyncio.get_running_loop()
        await self.count_parked()
        while not self._stopping:
            self._wake.clear()  # before reading: a save from now on wakes the next wait
            try:
                if not await self._lead(partitions or []):
                    await asyncio.sleep(LEASE_RETRY_SECONDS)
                    continue
                await self._probe_now_and_then()
                published = await self.publish_pending()
                if published:
                    await self.count_parked()  # a release by ops is a stored event too
                self.healthy, self.problem = True, None
            except asyncio.CancelledError:
                raise
            except Exception as error:  # noqa: BLE001 - broker or store down: keep position, retry
                await self._cannot_publish(error)
                continue
            if published < self._batch_size:
                await self._wait_for_work()

    async def _cannot_publish(self, error: Exception) -> None:
        self.healthy = False
        self.problem = f"cannot publish: {type(error).__name__}"
        log.warning("relay batch failed, will retry", error_type=type(error).__name__, error=str(error)[:200])
        with contextlib.suppress(Exception):
            await self.update_lag()
        await asyncio.sleep(1.0)

    async def _wait_for_work(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=self._poll_interval)

    def stop(self) -> None:
        self._stopping = True
        if self._lease is not None:
            self._lease.release()
        self._wake_from_any_thread()
