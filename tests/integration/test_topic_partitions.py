"""Topics whose partition count is not the configured one: the relay and the consumers cope.

The relay keeps every case on the partition its key hashes to over the configured count.

Consumers track progress per source partition; that is only sound while a
case never moves.  A topic grown beyond the configured count (by an operator,
or re-created by some client with another count after a local-broker restart)
must not move cases.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from structlog.testing import capture_logs

from contracts.topics import ALL_TOPICS, PLACEMENTS, REFERRALS
from services.kit.auth import Caller
from services.kit.relay import partition_for
from services.kit.settings import ServiceSettings
from services.kit.topics import ensure_topics
from services.referrals.app import build_runtime as build_referrals
from services.referrals.commands import NewReferral
from tests.support.apps import eventually
from tests.support.broker import LocalBroker, produce, read_topic
from tests.support.events import encode, placement_started, valid_pin
from tests.support.ports import free_port
from tests.support.tokens import bearer

pytestmark = pytest.mark.integration
CASES = 40


async def _create_topic(bootstrap: str, topic: str, partitions: int) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, partitions, 1)])
    finally:
        await admin.close()


def _refer(runtime, case_id: str) -> None:
    runtime.app.create_referral(
        Caller("cw-1", "0380", frozenset({"case_worker"})),
        NewReferral(
            case_id=case_id,
            target="safety_team",
            child={"pin": valid_pin(5), "protected_identity": False},
            child_status="placement_near",
            case_worker_id="cw-1",
            reason="concern",
        ),
    )


@pytest.mark.parametrize("database_url", [None], ids=["sqlite"])
async def test_a_topic_with_more_partitions_than_configured_does_not_move_any_case(
    settings: ServiceSettings,
) -> None:
    assert settings.topic_partitions == 4
    await _create_topic(settings.kafka_bootstrap, REFERRALS, 6)  # as an operator might have grown it
    prefix = f"P-{uuid.uuid4().hex[:6]}"
    referrals = build_referrals(settings)
    for n in range(CASES):
        _refer(referrals, f"{prefix}-{n}")
    await referrals.start()
    try:
        await eventually(
            lambda: referrals.relay.position() == referrals.app.max_notification_id(), timeout=20
        )
    finally:
        await referrals.stop()

    # The topic is new and holds one record per referral: read until all have arrived.
    records = await read_topic(settings.kafka_bootstrap, REFERRALS, expect=CASES, timeout=20)
    placed = {(json.loads(r.value)["subject"], r.partition) for r in records}
    ours = {(case, partition) for case, partition in placed if case.startswith(prefix)}
    assert len({case for case, _ in ours}) == CASES
    assert all(partition == partition_for(case.encode(), 4) for case, partition in ours), sorted(ours)
    assert {partition for _, partition in ours} == {0, 1, 2, 3}  # and none in the extra partitions


@pytest.mark.parametrize("database_url", [None], ids=["sqlite"])
async def test_a_topic_with_fewer_partitions_than_configured_stops_the_relay_with_a_clear_error(
    settings: ServiceSettings,
) -> None:
    await _create_topic(settings.kafka_bootstrap, REFERRALS, 1)
    referrals = build_referrals(settings)
    for n in range(CASES):
        _refer(referrals, f"F-{n}")
    with capture_logs() as logged:
        await referrals.start()
        try:
            await eventually(lambda: referrals.relay.healthy is False, timeout=20)
            assert referrals.relay.position() == 0  # nothing recorded as published
            assert (await referrals.readiness())[0]["relay"] is False
        finally:
            await referrals.stop()
    failures = [entry["error"] for entry in logged if entry["event"] == "relay batch failed, will retry"]
    assert failures and "has no partition" in failures[0] and "NATVERK_TOPIC_PARTITIONS=4" in failures[0], (
        failures
    )


async def test_a_consumer_whose_view_went_stale_finds_a_partition_the_topic_gained_within_seconds(
    tmp_path: Path, broker: LocalBroker
) -> None:
    """A replica paused across a broker restart rejoins with its old view of the topic (four
    partitions) while the topic came back with six; it must refresh that view in seconds."""
    port = free_port()
    env = {
        **os.environ,
        "NATVERK_KAFKA_BOOTSTRAP": broker.bootstrap,
        "NATVERK_CASE_STORE_PORT": str(port),
        "NATVERK_DATA_DIR": str(tmp_path / "data"),
        "NATVERK_CONSUMER_GROUP_PREFIX": f"g{uuid.uuid4().hex[:6]}-",
    }
    url = f"http://127.0.0.1:{port}"
    case_store = subprocess.Popen(  # noqa: ASYNC220 - started once, waited for by polling
        [sys.executable, "-m", "services.case_store"],
        env=env,
        stdout=(tmp_path / "case_store.log").open("ab"),
        stderr=subprocess.STDOUT,
    )
    headers = bearer("0380", ("auditor",))

    async def has_timeline(case_id: str) -> bool:
        try:
            async with httpx.AsyncClient(timeout=2) as client:
                return (
                    await client.get(f"{url}/api/v1/cases/{case_id}/timeline", headers=headers)
                ).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        early = f"0380-E-{uuid.uuid4().hex[:6]}"
        await produce(
            broker.bootstrap, PLACEMENTS, [encode(placement_started(early, f"P-{early}"))], key=early.encode()
        )
        await eventually(lambda: has_timeline(early), timeout=40)
        case_store.send_signal(signal.SIGSTOP)
        broker.restart()
        await _create_topic(broker.bootstrap, PLACEMENTS, 6)  # grown while the replica was away
        await ensure_topics(broker.bootstrap, ALL_TOPICS, 4)
        late = next(
            f"0380-L{n}-{early}" for n in range(100) if partition_for(f"0380-L{n}-{early}".encode(), 6) == 5
        )
        await produce(
            broker.bootstrap, PLACEMENTS, [encode(placement_started(late, f"P-{late}"))], key=late.encode()
        )
        case_store.send_signal(signal.SIGCONT)
        await eventually(lambda: has_timeline(late), timeout=60, interval=0.5)
    finally:
        case_store.send_signal(signal.SIGCONT)
        case_store.terminate()
        case_store.wait(timeout=15)
