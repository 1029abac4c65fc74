"""A relay batch the broker takes only in part, on the real broker and the case store's HTTP API.

The producer sends a partition's records in several request batches.  When the broker refuses
one of them (the local broker answered ``UnknownError`` right after a restart in the crash
harness) the producer still sends the next, so later records of the partition are on the log
while earlier ones are not, and the relay publishes the whole batch again after them.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import pytest
from aiokafka.errors import UnknownError

from services.case_store.app import create_app as create_case_store
from services.kit.relay import partition_for
from services.kit.settings import ServiceSettings
from services.referrals.app import build_runtime as build_referrals
from tests.integration.test_relay_and_timeline import _refer
from tests.support.apps import eventually, serving
from tests.support.tokens import bearer

pytestmark = pytest.mark.integration


def _cases_on_one_partition(prefix: str, partitions: int, count: int) -> list[str]:
    candidates = (f"{prefix}-{n}" for n in range(1000))
    return [case for case in candidates if partition_for(case.encode(), partitions) == 0][:count]


@pytest.mark.one_backend
async def test_events_the_broker_refused_while_it_took_later_ones_of_their_partition_still_reach_the_timeline(
    settings: ServiceSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = _cases_on_one_partition(f"G-{uuid.uuid4().hex[:6]}", settings.topic_partitions, 6)
    refused, taken = cases[:2], cases[2:]
    referrals = build_referrals(settings)
    for case in cases:
        _refer(referrals, case)
    send = referrals.relay._send
    refusals = set(refused)

    async def refusing_the_first_records(topic, partition, key, value, headers):
        if key.decode() in refusals:
            refusals.discard(key.decode())
            future = asyncio.get_running_loop().create_future()
            future.set_exception(UnknownError())  # not written; the later records of the partition are
            return future
        return await send(topic, partition, key, value, headers)

    monkeypatch.setattr(referrals.relay, "_send", refusing_the_first_records)
    headers = bearer("0380", ("auditor",))
    await referrals.ensure_topics()
    await referrals.broker.start()
    try:
        with contextlib.suppress(UnknownError):
            await referrals.relay.publish_pending()
        async with serving(create_case_store(settings)) as case_store:

            async def on_the_timeline(chosen: list[str]) -> bool:
                for case in chosen:
                    response = await case_store.get(f"/api/v1/cases/{case}/timeline", headers=headers)
                    if response.status_code != 200 or len(response.json()["items"]) != 1:
                        return False
                return True

            await eventually(lambda: on_the_timeline(taken), timeout=30, interval=0.3)

            async def published_again() -> bool:
                with contextlib.suppress(UnknownError):
                    await referrals.relay.publish_pending()
                return referrals.relay.position() == referrals.app.max_notification_id()

            await eventually(published_again, timeout=30)
            await eventually(lambda: on_the_timeline(refused), timeout=20, interval=0.3)
    finally:
        await referrals.broker.stop()
        referrals.app.close()
