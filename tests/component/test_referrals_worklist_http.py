"""Referrals' worklist over HTTP (issue 16 item 3): referrals awaiting a response, due within
three Swedish working days (configurable), filtered and paged, overdue ones noted once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.kit.domain.working_days import add_working_days
from services.kit.worklist import local_today
from services.referrals.app import create_app
from tests.component.conftest import in_process
from tests.component.test_referrals_http import COORDINATOR, PIN
from tests.component.test_referrals_http import create as create_referral
from tests.conftest import make_settings
from tests.support.tokens import bearer
from tests.support.worklists import published

WORKLIST = "/api/v1/worklist"


async def create(
    client: httpx.AsyncClient, headers: dict | None = None, **overrides: object
) -> httpx.Response:
    """A referral about a placed child: one saying placement is near also asks for safety planning
    to be examined, a duty of its own (``test_referrals_safety_planning_http``)."""
    return await create_referral(client, headers, **{"child_status": "placed", **overrides})


def store(client: httpx.AsyncClient) -> Any:
    return client.app.state.runtime.app  # type: ignore[attr-defined]


def due_in(working_days: int) -> date:
    return add_working_days(local_today(), working_days)


async def items(client: httpx.AsyncClient, **params: object) -> list[dict]:
    response = await client.get(WORKLIST, headers=COORDINATOR, params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_a_received_referral_is_due_within_three_working_days_and_names_no_pin(referrals) -> None:
    referral = (await create(referrals, case_id="0380-W1")).json()
    response = await referrals.get(WORKLIST, headers=COORDINATOR)
    assert response.json()["items"] == [
        {
            "case_id": "0380-W1",
            "obligation": "referral_response",
            "due": due_in(3).isoformat(),
            "overdue": False,
            "responsible_role": "network_centre",
            "assignee": None,
            "action_path": f"/api/v1/referrals/{referral['id']}",
        }
    ]
    assert PIN not in response.text


async def test_an_answered_referral_leaves_the_worklist(referrals) -> None:
    referral_id = (await create(referrals)).json()["id"]
    await referrals.post(f"/api/v1/referrals/{referral_id}/accept", headers=COORDINATOR)
    assert await items(referrals) == []


@pytest.mark.usefixtures("every_municipality_offers_every_target")
async def test_another_municipalitys_referrals_are_not_on_the_worklist(referrals) -> None:
    await create(referrals, headers=bearer("2180", ("case_worker",)), case_id="2180-1")
    assert await items(referrals) == []


async def test_overdue_true_lists_only_the_referrals_past_their_due_date(referrals) -> None:
    await create(referrals, case_id="0380-W1")
    store(referrals).today = lambda: due_in(3) + timedelta(days=1)
    assert [i["overdue"] for i in await items(referrals, overdue="true")] == [True]
    store(referrals).today = local_today
    assert await items(referrals, overdue="true") == []


async def test_the_worklist_filters_by_role_and_due_before(referrals) -> None:
    await create(referrals, case_id="0380-W1", target="safety_team")
    await create(referrals, case_id="0380-W2", target="network_centre")
    assert [i["case_id"] for i in await items(referrals, role="safety_team")] == ["0380-W1"]
    assert await items(referrals, due_before=due_in(3).isoformat()) == []
    assert len(await items(referrals, due_before=(due_in(3) + timedelta(days=1)).isoformat())) == 2


async def test_the_worklist_is_paged_with_an_opaque_cursor(referrals) -> None:
    for n in range(3):
        await create(referrals, case_id=f"0380-P{n}")
    first = (await referrals.get(WORKLIST, headers=COORDINATOR, params={"limit": 2})).json()
    rest = await referrals.get(
        WORKLIST, headers=COORDINATOR, params={"limit": 2, "cursor": first["next_cursor"]}
    )
    cases = [i["case_id"] for i in first["items"] + rest.json()["items"]]
    assert sorted(cases) == ["0380-P0", "0380-P1", "0380-P2"]
    assert rest.json()["next_cursor"] is None


async def test_a_page_of_the_worklist_is_logged_once_per_case_it_carries(referrals) -> None:
    await create(referrals, case_id="0380-W1")
    await create(referrals, case_id="0380-W2")
    before = store(referrals).max_notification_id()
    await referrals.get(WORKLIST, headers=COORDINATOR)
    app = store(referrals)
    logged = [
        e.case_id
        for n in app.recorder.select_notifications(before + 1, 100)
        if type(e := app.mapper.to_domain_event(n)).__name__ == "Recorded" and hasattr(e, "outcome")
    ]
    assert sorted(logged) == ["0380-W1", "0380-W2"]


async def test_an_unanswered_referral_raises_its_overdue_event_once_naming_the_team(referrals) -> None:
    await create(referrals, case_id="0380-W1", target="safety_team")
    store(referrals).today = lambda: due_in(3) + timedelta(days=1)
    assert store(referrals).check_response_deadlines() == 1
    assert store(referrals).check_response_deadlines() == 0
    [overdue] = published(referrals, "se.natverk.referral.response_overdue.v1")
    assert (overdue.case_id, overdue.responsible_role, overdue.due) == ("0380-W1", "safety_team", due_in(3))


async def test_a_referral_answered_in_time_raises_no_overdue_event(referrals) -> None:
    referral_id = (await create(referrals)).json()["id"]
    await referrals.post(f"/api/v1/referrals/{referral_id}/accept", headers=COORDINATOR)
    store(referrals).today = lambda: due_in(10)
    assert store(referrals).check_response_deadlines() == 0


@pytest.fixture
async def five_day_referrals(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = make_settings(tmp_path, referral_response_working_days=5)
    async with in_process(create_app(settings, start_runtime=False), "http://referrals") as client:
        yield client


async def test_the_response_deadline_is_configurable_in_working_days(five_day_referrals) -> None:
    await create(five_day_referrals)
    assert [i["due"] for i in await items(five_day_referrals)] == [due_in(5).isoformat()]


async def test_only_staff_read_the_worklist(referrals) -> None:
    response = await referrals.get(WORKLIST, headers=bearer("0380", ("family_home_consultant",)))
    assert response.status_code == 403


async def test_due_before_as_seconds_since_1970_is_refused_not_read_as_1970(referrals) -> None:
    response = await referrals.get(WORKLIST, headers=COORDINATOR, params={"due_before": "86400"})
    assert response.status_code == 422
    assert "86400" not in response.text and "YYYY-MM-DD" in response.text


async def test_a_coordinator_asking_for_the_coordinators_items_gets_the_responses_of_both_teams_they_lead(
    referrals,
) -> None:
    """The coordinator leads both receiving teams and decides on their referrals (DOMAIN.md, ADR
    0025); a referral awaiting a case worker stays the case workers' (ADR 0025 addendum)."""
    await create(referrals, case_id="0380-W1", target="safety_team")
    await create(referrals, case_id="0380-W2", target="network_centre")
    found = [(i["case_id"], i["responsible_role"]) for i in await items(referrals, role="coordinator")]
    assert sorted(found) == [("0380-W1", "safety_team"), ("0380-W2", "network_centre")]


@pytest.mark.parametrize("role", ["auditor", "janitor7"])
async def test_a_role_that_holds_no_referral_duty_is_refused_naming_the_field_not_the_value(
    referrals, role: str
) -> None:
    await create(referrals, case_id="0380-W1")
    response = await referrals.get(WORKLIST, headers=COORDINATOR, params={"role": role})
    assert response.status_code == 422
    [detail] = response.json()["error"]["details"]
    assert detail["field"] == "query.role" and "network_centre" in detail["message"]
    assert role not in response.text
