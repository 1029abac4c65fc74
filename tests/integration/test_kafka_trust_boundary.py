"""The Kafka trust boundary through real records: no record poses as a relay, swallows a repeat's
identity, or publishes for another municipality (services/kit/trust.py, ADR 0017)."""

from __future__ import annotations

import json
import uuid

import pytest

from contracts.topics import PLACEMENTS, PLACEMENTS_DLQ, REFERRALS
from services.collaboration.app import create_app as create_collaboration
from services.kit.settings import ServiceSettings
from services.network_support.app import create_app as create_network_support
from services.referrals.app import create_app as create_referrals
from tests.integration.test_collaboration_partner_topics import register
from tests.support.apps import eventually, serving
from tests.support.broker import produce, read_topic
from tests.support.events import cloud_event, encode, placement_ended, placement_started
from tests.support.tokens import bearer

pytestmark = [pytest.mark.integration, pytest.mark.one_backend]
READER = bearer("0380", ("coordinator",))


def _accepted_referral(case_id: str, sequence: int) -> dict:
    data = {
        "referral_id": str(uuid.uuid4()),
        "case_id": case_id,
        "municipality": "0380",
        "target": "safety_team",
    }
    return cloud_event(
        "se.natverk.referral.accepted.v1", data, source="/natverk/referrals", sequence=str(sequence)
    )


async def test_a_placement_posing_as_a_relay_cannot_make_consumers_drop_that_relays_events(
    settings: ServiceSettings,
) -> None:
    case_id = f"0380-T-{uuid.uuid4().hex[:6]}"
    impostor = placement_started(f"{case_id}-x", f"P-{case_id}")
    impostor.update(source="/natverk/referrals", sequence=str(2**39), epoch="5")
    async with serving(create_network_support(settings)) as client:
        await produce(settings.kafka_bootstrap, PLACEMENTS, [encode(impostor)])
        await produce(settings.kafka_bootstrap, REFERRALS, [encode(_accepted_referral(case_id, 1))])

        async def plan_opened() -> bool:
            response = await client.get(f"/api/v1/cases/{case_id}/safety-plan", headers=READER)
            return response.status_code == 200

        assert await eventually(plan_opened, timeout=20)


async def test_a_source_publishing_for_another_municipality_is_dead_lettered_with_its_reason(
    settings: ServiceSettings,
) -> None:
    case_id = f"0380-T-{uuid.uuid4().hex[:6]}"
    foreign = placement_started(case_id, f"P-{case_id}")
    foreign["source"] = "urn:se:kommun:1980:case-system"  # Västerås's system, about an Uppsala case
    async with serving(create_referrals(settings)):
        await produce(settings.kafka_bootstrap, PLACEMENTS, [encode(foreign)])
        dead = await eventually(lambda: read_topic(settings.kafka_bootstrap, PLACEMENTS_DLQ), timeout=20)
    headers = {k: v.decode() for k, v in dead[0].headers}
    assert json.loads(dead[0].value)["id"] == foreign["id"]  # unchanged
    assert headers["error"].startswith("source is not bound to municipality 0380")


async def test_a_replayed_placement_start_after_its_end_does_not_occupy_the_home_again(
    settings: ServiceSettings,
) -> None:
    tag = uuid.uuid4().hex[:6]
    case_id, register_id = f"0380-R-{tag}", f"UPP-FH-{tag}"
    started = placement_started(case_id, f"P-{tag}", placement_type="familjehem", family_home_id=register_id)
    ended = placement_ended(case_id, f"P-{tag}", placement_type="familjehem", family_home_id=register_id)
    consultant = bearer("0380", ("family_home_consultant",))
    async with serving(create_collaboration(settings)) as client:
        home_id = await register(client, "0380", register_id, [])

        async def occupied() -> int:
            home = await client.get(f"/api/v1/family-homes/{home_id}", headers=consultant)
            return home.json()["occupied_places"]

        await produce(settings.kafka_bootstrap, PLACEMENTS, [encode(started)], key=case_id.encode())
        await eventually(lambda: occupied())
        await produce(settings.kafka_bootstrap, PLACEMENTS, [encode(ended)], key=case_id.encode())
        await eventually(lambda: _equals(occupied(), 0))
        marker = placement_started(f"{case_id}-m", f"M-{tag}")
        await produce(
            settings.kafka_bootstrap, PLACEMENTS, [encode(started), encode(marker)], key=case_id.encode()
        )
        await eventually(lambda: _consumed(client, 4))
        assert await occupied() == 0


async def _equals(value, expected) -> bool:
    return (await value) == expected


async def _consumed(client, count: int) -> bool:
    metrics = (await client.get("/metrics")).text
    handled = [
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("natverk_consumer_records_total{")
        and PLACEMENTS in line
        and ('outcome="processed"' in line or 'outcome="duplicate"' in line)
    ]
    return sum(handled) >= count
