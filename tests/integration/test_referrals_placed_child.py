"""Placements on the real broker: no auto-referral where there is no Network Centre, and no second
referral of a child whose case has an open one (that referral records the placement, published)."""

from __future__ import annotations

import json
import uuid

import pytest

from contracts.topics import PLACEMENTS, REFERRALS
from services.kit.settings import ServiceSettings
from services.referrals.app import create_app
from tests.support.apps import eventually, serving
from tests.support.broker import produce, read_topic
from tests.support.events import encode, placement_started
from tests.support.tokens import bearer

pytestmark = [pytest.mark.integration, pytest.mark.one_backend]
CHILD_PLACED = "se.natverk.referral.child_placed.v1"


async def _referrals_for(client, case_id: str, municipality: str = "0380") -> list[dict]:
    reader = bearer(municipality, ("coordinator",))
    response = await client.get("/api/v1/referrals", params={"case_id": case_id}, headers=reader)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_a_placement_in_a_municipality_without_a_network_centre_creates_no_referral(
    settings: ServiceSettings,
) -> None:
    case_id = f"C-{uuid.uuid4().hex[:8]}"
    elsewhere = placement_started(case_id, f"P-{case_id}", municipality="1980")
    marker = placement_started(f"{case_id}-m", f"P-{case_id}-m")  # same key: handled after it
    async with serving(create_app(settings)) as client:
        await produce(settings.kafka_bootstrap, PLACEMENTS, [encode(elsewhere), encode(marker)], key=b"k")
        await eventually(lambda: _referrals_for(client, f"{case_id}-m"))
        assert await _referrals_for(client, case_id, "1980") == []
    published = await read_topic(settings.kafka_bootstrap, REFERRALS)
    assert not [r for r in published if case_id.encode() == r.key]


async def test_a_second_placement_of_a_child_is_published_on_the_open_referral_once(
    settings: ServiceSettings,
) -> None:
    case_id = f"C-{uuid.uuid4().hex[:8]}"
    jourhem = placement_started(case_id, f"P1-{case_id}", placement_type="jourhem")
    familjehem = placement_started(case_id, f"P2-{case_id}", placement_type="familjehem")
    async with serving(create_app(settings)) as client:
        records = [encode(jourhem), encode(familjehem), encode(familjehem)]
        await produce(settings.kafka_bootstrap, PLACEMENTS, records, key=case_id.encode())

        async def child_placed() -> list[dict]:
            found = await read_topic(settings.kafka_bootstrap, REFERRALS)
            events = [json.loads(r.value) for r in found if r.key == case_id.encode()]
            # The relay publishes at least once: a repeat carries the same id, and consumers drop it.
            return list({e["id"]: e for e in events if e["type"] == CHILD_PLACED}.values())

        [placed] = await eventually(child_placed)
        [only] = await _referrals_for(client, case_id)
    assert placed["data"] == {
        "referral_id": only["id"],
        "case_id": case_id,
        "municipality": "0380",
        "target": "network_centre",
        "placement_id": f"P2-{case_id}",
        "protected_identity": False,
    }
    assert only["placement_id"] == f"P1-{case_id}"
