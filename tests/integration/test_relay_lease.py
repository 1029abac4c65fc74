"""Replicas on one PostgreSQL store: exactly one relay publishes, and a killed leader's lease is
taken over within seconds with nothing lost or stuck."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from contracts.topics import REFERRALS
from tests.integration.test_scale_out import ready
from tests.support.apps import eventually
from tests.support.broker import LocalBroker, read_topic
from tests.support.events import valid_pin
from tests.support.ports import free_port
from tests.support.postgres import fresh_database
from tests.support.tokens import bearer

pytestmark = pytest.mark.integration
CASE_WORKER = bearer("0380", ("case_worker",))


def start_referrals(
    tmp_path: Path, name: str, bootstrap: str, database_url: str
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "NATVERK_KAFKA_BOOTSTRAP": bootstrap,
        "NATVERK_DATABASE_URL": database_url,
        "NATVERK_REFERRALS_PORT": str(port),
        "NATVERK_DATA_DIR": str(tmp_path / name),
        "NATVERK_CONSUMER_GROUP_PREFIX": f"lease-{name}-",
    }
    log = (tmp_path / f"{name}.log").open("ab")
    process = subprocess.Popen([sys.executable, "-m", "services.referrals"], env=env, stdout=log, stderr=log)
    return process, f"http://127.0.0.1:{port}"


async def leader_gauge(url: str) -> float | None:
    try:
        async with httpx.AsyncClient(timeout=2) as client:
            text = (await client.get(f"{url}/metrics")).text
    except httpx.HTTPError:
        return None
    values = [
        float(line.split()[-1]) for line in text.splitlines() if line.startswith("natverk_relay_leader ")
    ]
    return values[0] if values else None


async def create(url: str, case_id: str) -> str:
    body = {
        "case_id": case_id,
        "target": "network_centre",
        "child": {"pin": valid_pin(2), "protected_identity": False},
        "child_status": "placement_near",
        "case_worker_id": "cw-1",
        "reason": "lease test",
    }
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.post(f"{url}/api/v1/referrals", json=body, headers=CASE_WORKER)
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def published_ids(bootstrap: str) -> list[str]:
    records = await read_topic(bootstrap, REFERRALS)
    return [json.loads(r.value)["data"].get("referral_id") for r in records]


async def test_one_relay_leads_and_a_killed_leader_is_replaced_within_seconds_losing_nothing(
    tmp_path: Path, broker: LocalBroker, postgres_server: str
) -> None:
    database_url = fresh_database(postgres_server)
    replicas = {name: start_referrals(tmp_path, name, broker.bootstrap, database_url) for name in ("a", "b")}
    tag = uuid.uuid4().hex[:6]
    try:
        for _, url in replicas.values():
            await eventually(lambda url=url: ready(url), timeout=40)
        gauges = await eventually(lambda: _both_gauges(replicas), timeout=20)
        assert sorted(gauges.values()) == [0.0, 1.0]  # exactly one leads
        leader = next(name for name, value in gauges.items() if value == 1.0)
        survivor = "b" if leader == "a" else "a"
        created = [
            await create(replicas[name][1], f"0380-L{n}{name}-{tag}")
            for n in range(20)
            for name in ("a", "b")
        ]
        replicas[leader][0].send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        created += [await create(replicas[survivor][1], f"0380-M{n}-{tag}") for n in range(20)]
        await eventually(lambda: _is_leader(replicas[survivor][1]), timeout=15)
        took_over = time.monotonic() - killed_at
        await eventually(lambda: _all_published(broker.bootstrap, created), timeout=30)
    finally:
        for process, _ in replicas.values():
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=15)
    assert took_over < 10


async def _both_gauges(replicas: dict) -> dict[str, float] | None:
    gauges = {name: await leader_gauge(url) for name, (_, url) in replicas.items()}
    return gauges if None not in gauges.values() and sum(gauges.values()) == 1.0 else None


async def _is_leader(url: str) -> bool:
    return await leader_gauge(url) == 1.0


async def _all_published(bootstrap: str, created: list[str]) -> bool:
    await asyncio.sleep(0.2)
    return set(created) <= set(await published_ids(bootstrap))
