"""Creating the topics a service needs (the local broker forgets them on restart)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, TopicAlreadyExistsError

from services.kit.kafka_clients import client_kwargs
from services.kit.kafka_records import read_odd_header_names
from services.kit.kafka_settings import KafkaConnectionSettings
from services.kit.logs import get_logger

log = get_logger(__name__)


async def ensure_topics(
    bootstrap: str, names: Iterable[str], partitions: int, connection: KafkaConnectionSettings | None = None
) -> None:
    """Create the missing ones; ``connection`` None: the NATVERK_KAFKA_* environment's security."""
    admin = AIOKafkaAdminClient(**client_kwargs(bootstrap, connection), client_id="natverk-admin")
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [NewTopic(name, partitions, 1) for name in sorted(set(names) - existing)]
        if missing:
            # Another service may create them at the same moment.
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(missing)
    finally:
        await admin.close()


def reader_from_the_beginning(
    bootstrap: str, connection: KafkaConnectionSettings | None = None, **fetching: Any
) -> AIOKafkaConsumer:
    """A consumer outside any group, for reading topics from their first record (assign and seek).

    "earliest" also as the reset strategy: assign() starts a reset with the default ("latest"),
    and its answer can land after seek_to_beginning() and win, skipping the oldest records.
    ``fetching``: aiokafka's fetch options (sizes, waits) for readers that read a lot.
    """
    read_odd_header_names()
    return AIOKafkaConsumer(
        **client_kwargs(bootstrap, connection),
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        **fetching,
    )


async def patiently(reach: Callable[[], Awaitable[None]], seconds: float) -> None:
    """A broker away at start-up (a restart, a cut) is waited for a while, not a reason to exit."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        try:
            await reach()
            return
        except KafkaConnectionError:
            if asyncio.get_running_loop().time() > deadline:
                raise
            log.warning("broker not reachable at start-up; retrying")
            await asyncio.sleep(2.0)
