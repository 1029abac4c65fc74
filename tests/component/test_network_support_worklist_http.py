"""network_support's worklist over HTTP (issue 16 item 3): the placement clocks, the safety plans'
follow-ups and the network-placement inquiries without an outcome, filtered and paged."""

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
from services.network_support.use_cases.from_events import PlacementFacts
from tests.component.conftest import in_process, service_app
from tests.conftest import make_settings
from tests.support.events import cloud_event, encode, placement_data, placement_started, valid_pin
from tests.support.tokens import bearer
from tests.support.worklists import published

WORKER = bearer("0380", ("case_worker",))
GAVLE = bearer("2180", ("case_worker",))
WORKLIST = "/api/v1/worklist"
STARTED = date(2026, 11, 2)


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path, inquiry_outcome_days=14), start_runtime=False)
    app.state.runtime.app.today = lambda: STARTED
    async with in_process(app, "http://network-support") as client:
        yield client


def place(client: httpx.AsyncClient, placement_id: str = "P-1", kind: str = "familjehem", **how: Any) -> None:
    municipality = how.pop("municipality", "0380")
    facts = PlacementFacts(municipality, how.pop("case_id", "C-1"), placement_id, kind, STARTED)
    service_app(client).placement_started(*facts, school_change=how.pop("school_change", False))


async def items(client: httpx.AsyncClient, headers: dict | None = None, **params: object) -> list[dict]:
    response = await client.get(WORKLIST, headers=headers or WORKER, params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


async def test_a_placement_puts_its_clocks_and_its_inquiry_on_the_worklist(network_support) -> None:
    place(network_support, school_change=True)
    listed = {i["obligation"]: i for i in await items(network_support)}
    assert {o: (i["due"], i["responsible_role"]) for o, i in listed.items()} == {
        "parent_support": ("2026-11-09", "network_centre"),
        "school_start": ("2026-11-09", "case_worker"),
        "health_examination": ("2026-12-02", "case_worker"),
        "dental_examination": ("2026-12-02", "case_worker"),
        "network_placement_inquiry": ((local_today() + timedelta(days=14)).isoformat(), "network_centre"),
    }
    assert listed["parent_support"]["action_path"] == "/api/v1/placements/P-1/parent-support/offers"
    assert {i["case_id"] for i in listed.values()} == {"C-1"}


async def test_a_clock_met_leaves_the_worklist(network_support) -> None:
    place(network_support, kind="natverkshem")
    offer = {"on": "2026-11-02"}
    await network_support.post("/api/v1/placements/P-1/parent-support/offers", headers=WORKER, json=offer)
    assert "parent_support" not in [i["obligation"] for i in await items(network_support)]


async def test_a_safety_plan_follow_up_is_due_six_months_after_the_plan_for_the_safety_team(
    network_support,
) -> None:
    await network_support.post("/api/v1/cases/C-2/safety-plan", headers=WORKER)
    [item] = await items(network_support, role="safety_team")
    assert (item["case_id"], item["obligation"], item["due"]) == (
        "C-2",
        "safety_plan_follow_up",
        "2027-05-03",
    )
    assert item["action_path"] == "/api/v1/cases/C-2/safety-plan/follow-ups"


async def test_overdue_and_due_before_pick_the_clocks_past_or_before_a_day(network_support) -> None:
    place(network_support, kind="natverkshem")
    service_app(network_support).today = lambda: date(2026, 11, 10)
    overdue = await items(network_support, overdue="true")
    assert [(i["obligation"], i["overdue"]) for i in overdue] == [("parent_support", True)]
    early = await items(network_support, due_before="2026-11-10")
    assert [i["obligation"] for i in early] == ["parent_support"]


async def test_another_municipalitys_obligations_are_not_on_the_worklist(network_support) -> None:
    place(network_support, municipality="2180", case_id="G-1")
    assert await items(network_support) == []
    assert {i["case_id"] for i in await items(network_support, headers=GAVLE)} == {"G-1"}


async def test_the_worklist_is_paged_earliest_due_first(network_support) -> None:
    place(network_support, kind="natverkshem")
    first = (await network_support.get(WORKLIST, headers=WORKER, params={"limit": 2})).json()
    rest = await network_support.get(WORKLIST, headers=WORKER, params={"cursor": first["next_cursor"]})
    dues = [i["due"] for i in first["items"] + rest.json()["items"]]
    assert dues == ["2026-11-09", "2026-12-02", "2026-12-02"]
    assert rest.json()["next_cursor"] is None


async def test_the_worklist_never_carries_a_personal_identity_number(network_support) -> None:
    place(network_support, school_change=True)
    response = await network_support.get(WORKLIST, headers=WORKER)
    assert valid_pin(11) not in response.text and "pin" not in response.text


async def test_an_inquiry_without_an_outcome_by_its_due_date_raises_its_event_once(network_support) -> None:
    place(network_support)
    app = service_app(network_support)
    app.today = lambda: local_today() + timedelta(days=15)
    assert app.check_inquiry_deadlines() == 1
    assert app.check_inquiry_deadlines() == 0
    [overdue] = published(network_support, "se.natverk.network_placement_inquiry.outcome_overdue.v1")
    assert (overdue.case_id, overdue.placement_id, overdue.responsible_role) == (
        "C-1",
        "P-1",
        "network_centre",
    )


async def test_a_concluded_inquiry_leaves_the_worklist_and_is_never_overdue(network_support) -> None:
    place(network_support)
    outcome = {"outcome": "not_suitable", "reason": "no one in the network can take the child"}
    concluded = await network_support.post(
        "/api/v1/placements/P-1/inquiry/outcome", headers=WORKER, json=outcome
    )
    assert concluded.status_code == 200, concluded.text
    assert "network_placement_inquiry" not in [i["obligation"] for i in await items(network_support)]
    service_app(network_support).today = lambda: local_today() + timedelta(days=60)
    assert service_app(network_support).check_inquiry_deadlines() == 0


# ``placement_started`` places in an emergency home (jourhem): the decision on lasting care is due too
CASE_WORKER_CLOCKS = {"school_start", "health_examination", "dental_examination", "lasting_care_decision"}


def hear(client: httpx.AsyncClient, event: dict[str, Any]) -> None:
    """A placement event as the case system sends it, through network_support's inbound handler."""
    handlers = {spec.topic: spec.handlers for spec in consumers(service_app(client))}[PLACEMENTS]
    handlers[event["type"]](parse_record(encode(event)))


def placement_changed(case_worker_id: str | None, school_change: bool = True) -> dict[str, Any]:
    data = placement_data("C-1", "P-1", school_change=school_change, case_worker_id=case_worker_id)
    return cloud_event("se.placement.changed.v1", data)


async def assignees(client: httpx.AsyncClient, **params: object) -> dict[str, str | None]:
    return {i["obligation"]: i["assignee"] for i in await items(client, **params)}


async def test_a_placement_naming_its_case_worker_assigns_them_its_school_and_examination_clocks(
    network_support,
) -> None:
    hear(network_support, placement_started("C-1", "P-1", school_change=True, case_worker_id="hl-7"))
    listed = await assignees(network_support)
    assert {o: a for o, a in listed.items() if a is not None} == dict.fromkeys(CASE_WORKER_CLOCKS, "hl-7")
    assert listed["parent_support"] is None and listed["network_placement_inquiry"] is None
    assert set(await assignees(network_support, assignee="hl-7")) == CASE_WORKER_CLOCKS


async def test_a_change_naming_another_case_worker_moves_the_clocks_to_them(network_support) -> None:
    hear(network_support, placement_started("C-1", "P-1", school_change=True, case_worker_id="hl-7"))
    hear(network_support, placement_changed("hl-9", school_change=False))
    assert set(await assignees(network_support, assignee="hl-9")) == CASE_WORKER_CLOCKS
    assert await items(network_support, assignee="hl-7") == []


async def test_a_change_naming_no_case_worker_keeps_the_one_named_before(network_support) -> None:
    hear(network_support, placement_started("C-1", "P-1", school_change=True, case_worker_id="hl-7"))
    hear(network_support, placement_changed(None, school_change=False))
    assert set(await assignees(network_support, assignee="hl-7")) == CASE_WORKER_CLOCKS


async def test_a_placement_without_a_case_worker_leaves_its_clocks_unassigned(network_support) -> None:
    hear(network_support, placement_started("C-1", "P-1", school_change=True))
    listed = await assignees(network_support, role="case_worker")
    assert listed == dict.fromkeys(CASE_WORKER_CLOCKS, None)
