"""Reading whole topics outside any consumer group: every partition assigned, from its beginning.

``natverk rebuild`` reads this way: no group to join (the local broker's join took seconds),
no offsets committed, large fetches.  It reads up to the end offsets taken when it starts;
the positions it reached are where a consumer group may carry on (``hand_over.py``).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterable
from typing import Any

from aiokafka import TopicPartition

from services.kit.kafka_settings import KafkaConnectionSettings
from services.kit.topics import reader_from_the_beginning

FETCHING = {
    "fetch_max_wait_ms": 50,  # the local broker waits this out whenever a fetch finds nothing
    "max_partition_fetch_bytes": 8 << 20,
    "fetch_max_bytes": 64 << 20,
}
POLL_MS = 200
DRAIN_ROUNDS = 5

Position = tuple[str, int]


class TopicReader:
    """``async with TopicReader(...) as reader: async for records in reader.batches(): ...``"""

    def __init__(
        self,
        bootstrap: str,
        topics: Iterable[str],
        connection: KafkaConnectionSettings | None = None,
        max_records: int = 5000,
        timeout: float = 600.0,
    ) -> None:
        self._consumer = reader_from_the_beginning(bootstrap, connection, **FETCHING)
        self._topics = sorted(set(topics))
        self._max_records = max_records
        self._timeout = timeout
        self.ends: dict[Position, int] = {}
        self.positions: dict[Position, int] = {}  # the offset after the last record read

    async def __aenter__(self) -> TopicReader:
        await self._consumer.start()
        try:
            await self._assign_everything()
        except BaseException:
            await self._consumer.stop()
            raise
        return self

    async def __aexit__(self, *_: object) -> None:
        await self._consumer.stop()

    async def _assign_everything(self) -> None:
        cluster = await self._consumer._client.fetch_all_metadata()  # fresh, not the cached view
        partitions = [
            TopicPartition(topic, partition)
            for topic in self._topics
            for partition in sorted(cluster.partitions_for_topic(topic) or ())
        ]
        if not partitions:
            return
        self._consumer.assign(partitions)
        starts = await self._consumer.beginning_offsets(partitions)
        ends = await self._consumer.end_offsets(partitions)
        await self._consumer.seek_to_beginning(*partitions)
        self.positions = {(tp.topic, tp.partition): offset for tp, offset in starts.items()}
        self.ends = {(tp.topic, tp.partition): offset for tp, offset in ends.items()}

    async def batches(self) -> AsyncIterator[list[list[Any]]]:
        """Up to ``max_records`` records at a time, as one list per partition (in order), until
        every partition has reached its end as it was at the start."""
        if not self.ends:
            return
        deadline = time.monotonic() + self._timeout
        while not self.at_ends():
            if time.monotonic() > deadline:
                raise TimeoutError(f"topics not read to their ends within {self._timeout:.0f}s")
            if fetched := await self._poll(POLL_MS):
                yield fetched
        # The local broker reports a partition's end at the start of its last multi-record
        # batch: polls until one brings nothing take that batch (and what came since, which
        # the consumer group would otherwise read after the hand-over: either is fine).
        for _ in range(DRAIN_ROUNDS):
            fetched = await self._poll(POLL_MS)
            if not fetched:
                return
            yield fetched

    def at_ends(self) -> bool:
        return all(self.positions[key] >= end for key, end in self.ends.items())

    async def _poll(self, timeout_ms: int) -> list[list[Any]]:
        fetched = await self._consumer.getmany(timeout_ms=timeout_ms, max_records=self._max_records)
        for tp, partition_records in fetched.items():
            self.positions[(tp.topic, tp.partition)] = partition_records[-1].offset + 1
        return [records for records in fetched.values() if records]
