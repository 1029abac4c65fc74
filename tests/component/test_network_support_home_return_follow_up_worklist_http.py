"""The follow-up after a child went home is on the worklist (ADR 0033 addendum, 2026-12-05): due 30
days after the follow-up began, overdue from the day after, noted once by the sweep when missed,
and gone once staff complete the process or it is broken off.  Placement records through the kit's
real tracking consumer; the worklist and the process read and moved over HTTP with a JWT."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from contracts.generate import SCHEMA_DIR
from contracts.topics import NETWORK_SUPPORT
from tests.component.conftest import network_support_fed, service_app
from tests.support.events import cloud_event, placement_data, placement_started
from tests.support.tokens import bearer
from tests.support.worklists import published

WORKER = bearer("0380", ("case_worker",))
OBLIGATION = "home_return_follow_up"
OVERDUE = "se.natverk.home_return.follow_up_overdue.v1"
HOME = "/api/v1/cases/C-1/home-return"
WENT_HOME, DUE = "2026-11-25", date(2026, 12, 25)  # 30 days after the follow-up began


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The service, today 2026-12-03, with ``feed`` handing its placements consumer a CloudEvent."""
    async with network_support_fed(tmp_path, date(2026, 12, 3)) as client:
        yield client


def ended(placement_id: str, end: str, **extra: Any) -> dict[str, Any]:
    """A return home from ``placement_id`` (case C-1, begun 2026-06-01), a new event id each time sent."""
    data = placement_data(
        "C-1", placement_id, start_date="2026-06-01", end_date=end, end_reason="home_return", **extra
    )
    return cloud_event("se.placement.ended.v1", data)


async def move(client: httpx.AsyncClient, phase: str, on: str, **extra: str) -> None:
    answer = await client.post(HOME, headers=WORKER, json={"phase": phase, "on": on, **extra})
    assert answer.status_code == 200, answer.text


async def follow_ups(client: httpx.AsyncClient, token: dict[str, str] = WORKER) -> list[dict[str, Any]]:
    answer = await client.get("/api/v1/worklist", headers=token, params={"limit": 200})
    assert answer.status_code == 200, answer.text
    return [item for item in answer.json()["items"] if item["obligation"] == OBLIGATION]


async def gone_home(client: httpx.AsyncClient, **child: Any) -> None:
    """Prepared while placed in P-1; the case system ends P-1 with the child home on WENT_HOME: the
    follow-up is on the worklist."""
    await client.feed(placement_started("C-1", "P-1", start_date="2026-06-01"))
    await move(client, "preparation", "2026-10-01")
    await client.feed(ended("P-1", WENT_HOME, **child))
    assert [item["due"] for item in await follow_ups(client)] == [str(DUE)]


def sweep_on(client: httpx.AsyncClient, day: date) -> int:
    service_app(client).today = lambda: day
    return service_app(client).check_home_return_follow_ups()


async def test_a_child_gone_home_puts_the_follow_up_on_the_worklist_due_thirty_days_after_the_return(
    network_support,
) -> None:
    await gone_home(network_support)
    assert await follow_ups(network_support) == [
        {
            "case_id": "C-1",
            "obligation": OBLIGATION,
            "due": str(DUE),
            "overdue": False,
            "responsible_role": "network_centre",
            "assignee": None,
            "action_path": HOME,
        }
    ]
    assert (await network_support.get(HOME, headers=WORKER)).json()["follow_up_due"] == str(DUE)


async def test_a_follow_up_moved_by_hand_is_due_thirty_days_after_its_own_day(network_support) -> None:
    """The case system's end arriving later keeps the day staff gave: it neither moves nor doubles it."""
    await network_support.feed(placement_started("C-1", "P-1", start_date="2026-06-01"))
    await move(network_support, "follow_up", "2026-11-20")
    await network_support.feed(ended("P-1", WENT_HOME))
    await network_support.feed(ended("P-1", WENT_HOME))  # sent again
    assert [item["due"] for item in await follow_ups(network_support)] == ["2026-12-20"]


async def test_the_follow_up_leaves_the_worklist_when_staff_complete_it_and_the_end_sent_again_keeps_it_off(
    network_support,
) -> None:
    await gone_home(network_support)
    await move(network_support, "completed", "2026-12-02")
    await network_support.feed(ended("P-1", WENT_HOME))
    assert await follow_ups(network_support) == []
    assert sweep_on(network_support, DUE + timedelta(days=1)) == 0


async def test_the_follow_up_leaves_the_worklist_when_staff_break_the_process_off(network_support) -> None:
    await gone_home(network_support)
    await move(network_support, "broken_off", "2026-12-01", reason="The family moved away")
    assert await follow_ups(network_support) == []


async def test_the_follow_up_leaves_the_worklist_when_the_child_is_placed_again(network_support) -> None:
    await gone_home(network_support)
    await network_support.feed(placement_started("C-1", "P-2", start_date="2026-12-01"))
    assert await follow_ups(network_support) == []


async def test_a_return_home_told_after_the_child_was_placed_again_puts_no_follow_up_on_the_worklist(
    network_support,
) -> None:
    """Out of order: staff moved the process into its follow-up, P-2's start broke it off, and only
    then did P-1's end say the child went home: that return was followed, and broken off, already."""
    await network_support.feed(placement_started("C-1", "P-1", start_date="2026-06-01"))
    await move(network_support, "follow_up", "2026-11-20")
    await network_support.feed(placement_started("C-1", "P-2", start_date="2026-11-28"))
    await network_support.feed(ended("P-1", "2026-11-20"))
    processes = (await network_support.get(f"{HOME}s", headers=WORKER)).json()["processes"]
    assert [p["outcome"] for p in processes] == ["broken_off"]
    assert await follow_ups(network_support) == []


async def test_a_missed_follow_up_turns_overdue_and_is_published_once_naming_the_case_only(
    network_support,
) -> None:
    await gone_home(network_support)
    assert sweep_on(network_support, DUE) == 0  # due on its day, overdue from the day after
    assert sweep_on(network_support, DUE + timedelta(days=1)) == 1
    assert sweep_on(network_support, DUE + timedelta(days=2)) == 0
    await network_support.feed(ended("P-1", WENT_HOME))  # sent again: not noted again
    assert sweep_on(network_support, DUE + timedelta(days=3)) == 0
    [item] = await follow_ups(network_support)
    assert (item["due"], item["overdue"]) == (str(DUE), True)
    [overdue] = published(network_support, OVERDUE)
    assert overdue.model_dump(mode="json") == {
        "case_id": "C-1",
        "municipality": "0380",
        "number": 1,
        "due": str(DUE),
        "responsible_role": "network_centre",
    }
    schema = json.loads((SCHEMA_DIR / f"{OVERDUE}.json").read_text())
    jsonschema.validate(cloud_event(OVERDUE, overdue.model_dump(mode="json"), source="/natverk/x"), schema)
    metrics = (await network_support.get("/metrics")).text
    assert 'natverk_home_return_follow_ups_overdue_total{municipality="0380"} 1.0' in metrics


async def test_a_protected_childs_missed_follow_up_is_published_on_the_internal_topic_only(
    network_support,
) -> None:
    await gone_home(network_support, protected_identity=True)
    assert sweep_on(network_support, DUE + timedelta(days=1)) == 1
    runtime = network_support.app.state.runtime
    store = runtime.app
    topics = {
        outgoing.topic
        for notification in store.recorder.select_notifications(1, 10_000)
        for outgoing in runtime.publication.translate(store.mapper.to_domain_event(notification))
        if outgoing.event_type == OVERDUE
    }
    assert topics == {NETWORK_SUPPORT}


async def test_where_the_municipality_has_no_network_centre_the_follow_up_is_the_case_workers(
    network_support,
) -> None:
    await network_support.feed(ended("P-1", WENT_HOME, municipality="1980"))
    token = bearer("1980", ("case_worker",))
    assert [item["responsible_role"] for item in await follow_ups(network_support, token)] == ["case_worker"]
    assert sweep_on(network_support, DUE + timedelta(days=1)) == 1
    assert published(network_support, OVERDUE)[0].responsible_role == "case_worker"


async def test_a_child_placed_again_and_sent_home_the_same_day_gets_a_new_follow_up(network_support) -> None:
    """The placement that broke the follow-up off ends the same day with the child home: its own end
    is a new return home, not an earlier placement's told late."""
    await gone_home(network_support)  # process 1 in its follow-up since 2026-11-25
    await network_support.feed(placement_started("C-1", "P-2", start_date="2026-12-01"))
    assert await follow_ups(network_support) == []  # broken off: placed again
    data = placement_data(
        "C-1", "P-2", start_date="2026-12-01", end_date="2026-12-01", end_reason="home_return"
    )
    await network_support.feed(cloud_event("se.placement.ended.v1", data))
    assert [item["due"] for item in await follow_ups(network_support)] == ["2026-12-31"]


@pytest.mark.parametrize(
    "counter",
    ["natverk_home_return_follow_ups_overdue_total", "natverk_safety_plan_follow_ups_overdue_total"],
)
async def test_the_overdue_follow_up_counters_are_exported_from_zero_before_their_first_note(
    network_support, counter: str
) -> None:
    """Else a municipality's first missed follow-up is its series' first sample, which ``increase()``,
    and so the alert on it, never sees."""
    metrics = (await network_support.get("/metrics")).text
    assert {f'{counter}{{municipality="{m}"}} 0.0' for m in ("0380", "1980", "2180")} <= set(
        metrics.splitlines()
    )
