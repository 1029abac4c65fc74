"""Six months is the usual upper limit of a temporary placement (DOMAIN.md, seed 002): while a child
is in an emergency home (jourhem) a decision on lasting care falls due six calendar months after the
day the child entered it, as the case system's placement records (in any order, repeated) say,
through the kit's real tracking consumer, read over HTTP with a JWT (the placement, the worklist,
the published events and the metric)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.network_support.domain.placement_follow_up import PlacementFollowUp
from tests.component.conftest import network_support_fed
from tests.support.events import cloud_event, placement_data
from tests.support.tokens import bearer
from tests.support.worklists import published

WORKER = bearer("0380", ("case_worker",))
CLOCK = "lasting_care_decision"
START = "2026-11-02"
SIX_MONTHS_LATER = "2027-05-02"
PASSED = "se.natverk.placement_follow_up.deadline_passed.v1"


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The service, today 2027-01-10, with ``feed`` handing its placements consumer a CloudEvent."""
    async with network_support_fed(tmp_path, date(2027, 1, 10)) as client:
        yield client


def started(kind: str, start: str = START) -> dict[str, Any]:
    """A start of P-1 (case C-1) by case worker cw-1, with a new event id each time it is sent."""
    data = placement_data("C-1", "P-1", placement_type=kind, start_date=start, case_worker_id="cw-1")
    return cloud_event("se.placement.started.v1", data)


def changed(kind: str, on: str, at: str = "10:00:00Z") -> dict[str, Any]:
    """A change of P-1 to ``kind`` made on ``on`` at ``at`` (its CloudEvent's time), with a new event id."""
    data = placement_data("C-1", "P-1", placement_type=kind, start_date=START, case_worker_id="cw-1")
    return cloud_event("se.placement.changed.v1", data, time=f"{on}T{at}")


def ended(on: str) -> dict[str, Any]:
    data = placement_data("C-1", "P-1", start_date=START, end_date=on, end_reason="breakdown")
    return cloud_event("se.placement.ended.v1", data)


async def placement(client: httpx.AsyncClient) -> dict[str, Any]:
    answer = await client.get("/api/v1/placements/P-1", headers=WORKER)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def decisions(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    """The worklist's lasting-care items."""
    answer = await client.get("/api/v1/worklist", headers=WORKER, params={"limit": 200})
    assert answer.status_code == 200, answer.text
    return [item for item in answer.json()["items"] if item["obligation"] == CLOCK]


async def due(client: httpx.AsyncClient) -> str | None:
    return (await placement(client))["due"].get(CLOCK)


def sweep_on(client: httpx.AsyncClient, day: date) -> None:
    client.store.today = lambda: day  # type: ignore[attr-defined]
    client.store.check_deadlines()  # type: ignore[attr-defined]


def passed_published(client: httpx.AsyncClient) -> list[Any]:
    return [data for data in published(client, PASSED) if data.clock == CLOCK]


# -- when it opens -------------------------------------------------------------------------------
async def test_an_emergency_home_start_puts_a_lasting_care_decision_on_the_worklist_six_months_later(
    network_support,
) -> None:
    await network_support.feed(started("jourhem"))
    [item] = await decisions(network_support)
    assert {k: item[k] for k in ("case_id", "due", "responsible_role", "assignee", "action_path")} == {
        "case_id": "C-1",
        "due": SIX_MONTHS_LATER,
        "responsible_role": "case_worker",
        "assignee": "cw-1",
        "action_path": "/api/v1/placements/P-1",
    }
    shown = await placement(network_support)
    assert (shown["due"][CLOCK], shown["temporary_care_since"]) == (SIX_MONTHS_LATER, START)


async def test_a_foster_family_start_opens_no_lasting_care_decision(network_support) -> None:
    await network_support.feed(started("familjehem"))
    shown = await placement(network_support)
    assert (shown["due"].get(CLOCK), shown["temporary_care_since"]) == (None, None)
    assert await decisions(network_support) == []


async def test_a_change_from_a_foster_family_to_an_emergency_home_opens_it_from_the_change_day(
    network_support,
) -> None:
    """Due the same day six months on, or that month's last day: 31 December -> 30 June."""
    await network_support.feed(started("familjehem"))
    await network_support.feed(changed("jourhem", "2026-12-31"))
    assert await due(network_support) == "2027-06-30"
    assert [item["due"] for item in await decisions(network_support)] == ["2027-06-30"]


# -- what keeps it and what closes it ------------------------------------------------------------
async def test_a_move_from_one_emergency_home_to_another_keeps_the_due_date(network_support) -> None:
    await network_support.feed(started("jourhem"))
    await network_support.feed(changed("jourhem", "2026-12-15"))
    assert await due(network_support) == SIX_MONTHS_LATER


async def test_a_change_to_a_foster_family_closes_the_lasting_care_decision_as_met(network_support) -> None:
    await network_support.feed(started("jourhem"))
    await network_support.feed(changed("familjehem", "2026-12-15"))
    shown = await placement(network_support)
    assert CLOCK not in (*shown["due"], *shown["closed"])
    assert (shown["temporary_care_since"], shown["lasting_care_from"]) == (START, "2026-12-15")
    assert await decisions(network_support) == []


async def test_the_placement_ending_closes_the_lasting_care_decision_never_as_missed(network_support) -> None:
    await network_support.feed(started("jourhem"))
    await network_support.feed(ended("2026-12-20"))
    shown = await placement(network_support)
    assert (shown["due"].get(CLOCK), shown["closed"].get(CLOCK)) == (None, "placement_ended")
    assert await decisions(network_support) == []
    sweep_on(network_support, date(2027, 6, 1))
    assert passed_published(network_support) == []


# -- overdue -------------------------------------------------------------------------------------
async def test_the_lasting_care_decision_is_noted_overdue_once_from_the_day_after_it_falls_due(
    network_support,
) -> None:
    await network_support.feed(started("jourhem"))
    sweep_on(network_support, date(2027, 5, 2))
    assert passed_published(network_support) == []
    sweep_on(network_support, date(2027, 5, 3))
    sweep_on(network_support, date(2027, 5, 3))
    [noted] = passed_published(network_support)
    assert (noted.case_id, noted.placement_id) == ("C-1", "P-1")
    assert [item["overdue"] for item in await decisions(network_support)] == [True]
    assert CLOCK in (await placement(network_support))["deadlines_passed"]
    metrics = (await network_support.get("/metrics")).text
    assert f'natverk_follow_up_deadlines_passed_total{{clock="{CLOCK}",municipality="0380"}} 1.0' in metrics


# -- records repeated, late and out of order -----------------------------------------------------
async def test_records_sent_again_keep_one_lasting_care_decision(network_support) -> None:
    await network_support.feed(started("jourhem"))
    await network_support.feed(changed("jourhem", "2026-12-15"))
    await network_support.feed(started("jourhem"))
    await network_support.feed(changed("jourhem", "2026-12-15"))
    assert [item["due"] for item in await decisions(network_support)] == [SIX_MONTHS_LATER]


async def test_a_stale_change_to_an_emergency_home_does_not_reopen_a_decision_already_made(
    network_support,
) -> None:
    """The move between emergency homes on 12-01 arrives after the move to a foster family on 12-15."""
    await network_support.feed(started("jourhem"))
    await network_support.feed(changed("familjehem", "2026-12-15"))
    await network_support.feed(changed("jourhem", "2026-12-01"))
    shown = await placement(network_support)
    assert (shown["due"].get(CLOCK), shown["lasting_care_from"]) == (None, "2026-12-15")
    assert await decisions(network_support) == []


@pytest.mark.parametrize("later_first", [True, False])
async def test_of_two_changes_on_one_day_the_later_one_decides_whatever_order_they_arrive(
    network_support, later_first: bool
) -> None:
    """Moved to a foster family in the morning and back to the emergency home in the afternoon: the
    child is in temporary care still, though the morning's record arrives last."""
    await network_support.feed(started("jourhem"))
    morning = changed("familjehem", "2026-12-15", at="09:00:00+01:00")
    afternoon = changed("jourhem", "2026-12-15", at="15:00:00+01:00")
    for record in (afternoon, morning) if later_first else (morning, afternoon):
        await network_support.feed(record)
    shown = await placement(network_support)
    assert (shown["due"].get(CLOCK), shown["lasting_care_from"]) == (SIX_MONTHS_LATER, None)


async def test_a_start_sent_again_does_not_reopen_a_decision_already_made(network_support) -> None:
    await network_support.feed(started("jourhem"))
    await network_support.feed(changed("familjehem", "2026-12-15"))
    await network_support.feed(started("jourhem"))
    shown = await placement(network_support)
    assert (shown["due"].get(CLOCK), shown["lasting_care_from"]) == (None, "2026-12-15")
    assert await decisions(network_support) == []


async def test_a_child_moved_back_into_an_emergency_home_gets_a_new_decision_due_from_that_day(
    network_support,
) -> None:
    await network_support.feed(started("jourhem"))
    await network_support.feed(changed("familjehem", "2026-12-15"))
    await network_support.feed(changed("jourhem", "2027-01-05"))
    assert [item["due"] for item in await decisions(network_support)] == ["2027-07-05"]


async def test_a_change_to_a_foster_family_that_arrives_before_its_start_leaves_no_decision_open(
    network_support,
) -> None:
    await network_support.feed(changed("familjehem", "2026-12-15"))
    await network_support.feed(started("jourhem"))
    shown = await placement(network_support)
    assert (shown["due"].get(CLOCK), shown["lasting_care_from"]) == (None, "2026-12-15")
    assert "parent_support" in shown["due"]  # the start's own clocks opened with it


async def test_a_start_dated_anew_moves_the_lasting_care_decision_with_it(network_support) -> None:
    await network_support.feed(started("jourhem", start="2027-11-02"))  # a year ahead, by mistake
    await network_support.feed(started("jourhem"))
    assert await due(network_support) == SIX_MONTHS_LATER


async def test_a_decision_noted_overdue_and_then_made_late_stays_noted_and_is_not_noted_again(
    network_support,
) -> None:
    await network_support.feed(started("jourhem"))
    sweep_on(network_support, date(2027, 5, 3))
    await network_support.feed(changed("familjehem", "2027-05-10"))
    sweep_on(network_support, date(2027, 5, 11))
    shown = await placement(network_support)
    assert (CLOCK in shown["due"], CLOCK in shown["deadlines_passed"]) == (False, True)
    assert len(passed_published(network_support)) == 1


# -- follow-ups stored before the records' types were kept ---------------------------------------
def store_old_emergency_home_follow_up(client: httpx.AsyncClient) -> None:
    """P-1's follow-up as the code before this clock stored a jourhem start: its ``Opened`` without
    ``types_kept``, and no type of the changes that followed (they were not kept then)."""
    store = client.store  # type: ignore[attr-defined]
    opened = PlacementFollowUp(
        municipality="0380",
        case_id="C-1",
        placement_id="P-1",
        placement_type="jourhem",
        started_on=date.fromisoformat(START),
        school_change=False,
        case_worker_id="cw-1",
    ).collect_events()
    stored = store.mapper.to_stored_event(opened[0])
    state = json.loads(stored.state)
    del state["types_kept"]
    store.recorder.insert_events([dataclasses.replace(stored, state=json.dumps(state).encode())])


async def test_a_follow_up_stored_before_types_were_kept_has_no_decision_due_until_a_change_says_its_type(
    network_support,
) -> None:
    """Its jourhem start may long since have been changed to a foster family (a change then kept no
    type): an overdue item and a published miss on every such placement would be false."""
    store_old_emergency_home_follow_up(network_support)
    sweep_on(network_support, date(2027, 6, 1))
    assert (await due(network_support), await decisions(network_support)) == (None, [])
    assert passed_published(network_support) == []


async def test_a_follow_up_stored_before_types_were_kept_runs_from_its_start_once_a_change_says_jourhem(
    network_support,
) -> None:
    store_old_emergency_home_follow_up(network_support)
    await network_support.feed(changed("jourhem", "2026-12-15"))
    assert [item["due"] for item in await decisions(network_support)] == [SIX_MONTHS_LATER]


def store_change_without_its_time(client: httpx.AsyncClient) -> None:
    """P-1's jourhem start and a jourhem change on 2026-12-15 as the code before stored them: a
    ``TypeSaid`` without ``said_at`` (the change's time was not kept then)."""
    store = client.store  # type: ignore[attr-defined]
    follow_up = PlacementFollowUp(
        municipality="0380",
        case_id="C-1",
        placement_id="P-1",
        placement_type="jourhem",
        started_on=date.fromisoformat(START),
        school_change=False,
        case_worker_id="cw-1",
        types_kept=True,
    )
    follow_up.say_type("jourhem", date(2026, 12, 15), date(2027, 1, 10))
    opened, type_said = (store.mapper.to_stored_event(done) for done in follow_up.collect_events())
    state = json.loads(type_said.state)
    del state["said_at"]
    old = dataclasses.replace(type_said, state=json.dumps(state).encode())
    store.recorder.insert_events([opened, old])


async def test_a_change_stored_without_its_time_gives_way_to_one_of_its_day_arriving_after(
    network_support,
) -> None:
    """It ranks by arrival, as it was applied: a change of its day that comes after it decides."""
    store_change_without_its_time(network_support)
    assert await due(network_support) == SIX_MONTHS_LATER
    await network_support.feed(changed("familjehem", "2026-12-15", at="09:00:00+01:00"))
    shown = await placement(network_support)
    assert (shown["due"].get(CLOCK), shown["lasting_care_from"]) == (None, "2026-12-15")
