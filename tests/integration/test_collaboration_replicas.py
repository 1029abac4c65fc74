"""Two collaboration replicas on one PostgreSQL store: a case worker's matching request for a case
reaches both at the same moment (one to Västerås, one to Västerås and Gävle).  Each case ends
with exactly one open request, whichever came first: one open request per case and partner,
across replicas."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from tests.integration.test_scale_out import ready
from tests.support.apps import eventually
from tests.support.broker import LocalBroker
from tests.support.clock import day_from_today
from tests.support.ports import free_port
from tests.support.postgres import fresh_database
from tests.support.tokens import bearer

pytestmark = pytest.mark.integration
CASES = 20
EACH = 4  # requests per case on each replica
CASE_WORKER = bearer("0380", ("case_worker",), subject="cw-1")


def start_replica(tmp_path: Path, name: str, bootstrap: str, database_url: str, group: str):
    port = free_port()
    env = {
        **os.environ,
        "NATVERK_KAFKA_BOOTSTRAP": bootstrap,
        "NATVERK_DATABASE_URL": database_url,
        "NATVERK_COLLABORATION_PORT": str(port),
        "NATVERK_DATA_DIR": str(tmp_path / name),
        "NATVERK_CONSUMER_GROUP_PREFIX": group,
    }
    log = (tmp_path / f"{name}.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "services.collaboration"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    return process, f"http://127.0.0.1:{port}"


def new_request(case_id: str, partners: list[str]) -> dict:
    return {
        "case_id": case_id,
        "partners": partners,
        "age_band": "6-12",
        "placement_type": "familjehem",
        "needs": [],
        "from_date": day_from_today(),
        "protected_identity": False,
    }


async def open_requests_by_case(url: str) -> dict[str, int]:
    found: dict[str, int] = {}
    cursor = None
    async with httpx.AsyncClient(timeout=5) as client:
        while True:
            params = {"limit": 200, **({"cursor": cursor} if cursor else {})}
            page = (
                await client.get(f"{url}/api/v1/matching-requests", params=params, headers=CASE_WORKER)
            ).json()
            for request in page["items"]:
                if request["status"] == "open":
                    found[request["case_id"]] = found.get(request["case_id"], 0) + 1
            if (cursor := page["next_cursor"]) is None:
                return found


async def test_one_case_asked_for_on_two_replicas_at_once_gets_one_open_request(
    tmp_path: Path, broker: LocalBroker, postgres_server: str
) -> None:
    database_url = fresh_database(postgres_server)
    group = f"collab-{uuid.uuid4().hex[:6]}-"
    replicas = [start_replica(tmp_path, name, broker.bootstrap, database_url, group) for name in "ab"]
    cases = [f"0380-RACE{n}-{group}" for n in range(CASES)]
    try:
        for _, url in replicas:
            await eventually(lambda url=url: ready(url), timeout=30)
        # Every request at once, each on a connection of its own: on a busy machine a pool of 100
        # with a 10 s wait timed out (CI) before the replicas answered.
        limits = httpx.Limits(max_connections=len(cases) * EACH * len(replicas))
        async with httpx.AsyncClient(timeout=60, limits=limits) as client:
            posts = [
                client.post(
                    f"{url}/api/v1/matching-requests",
                    json=new_request(case_id, partners),
                    headers=CASE_WORKER,
                )
                for case_id in cases
                for _ in range(EACH)
                for (_, url), partners in zip(replicas, (["1980"], ["1980", "2180"]), strict=True)
            ]
            answers = await asyncio.gather(*posts)
        assert {a.status_code for a in answers} <= {201, 409}, [
            a.text for a in answers if a.status_code >= 500
        ]
        found = await open_requests_by_case(replicas[0][1])
    finally:
        for process, _ in replicas:
            process.terminate()
            process.wait(timeout=15)
    assert {case_id: found.get(case_id, 0) for case_id in cases if found.get(case_id, 0) != 1} == {}
