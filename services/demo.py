"""``make demo``: a realistic scenario against the running stack (started if asked and needed).

Uppsala's case-management system reports that a child has been placed in an
emergency foster home with a change of school; the event is delivered twice
(as at-least-once delivery may), and a malformed record arrives too.  A case
worker also refers the family to the safety team and the team lead accepts.
The demo prints the case's timeline as the case store serves it.

Around it, the three partner municipalities report a few other placements of
this autumn (a home return, a breakdown followed by a new placement, a network
home), so that ``natverk stats`` afterwards has something to count.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer

from contracts.topics import PLACEMENTS
from services.demo_placements import background_placements, demo_pin, placement_event
from services.kit.auth import mint_token
from services.kit.settings import ServiceSettings
from services.stack import Stack, available_services

MUNICIPALITY = "0380"
# What each running service adds to the timeline in this scenario.
EXPECTED_TYPES = {
    "case_store": {"se.placement.started.v1"},
    "referrals": {"se.natverk.referral.received.v1", "se.natverk.referral.accepted.v1"},
    "scheduling": {"se.natverk.meeting.booked.v1"},
    "network_support": {
        "se.natverk.network_placement_inquiry.changed.v1",
        "se.natverk.placement_follow_up.recorded.v1",
        "se.natverk.safety_plan.changed.v1",
    },
    "collaboration": {"se.natverk.family_home.occupancy_changed.v1"},
}


async def _publish(bootstrap: str, case_id: str, family_home_id: str | None) -> None:
    event = json.dumps(placement_event(case_id, family_home_id=family_home_id)).encode()
    records = [(case_id, value) for value in (event, event, b"{this is not a CloudEvent")]
    records += [
        (key, json.dumps(other).encode()) for key, other in background_placements(uuid.uuid4().hex[:6])
    ]
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False)
    await producer.start()
    try:
        for key, value in records:
            await producer.send_and_wait(PLACEMENTS, value, key=key.encode())
    finally:
        await producer.stop()


def _headers(settings: ServiceSettings, *roles: str) -> dict[str, str]:
    token = mint_token(settings.jwt_secret.get_secret_value(), "demo-staff", MUNICIPALITY, list(roles))
    return {"Authorization": f"Bearer {token}"}


def _share_a_family_home(client: httpx.Client, stack: Stack, settings: ServiceSettings, case_id: str) -> str:
    """Uppsala registers an emergency home, shares it with Västerås; the demo child is placed there."""
    register_id = f"FH-{case_id}"
    headers = _headers(settings, "family_home_consultant")
    created = client.post(
        f"{stack.url('collaboration')}/api/v1/family-homes",
        headers=headers,
        json={
            "register_id": register_id,
            "kind": "recruited",
            "capacity": 2,
            "age_min": 0,
            "age_max": 17,
            "specialisations": ["emergency"],
            "languages": ["sv"],
        },
    )
    created.raise_for_status()
    shared = client.put(
        f"{stack.url('collaboration')}/api/v1/family-homes/{created.json()['home_id']}/sharing",
        headers=headers,
        json={"shared_with": ["1980"]},
    )
    shared.raise_for_status()
    return register_id


def _refer_to_safety_team(
    client: httpx.Client, stack: Stack, settings: ServiceSettings, case_id: str
) -> None:
    body = {
        "case_id": case_id,
        "target": "safety_team",
        "child": {"pin": demo_pin(), "protected_identity": False},
        "child_status": "placed",
        "case_worker_id": "cw-demo",
        "reason": "safety planning with the network",
    }
    created = client.post(
        f"{stack.url('referrals')}/api/v1/referrals",
        json=body,
        headers={**_headers(settings, "case_worker"), "Idempotency-Key": f"demo-{case_id}"},
    )
    created.raise_for_status()
    accepted = client.post(
        f"{stack.url('referrals')}/api/v1/referrals/{created.json()['id']}/accept",
        headers=_headers(settings, "safety_team"),
    )
    accepted.raise_for_status()


def _wait_for_timeline(client: httpx.Client, stack: Stack, settings: ServiceSettings, case_id: str) -> Any:
    url = f"{stack.url('case_store')}/api/v1/cases/{case_id}/timeline"
    deadline = time.monotonic() + 20
    timeline: Any = None
    while time.monotonic() < deadline:
        # One page of the most a page holds: the demo's case is new and has a dozen entries.
        response = client.get(url, params={"limit": 200}, headers=_headers(settings, "auditor"))
        if response.status_code == 200:
            timeline = response.json()
            types = {entry["event_type"] for entry in timeline["items"]}
            expected = set().union(*(EXPECTED_TYPES.get(service, set()) for service in stack.services))
            if expected <= types:
                return timeline
        time.sleep(0.3)
    return timeline


def run_demo(settings: ServiceSettings, start_stack: bool = False) -> Any:
    stack = Stack(settings, available_services())
    started_here = False
    if not stack.is_running():
        if not start_stack:
            raise SystemExit("the stack is not running: start it with `make up` or use --start")
        stack.start()
        started_here = True
    try:
        case_id = f"{MUNICIPALITY}-DEMO-{uuid.uuid4().hex[:6]}"
        with httpx.Client(timeout=10) as client:
            home = (
                _share_a_family_home(client, stack, settings, case_id)
                if "collaboration" in stack.services
                else None
            )
            asyncio.run(_publish(settings.kafka_bootstrap, case_id, home))
            _refer_to_safety_team(client, stack, settings, case_id)
            return _wait_for_timeline(client, stack, settings, case_id)
    finally:
        if started_here:
            stack.stop()
