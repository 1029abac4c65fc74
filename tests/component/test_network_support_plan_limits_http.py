"""How much a case's network map and plans hold, over HTTP with a JWT: enough for any real network
and plan, and a bound on what a careless script or a client repeating itself can pile up (each
answer carries the whole map or plan).  One more is 409 with the limit named, never a value sent;
what is already there stays, and a removed member frees a place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import REFERRALS
from services.kit.inbound import parse_record
from services.network_support.app import create_app
from services.network_support.inbound import consumers
from tests.component.conftest import in_process
from tests.conftest import make_settings
from tests.support.events import cloud_event, encode
from tests.support.tokens import bearer

WORKER = bearer("0380", ("case_worker", "safety_team"))
TODAY = date(2026, 12, 3)
MEMBERS = "/api/v1/cases/C-1/network-map/members"
PLAN = "/api/v1/cases/C-1/safety-plan"
SUPPORT = "/api/v1/referrals/R-1/support-plan"


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    app.state.runtime.app.today = lambda: TODAY
    async with in_process(app, "http://network-support") as client:
        yield client


def accepted_by_the_network_centre(client: httpx.AsyncClient) -> None:
    data = {"referral_id": "R-1", "case_id": "C-1", "municipality": "0380", "target": "network_centre"}
    event = cloud_event("se.natverk.referral.accepted.v1", data, source="/natverk/referrals")
    runtime_app = client.app.state.runtime.app  # type: ignore[attr-defined]
    handlers = {spec.topic: spec.handlers for spec in consumers(runtime_app)}[REFERRALS]
    handlers[event["type"]](parse_record(encode(event)))


async def posted(client: httpx.AsyncClient, url: str, body: dict[str, Any], times: int) -> None:
    for n in range(times):
        response = await client.post(url, headers=WORKER, json=body)
        assert response.status_code in (200, 201), (n, response.text)


def refused_as(response: httpx.Response, code: str, limit: int, *sent: str) -> None:
    assert (response.status_code, response.json()["error"]["code"]) == (409, code), response.text
    assert f"at most {limit}" in response.json()["error"]["message"]
    assert not any(value in response.text for value in sent)


async def test_a_network_map_holds_at_most_100_members_and_a_removed_one_frees_a_place(
    network_support,
) -> None:
    member = {"name": "Moster Karin", "relation": "aunt", "roles": [], "contact_consent": True}
    await posted(network_support, MEMBERS, member, 100)
    refused_as(
        await network_support.post(MEMBERS, headers=WORKER, json=member), "network_map_full", 100, "Karin"
    )
    removed = await network_support.delete(f"{MEMBERS}/7", headers=WORKER)
    assert removed.status_code == 200, removed.text
    added = await network_support.post(MEMBERS, headers=WORKER, json=member)
    assert added.status_code == 201, added.text
    shown = (await network_support.get("/api/v1/cases/C-1/network-map", headers=WORKER)).json()
    assert len(shown["members"]) == 100


async def drafted_on(client: httpx.AsyncClient, day: date) -> None:
    """Case C-1's safety plan drafted on ``day`` (its facts are dated from then on); today after."""
    app = client.app.state.runtime.app  # type: ignore[attr-defined]
    app.today = lambda: day
    assert (await client.post(PLAN, headers=WORKER)).status_code == 201
    app.today = lambda: TODAY


async def test_a_safety_plan_holds_at_most_30_danger_statements_and_60_rules(network_support) -> None:
    await drafted_on(network_support, date(2026, 12, 1))
    statement = {
        "statement": "Pappa dricker",
        "safety_goal": "En nykter vuxen",
        "scale": 3,
        "on": "2026-12-01",
    }
    await posted(network_support, f"{PLAN}/danger-statements", statement, 30)
    refused = await network_support.post(f"{PLAN}/danger-statements", headers=WORKER, json=statement)
    refused_as(refused, "safety_plan_full", 30, "Pappa", "nykter")
    member = {"name": "Mormor", "relation": "grandmother", "roles": [], "contact_consent": True}
    await network_support.post(MEMBERS, headers=WORKER, json=member | {"relation": "grandparent"})
    rule = {"text": "Mormor hämtar efter skolan", "responsible_member_ids": [1]}
    await posted(network_support, f"{PLAN}/rules", rule, 60)
    refused_as(
        await network_support.post(f"{PLAN}/rules", headers=WORKER, json=rule),
        "safety_plan_full",
        60,
        "Mormor",
    )
    shown = (await network_support.get(PLAN, headers=WORKER)).json()
    assert (len(shown["danger_statements"]), len(shown["rules"])) == (30, 60)


async def test_a_danger_statement_holds_at_most_200_scale_readings(network_support) -> None:
    await drafted_on(network_support, date(2026, 12, 1))
    statement = {
        "statement": "Pappa dricker",
        "safety_goal": "En nykter vuxen",
        "scale": 3,
        "on": "2026-12-01",
    }
    await posted(network_support, f"{PLAN}/danger-statements", statement, 1)
    reading = {"statement_id": 1, "value": 6, "on": "2026-12-02"}
    await posted(network_support, f"{PLAN}/scales", reading, 199)  # the statement's own first reading is one
    refused_as(
        await network_support.post(f"{PLAN}/scales", headers=WORKER, json=reading), "safety_plan_full", 200
    )
    shown = (await network_support.get(PLAN, headers=WORKER)).json()
    assert len(shown["danger_statements"][0]["scales"]) == 200


async def test_a_support_plan_holds_at_most_30_goals_and_200_actions(network_support) -> None:
    accepted_by_the_network_centre(network_support)
    await posted(network_support, f"{SUPPORT}/goals", {"goal": "Besök hemma varje vecka"}, 30)
    refused = await network_support.post(f"{SUPPORT}/goals", headers=WORKER, json={"goal": "Besök hemma"})
    refused_as(refused, "support_plan_full", 30, "Besök")
    action = {"description": "Ring mormor", "owner_role": "parent_supporter", "due": "2026-12-10"}
    await posted(network_support, f"{SUPPORT}/actions", action, 200)
    refused_as(
        await network_support.post(f"{SUPPORT}/actions", headers=WORKER, json=action),
        "support_plan_full",
        200,
        "Ring",
    )
    shown = (await network_support.get(SUPPORT, headers=WORKER)).json()
    assert (len(shown["goals"]), len(shown["actions"])) == (30, 200)
