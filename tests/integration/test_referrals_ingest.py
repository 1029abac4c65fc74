"""Inbound placement events → referrals, on the real broker and both store backends."""

from __future__ import annotations

import uuid

import pytest

from contracts.topics import PLACEMENTS, PLACEMENTS_DLQ
from services.kit.settings import ServiceSettings
from services.referrals.app import create_app
from tests.support.apps import eventually, serving
from tests.support.broker import produce, read_topic
from tests.support.events import encode, placement_started
from tests.support.tokens import bearer

pytestmark = [pytest.mark.integration, pytest.mark.one_backend]
READER = bearer("0380", ("coordinator",))


async def _referrals_for(client, case_id: str) -> list[dict]:
    response = await client.get("/api/v1/referrals", params={"case_id": case_id}, headers=READER)
    assert response.status_code == 200, response.text
    return response.json()["items"]


@pytest.mark.parametrize("deliveries", [1, 2, 50])
async def test_placement_delivered_repeatedly_creates_exactly_one_referral(
    settings: ServiceSettings, deliveries: int
) -> None:
    case_id = f"C-{uuid.uuid4().hex[:8]}"
    event = placement_started(case_id, f"P-{case_id}")
    marker = placement_started(f"{case_id}-m", f"P-{case_id}-m")  # delivered after the repeats
    async with serving(create_app(settings)) as client:
        await produce(settings.kafka_bootstrap, PLACEMENTS, [encode(event)] * deliveries + [encode(marker)])
        await eventually(lambda: _referrals_for(client, f"{case_id}-m"))
        referrals = await _referrals_for(client, case_id)
    assert len(referrals) == 1
    assert referrals[0]["origin"] == "placement"
    assert referrals[0]["target"] == "network_centre"


async def test_poison_record_is_dead_lettered_unchanged_and_neighbours_are_processed(
    settings: ServiceSettings,
) -> None:
    case_id = f"C-{uuid.uuid4().hex[:8]}"
    poison = b'{"specversion": "1.0", not json at all ' + case_id.encode()
    before, after = (
        placement_started(f"{case_id}-a", "P-a" + case_id),
        placement_started(f"{case_id}-b", "P-b" + case_id),
    )
    async with serving(create_app(settings)) as client:
        await produce(
            settings.kafka_bootstrap,
            PLACEMENTS,
            [encode(before), poison, encode(after)],
            key=case_id.encode(),
        )
        await eventually(lambda: _referrals_for(client, f"{case_id}-b"))
        assert await _referrals_for(client, f"{case_id}-a")
    dead = [r for r in await read_topic(settings.kafka_bootstrap, PLACEMENTS_DLQ) if r.value == poison]
    assert len(dead) == 1
    headers = {k: v.decode() for k, v in dead[0].headers}
    assert headers["error"].startswith("not valid JSON")
    assert dead[0].key == case_id.encode()
