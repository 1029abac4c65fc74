"""What ends a network-placement inquiry and a safety plan, over HTTP: the placement's own events
conclude its open inquiry; a safety plan is concluded by a command, after which its follow-up clock
has stopped and it changes no more."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import PLACEMENTS
from services.kit.inbound import parse_record
from services.kit.worklist import local_today
from services.network_support.app import create_app
from services.network_support.inbound import consumers
from tests.component.conftest import in_process, service_app
from tests.conftest import make_settings
from tests.support.events import cloud_event, encode, placement_data, placement_ended, placement_started
from tests.support.tokens import bearer
from tests.support.worklists import published

WORKER = bearer("0380", ("case_worker",))
TODAY = date(2026, 11, 23)
PLAN = "/api/v1/cases/C-1/safety-plan"
INQUIRY_CHANGED = "se.natverk.network_placement_inquiry.changed.v1"
SAFETY_CHANGED = "se.natverk.safety_plan.changed.v1"
OVERDUE = "se.natverk.safety_plan.follow_up_overdue.v1"
ENDING = {"reason": "safety_goals_met", "on": "2026-11-23"}


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    app.state.runtime.app.today = lambda: TODAY
    async with in_process(app, "http://network-support") as client:
        yield client


def hear(client: httpx.AsyncClient, event: dict[str, Any]) -> None:
    """A placement event as the case system sends it, through network_support's inbound handler."""
    handlers = {spec.topic: spec.handlers for spec in consumers(service_app(client))}[PLACEMENTS]
    handlers[event["type"]](parse_record(encode(event)))


async def obligations(client: httpx.AsyncClient) -> list[str]:
    response = await client.get("/api/v1/worklist", headers=WORKER)
    assert response.status_code == 200, response.text
    return [item["obligation"] for item in response.json()["items"]]


async def inquiry_outcome(client: httpx.AsyncClient) -> str | None:
    placement = await client.get("/api/v1/placements/P-1", headers=WORKER)
    return placement.json()["inquiry"]["outcome"]


# -- the network-placement inquiry ends with its placement -------------------------------------
async def test_an_ended_placement_concludes_its_open_inquiry_as_placement_ended(network_support) -> None:
    hear(network_support, placement_started("C-1", "P-1", placement_type="familjehem"))
    hear(network_support, placement_ended("C-1", "P-1", end_reason="breakdown"))
    assert await inquiry_outcome(network_support) == "placement_ended"
    assert "network_placement_inquiry" not in await obligations(network_support)
    concluded = [e for e in published(network_support, INQUIRY_CHANGED) if e.change == "concluded"]
    assert [(e.placement_id, e.outcome) for e in concluded] == [("P-1", "placement_ended")]


async def test_an_inquiry_ended_with_its_placement_is_never_swept_as_overdue(network_support) -> None:
    hear(network_support, placement_started("C-1", "P-1", placement_type="familjehem"))
    hear(network_support, placement_ended("C-1", "P-1"))
    service_app(network_support).today = lambda: local_today() + timedelta(days=90)
    assert service_app(network_support).check_inquiry_deadlines() == 0
    assert published(network_support, "se.natverk.network_placement_inquiry.outcome_overdue.v1") == []


async def test_a_change_to_a_network_home_concludes_the_inquiry_as_network_placement_made(
    network_support,
) -> None:
    hear(network_support, placement_started("C-1", "P-1", placement_type="jourhem"))
    changed = placement_data("C-1", "P-1", placement_type="natverkshem")
    hear(network_support, cloud_event("se.placement.changed.v1", changed))
    assert await inquiry_outcome(network_support) == "network_placement_made"
    assert "network_placement_inquiry" not in await obligations(network_support)


async def test_an_inquiry_concluded_by_staff_keeps_its_outcome_when_the_placement_ends(
    network_support,
) -> None:
    hear(network_support, placement_started("C-1", "P-1", placement_type="familjehem"))
    outcome = {"outcome": "declined", "reason": "the family said no"}
    await network_support.post("/api/v1/placements/P-1/inquiry/outcome", headers=WORKER, json=outcome)
    hear(network_support, placement_ended("C-1", "P-1"))
    assert await inquiry_outcome(network_support) == "declined"


async def test_an_inquiry_ended_with_its_placement_refuses_a_later_outcome_with_409(network_support) -> None:
    hear(network_support, placement_started("C-1", "P-1", placement_type="familjehem"))
    hear(network_support, placement_ended("C-1", "P-1"))
    outcome = {"outcome": "declined", "reason": "the family said no"}
    late = await network_support.post("/api/v1/placements/P-1/inquiry/outcome", headers=WORKER, json=outcome)
    assert (late.status_code, late.json()["error"]["code"]) == (409, "inquiry_concluded")


# -- a safety plan can be concluded ------------------------------------------------------------
async def drafted_and_concluded(client: httpx.AsyncClient) -> httpx.Response:
    await client.post(PLAN, headers=WORKER)
    return await client.post(f"{PLAN}/conclude", headers=WORKER, json=ENDING)


async def test_a_concluded_safety_plan_reads_as_concluded_without_a_follow_up_due(network_support) -> None:
    concluded = await drafted_and_concluded(network_support)
    assert concluded.status_code == 200, concluded.text
    shown = (await network_support.get(PLAN, headers=WORKER)).json()
    assert shown["concluded"] == {"reason": "safety_goals_met", "on": "2026-11-23"}
    assert shown["follow_up_due"] is None


async def test_a_concluded_safety_plan_leaves_the_worklist(network_support) -> None:
    await drafted_and_concluded(network_support)
    assert "safety_plan_follow_up" not in await obligations(network_support)


async def test_a_concluded_safety_plan_is_never_published_as_follow_up_overdue(network_support) -> None:
    await drafted_and_concluded(network_support)
    service_app(network_support).today = lambda: TODAY + timedelta(days=400)
    assert service_app(network_support).check_safety_follow_ups() == 0
    assert published(network_support, OVERDUE) == []


async def test_a_concluded_safety_plan_is_published_as_changed_with_its_reason(network_support) -> None:
    await drafted_and_concluded(network_support)
    [concluded] = [e for e in published(network_support, SAFETY_CHANGED) if e.change == "concluded"]
    assert (concluded.case_id, concluded.reason, concluded.concluded_on) == (
        "C-1",
        "safety_goals_met",
        TODAY,
    )


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (
            "/danger-statements",
            {"statement": "Danger", "safety_goal": "Safe", "scale": 3, "on": "2026-11-23"},
        ),
        ("/revisions", {"on": "2026-11-23"}),
        ("/follow-ups", {"on": "2026-11-23"}),
        ("/conclude", {"reason": "case_closed", "on": "2026-11-23"}),
    ],
)
async def test_a_concluded_safety_plan_refuses_further_changes_with_409(
    network_support, path: str, body: dict[str, Any]
) -> None:
    await drafted_and_concluded(network_support)
    refused = await network_support.post(f"{PLAN}{path}", headers=WORKER, json=body)
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "safety_plan_concluded")


async def test_a_safety_plan_conclusion_needs_a_reason_from_the_closed_set(network_support) -> None:
    await network_support.post(PLAN, headers=WORKER)
    refused = await network_support.post(
        f"{PLAN}/conclude", headers=WORKER, json={"reason": "we felt like it", "on": "2026-11-23"}
    )
    assert refused.status_code == 422
    assert "we felt like it" not in refused.text


async def test_concluding_a_safety_plan_needs_a_staff_role(network_support) -> None:
    await network_support.post(PLAN, headers=WORKER)
    auditor = bearer("0380", ("auditor",))
    assert (await network_support.post(f"{PLAN}/conclude", headers=auditor, json=ENDING)).status_code == 403


async def test_a_member_named_by_a_rule_of_a_concluded_safety_plan_can_be_removed_from_the_map(
    network_support,
) -> None:
    member = {"name": "Aunt", "relation": "aunt", "roles": ["safety_person"], "contact_consent": True}
    await network_support.post("/api/v1/cases/C-1/network-map/members", headers=WORKER, json=member)
    await network_support.post(PLAN, headers=WORKER)
    rule = {"text": "Aunt picks up", "responsible_member_ids": [1]}
    await network_support.post(f"{PLAN}/rules", headers=WORKER, json=rule)
    await network_support.post(f"{PLAN}/conclude", headers=WORKER, json=ENDING)
    removed = await network_support.delete("/api/v1/cases/C-1/network-map/members/1", headers=WORKER)
    assert removed.status_code == 200, removed.text
