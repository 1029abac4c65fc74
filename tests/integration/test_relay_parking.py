"""No single stored event can stop a service's outbox: it is parked, listed, and released after repair."""

from __future__ import annotations

import json
import uuid

import pytest

from contracts.topics import REFERRALS
from services.kit.settings import ServiceSettings
from services.referrals.app import create_app
from tests.support.apps import eventually, serving
from tests.support.broker import read_topic
from tests.support.events import valid_pin
from tests.support.tokens import bearer

pytestmark = [pytest.mark.integration, pytest.mark.one_backend]
OPS = bearer("0380", ("ops",), subject="ops-1")
CASE_WORKER = bearer("0380", ("case_worker",))


def _new_referral(case_id: str) -> dict:
    return {
        "case_id": case_id,
        "target": "network_centre",
        "child": {"pin": valid_pin(3), "protected_identity": False},
        "child_status": "placement_near",
        "case_worker_id": "cw-1",
        "reason": "network strengthening",
    }


async def _published_case_ids(bootstrap: str) -> set[str]:
    return {json.loads(r.value)["subject"] for r in await read_topic(bootstrap, REFERRALS)}


async def _parked(client) -> list[dict]:
    response = await client.get("/api/v1/ops/outbox", headers=OPS)
    assert response.status_code == 200, response.text
    assert response.json()["next_cursor"] is None
    return response.json()["items"]


async def test_an_event_that_breaks_the_contract_is_parked_and_the_relay_goes_on(
    settings: ServiceSettings,
) -> None:
    app = create_app(settings)
    runtime = app.state.runtime
    after = f"C-{uuid.uuid4().hex[:8]}"
    async with serving(app) as client:
        # What a read of a case id shaped like a personal identity number used to store.
        runtime.app.record_access(valid_pin(8), "staff-1", "0380", "GET x", "case work", "granted")
        created = await client.post("/api/v1/referrals", json=_new_referral(after), headers=CASE_WORKER)
        assert created.status_code == 201, created.text
        await eventually(lambda: _published_case_ids(settings.kafka_bootstrap), timeout=20)
        assert after in await _published_case_ids(settings.kafka_bootstrap)
        parked = await eventually(lambda: _parked(client))
        ready = (await client.get("/readyz")).json()
        metrics = (await client.get("/metrics")).text
    assert [p["attempts"] for p in parked] == [1]
    assert "breaks its contract at case_id" in parked[0]["reason"]
    assert valid_pin(8) not in json.dumps(parked)
    assert ready["ready"] is True and "relay: 1 record(s) parked" in ready["problems"]
    assert "natverk_relay_parked_events 1.0" in metrics


async def test_a_record_too_large_for_the_broker_is_parked_and_published_when_released_after_repair(
    settings: ServiceSettings,
) -> None:
    case_id = f"C-{uuid.uuid4().hex[:8]}"
    long_sub = "s" * 200
    reader = bearer("0380", ("coordinator",), subject=long_sub)
    small = settings.model_copy(update={"max_record_bytes": 1024})
    async with serving(create_app(small)) as client:
        created = await client.post("/api/v1/referrals", json=_new_referral(case_id), headers=CASE_WORKER)
        referral = created.json()["id"]
        read = await client.get(
            f"/api/v1/referrals/{referral}", headers={**reader, "X-Access-Purpose": "p" * 200}
        )
        assert read.status_code == 200
        parked = await eventually(lambda: _parked(client))
    notification_id = parked[0]["notification_id"]
    async with serving(create_app(settings)) as client:  # the repair: a larger record limit
        released = await client.post(f"/api/v1/ops/outbox/{notification_id}/release", headers=OPS)
        again = await client.post(f"/api/v1/ops/outbox/{notification_id}/release", headers=OPS)
        left = await _parked(client)
    assert released.status_code == 200, released.text
    assert released.json()["released"] is True
    assert again.status_code == 404 and again.json()["error"]["code"] == "not_parked"
    assert left == []
    accesses = [
        json.loads(r.value)
        for r in await read_topic(settings.kafka_bootstrap, REFERRALS)
        if json.loads(r.value)["type"] == "se.natverk.case.accessed.v1"
        and json.loads(r.value)["data"]["actor"] == long_sub
    ]
    assert len(accesses) == 1 and "sequence" not in accesses[0]


@pytest.mark.parametrize("store_backend", ["sqlite"])  # the gauge reads the store; one backend says it
async def test_the_relay_lag_gauge_keeps_moving_while_the_broker_is_away(
    settings: ServiceSettings, broker
) -> None:
    async with serving(create_app(settings)) as client:
        await eventually(lambda: _gauge(client, "natverk_relay_leader"), timeout=20)
        broker.stop()
        for n in range(3):
            created = await client.post(
                "/api/v1/referrals", json=_new_referral(f"C-{uuid.uuid4().hex[:6]}-{n}"), headers=CASE_WORKER
            )
            assert created.status_code == 201
        lag = await eventually(lambda: _gauge_at_least(client, "natverk_relay_lag_events", 3), timeout=30)
    assert lag >= 3


async def _gauge(client, name: str) -> float:
    text = (await client.get("/metrics")).text
    return next((float(line.split()[-1]) for line in text.splitlines() if line.startswith(f"{name} ")), 0.0)


async def _gauge_at_least(client, name: str, minimum: float) -> float | None:
    value = await _gauge(client, name)
    return value if value >= minimum else None
