"""network_support's worklist by role over HTTP (ADR 0025 addendum "a role filter names a role
that holds duties"): a role picks the duties it answers for (the coordinator leads the Network
Centre and the safety team, and the Centre's staff hold the actions of its functions), and a role
that holds none here is refused, never answered with an empty list that reads as "nothing to do"."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import get_args

import httpx
import pytest

from services.network_support.app import create_app
from services.network_support.commands import OwnerRole
from services.network_support.use_cases.from_events import PlacementFacts
from tests.component.conftest import in_process, service_app
from tests.conftest import make_settings
from tests.support.tokens import bearer

WORKER = bearer("0380", ("case_worker",))
WORKLIST = "/api/v1/worklist"
REFERRAL = "R-1"
ACTIONS = f"/api/v1/referrals/{REFERRAL}/support-plan/actions"


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    app.state.runtime.app.today = lambda: date(2026, 11, 20)
    async with in_process(app, "http://network-support") as client:
        yield client


async def every_kind_of_duty(client: httpx.AsyncClient) -> None:
    """An Uppsala placement (parent support and the inquiry: the Network Centre's; school and
    examinations: the case worker's), a safety plan (the safety team's) and a support plan with an
    action of a Centre function and one of the coordinator."""
    facts = PlacementFacts("0380", "C-1", "P-1", "familjehem", date(2026, 11, 2))
    service_app(client).placement_started(*facts, school_change=False)
    drafted = await client.post("/api/v1/cases/C-2/safety-plan", headers=WORKER)
    assert drafted.status_code == 201, drafted.text
    service_app(client).referral_accepted(REFERRAL, "C-3", "0380", "network_centre")
    for owner_role in ("family_therapist", "coordinator"):
        action = {"description": "Call the grandmother", "owner_role": owner_role, "due": "2026-11-25"}
        added = await client.post(ACTIONS, headers=WORKER, json=action)
        assert added.status_code == 200, added.text


async def roles_listed(client: httpx.AsyncClient, role: str) -> list[tuple[str, str]]:
    response = await client.get(WORKLIST, headers=bearer("0380", (role,)), params={"role": role})
    assert response.status_code == 200, response.text
    return sorted((i["obligation"], i["responsible_role"]) for i in response.json()["items"])


async def test_a_coordinator_asking_for_the_coordinators_items_gets_the_duties_of_the_teams_they_lead(
    network_support,
) -> None:
    await every_kind_of_duty(network_support)
    assert await roles_listed(network_support, "coordinator") == [
        ("network_placement_inquiry", "network_centre"),
        ("parent_support", "network_centre"),
        ("safety_plan_follow_up", "safety_team"),
        ("support_plan_action", "coordinator"),
        ("support_plan_action", "family_therapist"),
    ]


async def test_the_network_centre_asking_for_its_items_gets_the_support_plan_actions_of_its_functions(
    network_support,
) -> None:
    await every_kind_of_duty(network_support)
    assert await roles_listed(network_support, "network_centre") == [
        ("network_placement_inquiry", "network_centre"),
        ("parent_support", "network_centre"),
        ("support_plan_action", "family_therapist"),
    ]


async def test_a_case_worker_asking_for_the_case_workers_items_gets_only_the_authority_units_clocks(
    network_support,
) -> None:
    await every_kind_of_duty(network_support)
    assert await roles_listed(network_support, "case_worker") == [
        ("dental_examination", "case_worker"),
        ("health_examination", "case_worker"),
    ]


@pytest.mark.parametrize("owner_role", get_args(OwnerRole))
async def test_every_owner_role_a_support_plan_action_takes_is_a_role_the_worklist_filters_by(
    network_support, owner_role: str
) -> None:
    response = await network_support.get(WORKLIST, headers=WORKER, params={"role": owner_role})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("role", ["auditor", "family_home_consultant", "janitor7"])
async def test_a_role_that_holds_no_network_support_duty_is_refused_naming_the_field_not_the_value(
    network_support, role: str
) -> None:
    await every_kind_of_duty(network_support)
    response = await network_support.get(WORKLIST, headers=WORKER, params={"role": role})
    assert response.status_code == 422
    [detail] = response.json()["error"]["details"]
    assert detail["field"] == "query.role" and "network_centre" in detail["message"]
    assert role not in response.text
