"""End to end: the stack as processes, only the public contract (Kafka + HTTP)."""

from __future__ import annotations

import uuid

import httpx
import pytest

from contracts.topics import PLACEMENTS
from services.stack import Stack
from tests.support.apps import eventually
from tests.support.broker import produce
from tests.support.events import encode, placement_started
from tests.support.tokens import bearer

pytestmark = pytest.mark.e2e


async def test_published_placement_yields_referral_and_timeline_with_both_entries(stack: Stack) -> None:
    case_id = f"0380-{uuid.uuid4().hex[:8]}"
    await produce(
        stack.settings.kafka_bootstrap,
        PLACEMENTS,
        [encode(placement_started(case_id, f"P-{case_id}"))],
        key=case_id.encode(),
    )
    reader = bearer("0380", ("coordinator",))

    async with httpx.AsyncClient(timeout=5) as client:

        async def timeline_types() -> set[str]:
            response = await client.get(
                f"{stack.url('case_store')}/api/v1/cases/{case_id}/timeline", headers=reader
            )
            if response.status_code != 200:
                return set()
            types = {entry["event_type"] for entry in response.json()["items"]}
            return types if {"se.placement.started.v1", "se.natverk.referral.received.v1"} <= types else set()

        await eventually(timeline_types, timeout=10)
        referrals = await client.get(
            f"{stack.url('referrals')}/api/v1/referrals", params={"case_id": case_id}, headers=reader
        )
    assert referrals.status_code == 200
    assert [r["origin"] for r in referrals.json()["items"]] == ["placement"]


async def test_another_municipality_sees_only_its_own_case_of_that_id_and_the_owners_log_is_untouched(
    stack: Stack,
) -> None:
    """Case identity is (municipality, case id) (ADR 0016): Västerås asking for an id Uppsala uses
    asks about Västerås's own case of that id, which does not exist; Uppsala's log is untouched."""
    case_id = f"0380-{uuid.uuid4().hex[:8]}"
    await produce(
        stack.settings.kafka_bootstrap,
        PLACEMENTS,
        [encode(placement_started(case_id, f"P-{case_id}"))],
        key=case_id.encode(),
    )
    timeline_url = f"{stack.url('case_store')}/api/v1/cases/{case_id}/timeline"
    access_log_url = f"{stack.url('case_store')}/api/v1/cases/{case_id}/access-log"
    async with httpx.AsyncClient(timeout=5) as client:

        async def visible_to_owner() -> bool:
            response = await client.get(timeline_url, headers=bearer("0380", ("case_worker",)))
            return response.status_code == 200

        await eventually(visible_to_owner, timeout=10)
        refused = await client.get(
            timeline_url, headers=bearer("1980", ("case_worker",), subject="vasteras-7")
        )
        uppsala_log = await client.get(access_log_url, headers=bearer("0380", ("auditor",)))
    assert refused.status_code == 404
    assert "items" not in refused.text
    assert uppsala_log.status_code == 200
    assert "vasteras-7" not in uppsala_log.text
