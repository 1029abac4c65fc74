"""Readers of the same case at the same moment each get their answer, and the case's chain stays whole.

Two replicas of a service on one real store (SQLite and PostgreSQL): each access record takes the
next position of its case's chain, and a record whose position another reader took meanwhile is
written again at the next one, never answered with 409 or 500 (ADR 0020).
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from services.kit.cases import CaseRef
from services.kit.domain.case_access import ChainHead
from services.kit.settings import ServiceSettings
from tests.conftest import make_settings
from tests.support.access_reads import CASE_WORKER, case_read, chain_report, positions, read, refer, replica
from tests.support.tokens import bearer

CLEAN = {"chains_checked": 1, "unchained_records": 0, "broken": []}
COORDINATOR = bearer("0380", ("coordinator",))


@pytest.fixture
def store_settings(tmp_path: Path, database_url: str | None) -> ServiceSettings:
    return make_settings(tmp_path / "data", database_url=database_url)


async def test_concurrent_reads_and_commands_of_one_case_on_two_replicas_all_succeed_in_one_unbroken_chain(
    store_settings: ServiceSettings,
) -> None:
    async with replica(store_settings) as first, replica(store_settings) as second:
        declined = [await _declined(first, "0380-R") for _ in range(4)]  # 8 records
        referral_id = await refer(first, "0380-R")
        reads = [read(client, referral_id) for client in (first, second) * 8]
        closes = [_close(client, made) for client, made in zip((first, second) * 2, declined, strict=True)]
        answers = await asyncio.gather(*reads, *closes, return_exceptions=True)
        assert [getattr(a, "status_code", a) for a in answers] == [200] * len(answers)
        stored = positions(first.store, "0380-R")  # type: ignore[attr-defined]
        assert sorted(stored) == list(range(1, 1 + 8 + 1 + len(reads) + len(closes)))
        assert await chain_report(first) == CLEAN
        assert await chain_report(second) == CLEAN


async def _declined(client: Any, case_id: str) -> str:
    """A referral of ``case_id``, declined at once (two access records): the case is free again."""
    made = await refer(client, case_id)
    answer = await client.post(f"/api/v1/referrals/{made}/decline", json={"reason": "r"}, headers=COORDINATOR)
    assert answer.status_code == 200, answer.text
    return made


async def _close(client: Any, referral_id: str) -> Any:
    return await client.post(f"/api/v1/referrals/{referral_id}/close", headers=COORDINATOR)


def _racing(client: Any, rival: Any) -> list[CaseRef]:
    """Make ``client``'s next head lookup stale: the rival replica records a read of that case first."""
    chains = client.store.access_chains
    original = chains._head
    raced: list[CaseRef] = []

    def stale_head(case: CaseRef) -> ChainHead:
        head = original(case)
        if not raced:
            raced.append(case)
            rival.store.record_access(case.case_id, "rival", "0380", "GET x", "case work", "granted", "0380")
        return head

    chains._head = stale_head
    return raced


async def test_a_read_whose_chain_position_was_taken_meanwhile_is_recorded_at_the_next(
    store_settings: ServiceSettings,
) -> None:
    async with replica(store_settings) as first, replica(store_settings) as second:
        referral_id = await case_read(first, "0380-S", reads=1)
        raced = _racing(first, second)
        assert (await read(first, referral_id)).status_code == 200
        assert raced == [CaseRef("0380", "0380-S")]
        assert positions(first.store, "0380-S") == [1, 2, 3, 4]  # type: ignore[attr-defined]
        assert await chain_report(first) == CLEAN


async def test_a_command_whose_chain_position_was_taken_meanwhile_runs_again_and_stores_once(
    store_settings: ServiceSettings,
) -> None:
    async with replica(store_settings) as first, replica(store_settings) as second:
        await case_read(first, "0380-T", reads=1)
        raced = _racing(first, second)
        await refer(first, "0380-T", "safety_team")  # 201, not 409: the unit of work ran again on fresh data
        assert raced == [CaseRef("0380", "0380-T")]
        assert positions(first.store, "0380-T") == [1, 2, 3, 4]  # type: ignore[attr-defined]
        listed = await first.get("/api/v1/referrals", params={"case_id": "0380-T"}, headers=CASE_WORKER)
        assert len(listed.json()["items"]) == 2  # the retried command created one referral, not two
        assert await chain_report(first) == CLEAN
