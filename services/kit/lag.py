"""End offsets as the broker sees them: for the relay's loss probe and the consumer-lag gauge."""

from __future__ import annotations

import asyncio
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

    async def update_consumer_lag(self, consumer: Any, metrics: ServiceMetrics) -> None:
        """Set the lag gauge of every partition this replica has consumed from: end minus position."""
        if not consumer.positions:
            return
        positions = dict(consumer.positions)
        ends = await self.end_offsets(list(positions))
        for (topic, partition), position in positions.items():
            if (topic, partition) in ends:
                lag = max(ends[(topic, partition)] - position, 0)
                metrics.consumer_lag.labels(topic=topic, partition=str(partition)).set(lag)

    async def follow_lag(self, consumer: Any, metrics: ServiceMetrics, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            try:
                await self.update_consumer_lag(consumer, metrics)
            except Exception as error:  # noqa: BLE001 - the broker may be away; the next round retries
                log.info("consumer lag not updated", error_type=type(error).__name__)

    async def stop(self) -> None:
        if self._reader is not None:
            await self._reader.stop()
