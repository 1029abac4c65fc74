"""Over HTTP: a school start cannot be dated before the school change whose clock it closes, and a
support plan's open actions are on the worklist of their owner role, overdue after their due day."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import httpx
import pytest

from services.network_support.app import create_app
from services.network_support.domain.placement_follow_up import PlacementFollowUp
from services.network_support.use_cases.from_events import PlacementFacts
from tests.component.conftest import in_process, service_app
from tests.conftest import make_settings
from tests.support.tokens import bearer

WORKER = bearer("0380", ("case_worker",))
COORDINATOR = bearer("0380", ("coordinator",))
PLACED, CHANGED = date(2026, 11, 2), date(2026, 11, 10)
REFERRAL = "R-1"
ACTIONS = f"/api/v1/referrals/{REFERRAL}/support-plan/actions"


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    app.state.runtime.app.today = lambda: date(2026, 11, 20)
    async with in_process(app, "http://network-support") as client:
        yield client


# -- a school start closes the clock its school change opened ----------------------------------
def placed_then_school_changed(client: httpx.AsyncClient) -> None:
    facts = PlacementFacts("0380", "C-1", "P-1", "familjehem", PLACED)
    service_app(client).placement_started(*facts, school_change=False)
    service_app(client).placement_changed(facts, True, datetime.combine(CHANGED, time(10), tzinfo=UTC))


async def school_start(client: httpx.AsyncClient, on: str) -> httpx.Response:
    return await client.post("/api/v1/placements/P-1/school-start", headers=WORKER, json={"on": on})


async def test_a_school_start_before_the_school_change_that_opened_its_clock_is_refused_with_422(
    network_support,
) -> None:
    placed_then_school_changed(network_support)
    refused = await school_start(network_support, "2026-11-05")
    assert (refused.status_code, refused.json()["error"]["code"]) == (
        422,
        "school_start_before_school_change",
    )
    assert "2026-11-05" not in refused.text


async def test_a_refused_school_start_leaves_the_clock_open_and_out_of_the_sams_report(
    network_support,
) -> None:
    placed_then_school_changed(network_support)
    await school_start(network_support, "2026-11-05")
    placement = (await network_support.get("/api/v1/placements/P-1", headers=WORKER)).json()
    assert (placement["school_started_on"], placement["due"]["school_start"]) == (None, "2026-11-17")
    report = await network_support.get(
        "/api/v1/reports/school-start", headers=COORDINATOR, params={"month": "2026-11"}
    )
    [row] = report.json()["rows"]
    assert (row["placed_on"], row["within_week"], row["still_open"]) == ("2026-11-10", False, True)


async def test_a_school_start_on_the_day_of_the_school_change_closes_its_clock(network_support) -> None:
    placed_then_school_changed(network_support)
    started = await school_start(network_support, "2026-11-10")
    assert started.status_code == 200, started.text
    assert "school_start" not in started.json()["due"]


async def test_a_school_start_given_as_a_datetime_is_refused_and_leaves_the_clock_open(
    network_support,
) -> None:
    placed_then_school_changed(network_support)
    refused = await school_start(network_support, "2026-11-10T00:00:00")
    assert refused.status_code == 422 and "YYYY-MM-DD" in refused.text
    assert "2026-11-10T00:00:00" not in refused.text
    follow_up = service_app(network_support).repository.get(PlacementFollowUp.id_for("0380", "P-1"))
    assert "school_start" in follow_up.due_dates()


# -- support-plan actions on the worklist ------------------------------------------------------
async def add_action(client: httpx.AsyncClient, owner_role: str, due: str) -> int:
    action = {"description": "Call the grandmother", "owner_role": owner_role, "due": due}
    response = await client.post(ACTIONS, headers=WORKER, json=action)
    assert response.status_code == 200, response.text
    return response.json()["actions"][-1]["action_id"]


async def items(client: httpx.AsyncClient, **params: object) -> list[dict]:
    response = await client.get("/api/v1/worklist", headers=WORKER, params=params)
    assert response.status_code == 200, response.text
    return [i for i in response.json()["items"] if i["obligation"] == "support_plan_action"]


async def test_an_open_support_plan_action_is_on_its_owner_roles_worklist_until_its_due_day(
    network_support,
) -> None:
    service_app(network_support).referral_accepted(REFERRAL, "C-1", "0380", "network_centre")
    action_id = await add_action(network_support, "family_therapist", "2026-11-25")
    [item] = await items(network_support, role="family_therapist")
    assert (item["case_id"], item["due"], item["overdue"], item["responsible_role"]) == (
        "C-1",
        "2026-11-25",
        False,
        "family_therapist",
    )
    assert item["action_path"] == f"{ACTIONS}/{action_id}/complete"
    assert await items(network_support, role="parent_supporter") == []


async def test_a_support_plan_action_past_its_due_day_is_overdue(network_support) -> None:
    service_app(network_support).referral_accepted(REFERRAL, "C-1", "0380", "network_centre")
    await add_action(network_support, "parent_supporter", "2026-11-19")
    [item] = await items(network_support, overdue="true")
    assert (item["responsible_role"], item["overdue"]) == ("parent_supporter", True)


async def test_a_completed_support_plan_action_leaves_the_worklist(network_support) -> None:
    service_app(network_support).referral_accepted(REFERRAL, "C-1", "0380", "network_centre")
    done = await add_action(network_support, "family_pedagogue", "2026-11-25")
    await add_action(network_support, "family_pedagogue", "2026-11-26")
    completed = await network_support.post(f"{ACTIONS}/{done}/complete", headers=WORKER)
    assert completed.status_code == 200, completed.text
    assert [i["due"] for i in await items(network_support)] == ["2026-11-26"]


async def test_the_actions_of_a_closed_support_plan_leave_the_worklist(network_support) -> None:
    service_app(network_support).referral_accepted(REFERRAL, "C-1", "0380", "network_centre")
    await add_action(network_support, "coordinator", "2026-11-25")
    service_app(network_support).referral_ended(REFERRAL, "0380", "referral_closed")
    assert await items(network_support) == []
