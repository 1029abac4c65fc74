"""Handing a rebuilt store's Kafka positions to the case store's consumer group.

The service's consumer resumes from its group's committed offsets, not from its store:
tracking in the store only makes a re-read record a no-op.  So that the service, started
on a rebuilt store, carries on exactly where the rebuild stopped (neither re-reading what
the rebuild applied nor skipping what the old store had read past it), the rebuild commits
its positions as the group's offsets: with partitions assigned by hand, which commits
without joining the group.  Only while the group has no members (the service stopped).

Apache Kafka drops a member when it leaves or its session ends; the local broker (tansu) keeps
it until it restarts, so there a group that has had members cannot be handed over.  Without a
hand-over the service resumes from its group's offsets: if it was stopped before the rebuild
began, they are at or before the rebuild's positions, and what it reads again it finds
applied (tracking, source keys): nothing is applied twice, and nothing is skipped.
"""

from __future__ import annotations

import asyncio

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import OffsetAndMetadata

from services.kit.kafka_clients import client_kwargs
from services.kit.settings import ServiceSettings

MEMBERS_LEAVE_SECONDS = 15.0  # a member that stopped without saying so leaves after its session timeout
MEMBERS_POLL_SECONDS = 0.5


class GroupStillActive(RuntimeError):
    """The consumer group has members: the service still runs on some store."""


async def group_members(settings: ServiceSettings, group: str) -> int:
    """How many members ``group`` has now (0 for a group the broker does not know)."""
    admin = AIOKafkaAdminClient(**client_kwargs(settings.kafka_bootstrap, settings))
    await admin.start()
    try:
        described = await admin.describe_consumer_groups([group])
    finally:
        await admin.close()
    return sum(len(found[5]) for response in described for found in response.groups)


async def _members_after_a_while(settings: ServiceSettings, group: str) -> int:
    """The group's members once those of a service just stopped have had time to leave."""
    for _ in range(int(MEMBERS_LEAVE_SECONDS / MEMBERS_POLL_SECONDS)):
        if not await group_members(settings, group):
            return 0
        await asyncio.sleep(MEMBERS_POLL_SECONDS)
    return await group_members(settings, group)


async def hand_over(settings: ServiceSettings, service: str, positions: dict[tuple[str, int], int]) -> str:
    """Commit ``positions`` as ``service``'s group offsets; returns the group's id."""
    group = settings.consumer_group_prefix + service
    if members := await _members_after_a_while(settings, group):
        raise GroupStillActive(
            f"consumer group {group} has {members} member(s): stop {service} before handing it the "
            "rebuilt store's positions (the local broker keeps members that left until it restarts)"
        )
    committer = AIOKafkaConsumer(
        **client_kwargs(settings.kafka_bootstrap, settings), group_id=group, enable_auto_commit=False
    )
    await committer.start()
    try:
        offsets = {TopicPartition(t, p): OffsetAndMetadata(at, "") for (t, p), at in positions.items()}
        committer.assign(list(offsets))
        await committer.commit(offsets)
    finally:
        await committer.stop()
    return group
