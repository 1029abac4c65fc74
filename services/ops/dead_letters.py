"""Dead-letter inspection and re-drive (``natverk dlq``).

Dead-lettered records may hold personal data: listings show only offsets,
reasons and sizes; ``show`` masks anything shaped like a personal identity
number.  A re-drive republishes a record unchanged to the topic it came from;
consumers drop what they already processed, so re-driving twice is harmless.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaProducer, TopicPartition

from contracts.topics import DLQ_SUFFIX
from services.kit.kafka_clients import client_kwargs
from services.kit.kafka_settings import KafkaConnectionSettings
from services.kit.logs import scrub
from services.kit.topics import reader_from_the_beginning


@dataclass(frozen=True)
class DeadLetter:
    partition: int
    offset: int
    raw_key: bytes | None  # as it came: a re-drive republishes these, not what is shown
    raw_headers: tuple[tuple[str, bytes], ...]
    value: bytes

    @property
    def key(self) -> str:
        """For reading: decoded, personal numbers masked."""
        return scrub((self.raw_key or b"").decode("utf-8", "replace"))

    @property
    def headers(self) -> dict[str, str]:
        """For reading: decoded."""
        return {k: v.decode("utf-8", "replace") for k, v in self.raw_headers}

    @property
    def error(self) -> str:
        return self.headers.get("error", "(no reason recorded)")

    @property
    def original_topic(self) -> str:
        return self.headers.get("original_topic", "")

    @property
    def size(self) -> int:
        return len(self.value)


def _require_dlq(topic: str) -> None:
    if not topic.endswith(DLQ_SUFFIX):
        raise ValueError(f"{topic!r} is not a dead-letter topic (they end in {DLQ_SUFFIX!r})")


async def read_dead_letters(
    bootstrap: str, topic: str, limit: int = 1000, connection: KafkaConnectionSettings | None = None
) -> list[DeadLetter]:
    """Every record in ``topic`` from the start (no consumer group: reading moves nothing).

    ``connection`` None: the NATVERK_KAFKA_* environment's security (as for ``redrive``)."""
    _require_dlq(topic)
    consumer = reader_from_the_beginning(bootstrap, connection)
    try:
        await consumer.start()
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        if not partitions:
            await consumer.topics()
            cluster = await consumer._client.fetch_all_metadata()
            partitions = [TopicPartition(topic, p) for p in sorted(cluster.partitions_for_topic(topic) or ())]
        if not partitions:  # a mistyped name is not an empty topic
            raise ValueError(f"the broker has no topic {topic!r}")
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        letters: list[DeadLetter] = []
        # Read until a fetch comes back empty: the local broker's end offsets can be low, so
        # they are not trusted to say when the topic is exhausted.
        while len(letters) < limit:
            batches = await consumer.getmany(timeout_ms=500, max_records=500)
            if not batches:
                break
            for records in batches.values():
                letters.extend(_letter(record) for record in records)
        return sorted(letters, key=lambda d: (d.partition, d.offset))[:limit]
    finally:
        await consumer.stop()


def _letter(record: Any) -> DeadLetter:
    raw_headers = tuple((k, v or b"") for k, v in (record.headers or ()))
    return DeadLetter(record.partition, record.offset, record.key, raw_headers, record.value or b"")


def describe(letters: list[DeadLetter]) -> str:
    lines = [f"{'partition':>9} {'offset':>7} {'bytes':>8}  original topic        reason"]
    lines += [
        f"{d.partition:>9} {d.offset:>7} {d.size:>8}  {d.original_topic:<21} {d.error}" for d in letters
    ]
    return "\n".join(lines)


def show(letter: DeadLetter, max_bytes: int = 4000) -> str:
    text = letter.value[:max_bytes].decode("utf-8", "replace")
    more = f"\n... ({letter.size - max_bytes} more bytes)" if letter.size > max_bytes else ""
    headers = {k: scrub(v) for k, v in letter.headers.items()}
    return f"headers: {json.dumps(headers, ensure_ascii=False)}\nkey: {letter.key}\nvalue (personal numbers masked):\n{scrub(text)}{more}"


async def redrive(
    bootstrap: str, letters: list[DeadLetter], connection: KafkaConnectionSettings | None = None
) -> int:
    """Republish each record unchanged to its original topic; returns how many."""
    producer = AIOKafkaProducer(**client_kwargs(bootstrap, connection), enable_idempotence=False, acks="all")
    try:
        await producer.start()
        for letter in letters:
            if not letter.original_topic:
                raise ValueError(
                    f"offset {letter.offset} has no original_topic header; cannot tell where it belongs"
                )
            # The key and headers as they came, byte for byte: the shown key is decoded and
            # masked, and a key that is not UTF-8, or an empty one, must stay what it was.
            headers = [(k, v) for k, v in letter.raw_headers if k != "error"]
            headers.append(("redriven_from", f"{letter.partition}:{letter.offset}".encode()))
            await producer.send_and_wait(
                letter.original_topic, letter.value, key=letter.raw_key, headers=headers
            )
        return len(letters)
    finally:
        await producer.stop()
