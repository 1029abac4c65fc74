"""Sending a record that cannot be processed, unchanged, to its topic's dead-letter queue."""

from __future__ import annotations

from typing import Any

from aiokafka.errors import MessageSizeTooLargeError
from faststream.kafka import KafkaBroker

from contracts.topics import dead_letter_topic


async def dead_letter(broker: KafkaBroker, record: Any, reason: str) -> str:
    """Publish ``record`` to its DLQ with an ``error`` header saying why; returns the DLQ's name.

    Its value (a tombstone's too) and its headers (binary, repeated or empty ones too) travel
    unchanged; the ``error`` and ``original_*`` headers follow them, so that they are the last of
    their names, and name the original position, so ops can find and redrive it.
    """
    dlq = dead_letter_topic(record.topic)
    ours = {
        "error": reason[:1000],
        "original_topic": record.topic,
        "original_partition": str(record.partition),
        "original_offset": str(record.offset),
    }
    try:
        await _publish(broker, dlq, record.value, record.key, list(record.headers or ()), ours)
    except MessageSizeTooLargeError:
        # It cannot travel unchanged; it stays at its original offset, which the header names.
        ours["error"] = f"record too large to dead-letter ({len(record.value)} bytes); {reason}"[:1000]
        await _publish(broker, dlq, b"", record.key, [], ours)
    return dlq


async def _publish(
    broker: KafkaBroker,
    topic: str,
    value: bytes | None,
    key: bytes | None,
    original: list[tuple[str, bytes | None]],
    ours: dict[str, str],
) -> None:
    # FastStream's publish takes headers as a dict of text and cannot send a null value without a
    # key; the broker's own aiokafka producer (pinned FastStream 0.7) sends the record as it came.
    state = getattr(getattr(broker, "_producer", None), "_producer", None)
    producer = getattr(state, "producer", None)
    if producer is None:  # FastStream's in-memory test broker, or a test's stand-in
        text = {k: (v or b"").decode("utf-8", "replace") for k, v in original}
        await broker.publish(value or b"", topic=topic, key=key, headers={**text, **ours})
        return
    headers = [*original, *((name, text.encode("utf-8")) for name, text in ours.items())]
    await producer.send_and_wait(topic, value if value is not None or key else b"", key=key, headers=headers)
