"""End offsets as the broker sees them (for the relay's loss probe), and the consumer-lag gauges."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from services.kit.kafka_clients import client_kwargs
from services.kit.kafka_settings import KafkaConnectionSettings
from services.kit.logs import get_logger
from services.kit.metrics import ServiceMetrics

log = get_logger(__name__)


class EndOffsetsReader:
    """One reader outside any group, shared by the relay's probe and the lag gauge."""

    def __init__(self, bootstrap: str, connection: KafkaConnectionSettings | None = None) -> None:
        self._bootstrap = bootstrap
        self._connection = connection  # None: the NATVERK_KAFKA_* environment
        self._reader: AIOKafkaConsumer | None = None
        self._lock = asyncio.Lock()

    async def end_offsets(self, partitions: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
        """End offsets as the broker sees them now; a partition it does not know ends at 0."""
        async with self._lock:
            return await self._read(partitions)

    async def _read(self, partitions: list[tuple[str, int]]) -> dict[tuple[str, int], int]:
        if self._reader is None:
            self._reader = AIOKafkaConsumer(
                **client_kwargs(self._bootstrap, self._connection), group_id=None, enable_auto_commit=False
            )
            await self._reader.start()
        reader = self._reader
        # A fresh metadata snapshot: ``reader.topics()`` fetches one but leaves the client's
        # cached view stale, and a stale view would report real partitions as missing.
        cluster = await reader._client.fetch_all_metadata()
        known = [TopicPartition(t, p) for t, p in partitions if p in (cluster.partitions_for_topic(t) or ())]
        ends = await reader.end_offsets(known) if known else {}
        return {(tp.topic, tp.partition): offset for tp, offset in ends.items()}

    async def stop(self) -> None:
        if self._reader is not None:
            await self._reader.stop()


class ConsumerLag:
    """This replica's lag on each partition it holds and has consumed from, and how old that figure is.

    While the broker's end offsets cannot be read the lag is unknown: its series is withdrawn
    (a frozen figure, a 0 above all, would pass for health) and its age, computed at each
    scrape, keeps growing, so the ``ConsumerLagUnknown`` alert can fire.
    """

    def __init__(self, offsets: EndOffsetsReader, consumer: Any, metrics: ServiceMetrics) -> None:
        self._offsets = offsets
        self._consumer = consumer
        self._metrics = metrics
        self._measured_at: dict[tuple[str, int], float] = {}  # monotonic clock

    async def update(self) -> None:
        """Measure every partition this replica holds and has consumed from: its end minus the
        position.  The series of one it no longer holds are withdrawn, age and all."""
        positions = self._consumer.held_positions()
        self._forget(self._measured_at.keys() - positions.keys())
        for key in positions.keys() - self._measured_at.keys():
            self._start_clock(key)
        try:
            ends = await self._offsets.end_offsets(list(positions)) if positions else {}
        except Exception:
            self._unknown(positions)
            raise
        for key, position in positions.items():
            if key in ends:
                self._measured_at[key] = time.monotonic()
                self._metrics.consumer_lag.labels(*_labels(key)).set(max(ends[key] - position, 0))
            else:
                self._unknown([key])

    async def follow(self, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.update()
            except Exception as error:  # noqa: BLE001 - the broker may be away; the next round retries
                log.info("consumer lag not measured", error_type=type(error).__name__)

    def _start_clock(self, key: tuple[str, int]) -> None:
        """The age of a partition's lag counts from the first round that sees the replica on it."""
        self._measured_at[key] = time.monotonic()
        age = self._metrics.consumer_lag_age.labels(*_labels(key))
        age.set_function(lambda: time.monotonic() - self._measured_at[key])

    def _forget(self, keys: Iterable[tuple[str, int]]) -> None:
        for key in list(keys):
            self._unknown([key])
            with contextlib.suppress(KeyError):
                self._metrics.consumer_lag_age.remove(*_labels(key))
            self._measured_at.pop(key, None)

    def _unknown(self, keys: Iterable[tuple[str, int]]) -> None:
        for key in keys:
            with contextlib.suppress(KeyError):  # never measured, or withdrawn already
                self._metrics.consumer_lag.remove(*_labels(key))


def _labels(key: tuple[str, int]) -> tuple[str, str]:
    topic, partition = key
    return topic, str(partition)
