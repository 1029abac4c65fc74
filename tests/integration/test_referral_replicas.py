"""Two referrals replicas on one PostgreSQL store: case workers open Network Centre referrals over
HTTP on both while the children's placements arrive on ``ext.placements.v1`` at the same moment.
Each case ends with exactly one open Network Centre referral, whichever came first: the automatic
one, or the manual one recording the placement (issue 16's rule, across replicas)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from contracts.topics import PLACEMENTS
from tests.integration.test_scale_out import processed, ready
from tests.support.apps import eventually
from tests.support.broker import LocalBroker, produce_records
from tests.support.events import encode, placement_started, valid_pin
from tests.support.ports import free_port
from tests.support.postgres import fresh_database
from tests.support.tokens import bearer

pytestmark = pytest.mark.integration
CASES = 40
CASE_WORKER = bearer("0380", ("case_worker",), subject="cw-1")
COORDINATOR = bearer("0380", ("coordinator",))


def start_replica(tmp_path: Path, name: str, bootstrap: str, database_url: str, group: str):
    port = free_port()
    env = {
        **os.environ,
        "NATVERK_KAFKA_BOOTSTRAP": bootstrap,
        "NATVERK_DATABASE_URL": database_url,
        "NATVERK_REFERRALS_PORT": str(port),
        "NATVERK_DATA_DIR": str(tmp_path / name),
        "NATVERK_CONSUMER_GROUP_PREFIX": group,
    }
    log = (tmp_path / f"{name}.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "services.referrals"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    return process, f"http://127.0.0.1:{port}"


def manual_referral(case_id: str, n: int) -> dict:
    return {
        "case_id": case_id,
        "target": "network_centre",
        "child": {"pin": valid_pin(n), "protected_identity": False},
        "child_status": "placement_near",
        "case_worker_id": "cw-1",
        "reason": "network strengthening",
    }


async def open_network_centre_referrals(url: str, case_id: str) -> list[dict]:
    async with httpx.AsyncClient(timeout=5) as client:
        page = await client.get(f"{url}/api/v1/referrals", params={"case_id": case_id}, headers=COORDINATOR)
    return [
        r
        for r in page.json()["items"]
        if r["target"] == "network_centre" and r["status"] in ("received", "accepted")
    ]


async def test_manual_and_automatic_referrals_racing_on_two_replicas_leave_one_open_per_case(
    tmp_path: Path, broker: LocalBroker, postgres_server: str
) -> None:
    database_url = fresh_database(postgres_server)
    group = f"refs-{uuid.uuid4().hex[:6]}-"
    replicas = [start_replica(tmp_path, name, broker.bootstrap, database_url, group) for name in "ab"]
    cases = [f"0380-RACE{n}-{group}" for n in range(CASES)]
    try:
        for _, url in replicas:
            await eventually(lambda url=url: ready(url), timeout=30)
        placements = [
            (
                PLACEMENTS,
                case_id.encode(),
                encode(placement_started(case_id, f"P-{case_id}", pin=valid_pin(n))),
            )
            for n, case_id in enumerate(cases)
        ]
        async with httpx.AsyncClient(timeout=60) as client:  # a busy machine answers 40 at once slowly
            posts = [
                client.post(
                    f"{replicas[n % 2][1]}/api/v1/referrals", json=manual_referral(c, n), headers=CASE_WORKER
                )
                for n, c in enumerate(cases)
            ]
            answers, _ = await asyncio.gather(
                asyncio.gather(*posts), produce_records(broker.bootstrap, placements)
            )
        assert {a.status_code for a in answers} <= {201, 409}, [
            a.text for a in answers if a.status_code >= 500
        ]

        async def every_placement_processed() -> bool:  # applied, none dead-lettered
            return sum([await processed(url) for _, url in replicas]) >= CASES

        await eventually(every_placement_processed, timeout=60, interval=0.5)
        found = {c: await open_network_centre_referrals(replicas[0][1], c) for c in cases}
    finally:
        for process, _ in replicas:
            process.terminate()
            process.wait(timeout=15)
    assert {c: len(open_ones) for c, open_ones in found.items() if len(open_ones) != 1} == {}
