"""Two scheduling replicas on one PostgreSQL store convene a burst of staff meetings at once:
nobody on the roster is in two meetings at the same time (ADR 0021)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections import defaultdict
from datetime import datetime
from itertools import combinations
from pathlib import Path

import httpx
import pytest

from contracts.topics import REFERRALS
from services.scheduling.domain.busy_times import overlaps
from tests.integration.test_scale_out import processed, ready
from tests.support.apps import eventually
from tests.support.broker import LocalBroker, produce_records
from tests.support.ports import free_port
from tests.support.postgres import fresh_database
from tests.support.referral_records import referral_received
from tests.support.tokens import bearer

pytestmark = pytest.mark.integration
REFERRALS_IN_BURST = 120
COORDINATOR = bearer("0380", ("coordinator",))


def start_replica(tmp_path: Path, name: str, bootstrap: str, database_url: str, group: str):
    port = free_port()
    env = {
        **os.environ,
        "NATVERK_KAFKA_BOOTSTRAP": bootstrap,
        "NATVERK_DATABASE_URL": database_url,
        "NATVERK_SCHEDULING_PORT": str(port),
        "NATVERK_DATA_DIR": str(tmp_path / name),
        "NATVERK_CONSUMER_GROUP_PREFIX": group,
    }
    log = (tmp_path / f"{name}.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "services.scheduling"], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    return process, f"http://127.0.0.1:{port}"


async def calendars(url: str) -> dict[str, list[dict]] | None:
    """Every rostered person's open meetings, as one replica lists them."""
    async with httpx.AsyncClient(timeout=5) as client:
        roster = (await client.get(f"{url}/api/v1/staff", params={"limit": 200}, headers=COORDINATOR)).json()
        found = {}
        for member in roster["items"]:
            staff_id = member["staff_id"]
            page = await client.get(
                f"{url}/api/v1/staff/{staff_id}/calendar", params={"limit": 200}, headers=COORDINATOR
            )
            found[staff_id] = [m for m in page.json()["items"] if m["status"] in ("booked", "rescheduled")]
    return found


def double_bookings(by_person: dict[str, list[dict]]) -> list[tuple[str, str, str]]:
    times = defaultdict(list)
    for person, meetings in by_person.items():
        for m in meetings:
            times[person].append((datetime.fromisoformat(m["start"]), datetime.fromisoformat(m["end"])))
    return [
        (p, str(a), str(b)) for p, ts in times.items() for a, b in combinations(ts, 2) if overlaps(*a, *b)
    ]


async def test_two_replicas_convening_a_burst_of_referrals_book_nobody_twice_at_once(
    tmp_path: Path, broker: LocalBroker, postgres_server: str
) -> None:
    database_url = fresh_database(postgres_server)
    group = f"sched-{uuid.uuid4().hex[:6]}-"
    replicas = [start_replica(tmp_path, name, broker.bootstrap, database_url, group) for name in "ab"]
    try:
        for _, url in replicas:
            await eventually(lambda url=url: ready(url), timeout=30)
        burst = []
        for n in range(1, REFERRALS_IN_BURST + 1):
            case_id, referral_id = f"0380-R{n}-{group}", str(uuid.uuid4())
            burst.append((REFERRALS, case_id.encode(), referral_received(case_id, referral_id, n)))
        await produce_records(broker.bootstrap, burst)

        async def all_convened() -> dict[str, list[dict]] | None:
            found = await calendars(replicas[1][1])
            coordinators = [m for s, ms in found.items() if "coordinator" in s for m in ms]
            return found if len(coordinators) == REFERRALS_IN_BURST else None

        by_person = await eventually(all_convened, timeout=90, interval=1.0)
        both_worked = [await processed(url) for _, url in replicas]
    finally:
        for process, _ in replicas:
            process.terminate()
            process.wait(timeout=15)
    assert all(count > 0 for count in both_worked), both_worked
    assert double_bookings(by_person) == []
