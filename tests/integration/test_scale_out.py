"""Two case_store replicas in one consumer group on one PostgreSQL store; one is killed mid-stream.

Nothing may be lost (every case has its timeline) and nothing doubled (one entry each).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from contracts.topics import PLACEMENTS
from tests.support.apps import eventually
from tests.support.broker import LocalBroker, produce
from tests.support.events import encode, placement_started
from tests.support.ports import free_port
from tests.support.postgres import fresh_database
from tests.support.tokens import bearer

pytestmark = pytest.mark.integration
CASES = 120
AUDITOR = bearer("0380", ("auditor",))


def start_replica(
    tmp_path: Path, name: str, bootstrap: str, database_url: str, group: str
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "NATVERK_KAFKA_BOOTSTRAP": bootstrap,
        "NATVERK_DATABASE_URL": database_url,
        "NATVERK_CASE_STORE_PORT": str(port),
        "NATVERK_DATA_DIR": str(tmp_path / name),
        "NATVERK_CONSUMER_GROUP_PREFIX": group,
    }
    log = (tmp_path / f"{name}.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "services.case_store"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    return process, f"http://127.0.0.1:{port}"


async def ready(url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=1) as client:
            return (await client.get(f"{url}/readyz")).status_code == 200
    except httpx.HTTPError:
        return False


async def processed(url: str) -> float:
    async with httpx.AsyncClient(timeout=2) as client:
        text = (await client.get(f"{url}/metrics")).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("natverk_consumer_records_total{") and 'outcome="processed"' in line
    )


async def test_a_replica_killed_mid_stream_loses_and_doubles_nothing(
    tmp_path: Path, broker: LocalBroker, postgres_server: str
) -> None:
    database_url = fresh_database(postgres_server)
    group = f"scale-{uuid.uuid4().hex[:6]}-"
    tag = uuid.uuid4().hex[:6]
    first, first_url = start_replica(tmp_path, "a", broker.bootstrap, database_url, group)
    second, second_url = start_replica(tmp_path, "b", broker.bootstrap, database_url, group)
    try:
        for name, url in (("a", first_url), ("b", second_url)):
            try:
                await eventually(lambda url=url: ready(url), timeout=30)
            except AssertionError as not_ready:
                log_tail = (tmp_path / f"{name}.log").read_text(errors="replace")[-3000:]
                raise AssertionError(
                    f"replica {name} never became ready; its log ends:\n{log_tail}"
                ) from not_ready
        cases = [f"0380-K{n}-{tag}" for n in range(CASES)]
        for batch_start in range(0, CASES, 10):
            batch = cases[batch_start : batch_start + 10]
            for case_id in batch:
                await produce(
                    broker.bootstrap,
                    PLACEMENTS,
                    [encode(placement_started(case_id, f"P-{case_id}"))],
                    key=case_id.encode(),
                )
            if batch_start == CASES // 2:
                # both replicas hold partitions and the first has done part of the work
                await eventually(lambda: processed(first_url), timeout=30)
                await eventually(lambda: processed(second_url), timeout=30)
                first.send_signal(signal.SIGKILL)  # mid-stream, no goodbye to the group
            await asyncio.sleep(0.05)

        async with httpx.AsyncClient(timeout=5) as client:

            async def entries_per_case() -> dict[str, int] | None:
                counts = {}
                for case_id in cases:
                    response = await client.get(
                        f"{second_url}/api/v1/cases/{case_id}/timeline", headers=AUDITOR
                    )
                    if response.status_code != 200:
                        return None
                    counts[case_id] = len(response.json()["items"])
                return counts

            counts = await eventually(entries_per_case, timeout=60, interval=1.0)
            verified = await client.get(
                f"{second_url}/api/v1/audit/verify", params={"limit": 200}, headers=bearer("0380", ("ops",))
            )
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=15)
    assert first.returncode == -signal.SIGKILL
    assert set(counts.values()) == {1}, {c: n for c, n in counts.items() if n != 1}
    assert verified.json()["problems"] == [] and verified.json()["chains_checked"] >= CASES  # one page
