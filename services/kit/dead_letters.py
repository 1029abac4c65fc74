"""Sending a record that cannot be processed, unchanged, to its topic's dead-letter queue."""

from __future__ import annotations

from typing import Any

from aiokafka.errors import MessageSizeTooLargeError
from faststream.kafka import KafkaBroker

from contracts.topics import dead_letter_topic


async def dead_letter(broker: KafkaBroker, record: Any, reason: str) -> str:
    """Publish ``record`` to its DLQ with an ``error`` header saying why; returns the DLQ's name.

    The original headers are kept, and the original position named, so ops can find and redrive it.
    """
    dlq = dead_letter_topic(record.topic)
    headers = {k: (v or b"").decode("utf-8", "replace") for k, v in (record.headers or ())}
    headers.update(
        error=reason[:1000],
        original_topic=record.topic,
        original_partition=str(record.partition),
        original_offset=str(record.offset),
    )
    try:
        await broker.publish(record.value or b"", topic=dlq, key=record.key, headers=headers)
    except MessageSizeTooLargeError:
        # It cannot travel unchanged; it stays at its original offset, which the header names.
        headers["error"] = f"record too large to dead-letter ({len(record.value)} bytes); {reason}"[:1000]
        await broker.publish(b"", topic=dlq, key=record.key, headers=headers)
    return dlq
