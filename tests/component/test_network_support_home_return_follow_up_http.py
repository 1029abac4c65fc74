"""The follow-up after a child goes home (DOMAIN.md: "at home return, the Centre works with parents,
child and network for a lasting reunification"), and the parents' crisis support when a child is
placed again.  The case system's placement records through the kit's real tracking consumer; the
home-return process and the placements read and moved over HTTP with a JWT."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.component.conftest import network_support_fed
from tests.support.events import cloud_event, placement_data, placement_started
from tests.support.tokens import bearer
from tests.support.worklists import published

WORKER = bearer("0380", ("case_worker",))
TODAY = date(2026, 12, 3)
HOME, HOMES = "/api/v1/cases/C-1/home-return", "/api/v1/cases/C-1/home-returns"
PLACED_AGAIN = "the child was placed again"


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The service, today 2026-12-03, with ``feed`` handing its placements consumer a CloudEvent."""
    async with network_support_fed(tmp_path, date(2026, 12, 3)) as client:
        yield client


def started(placement_id: str, start: str) -> dict[str, Any]:
    return placement_started("C-1", placement_id, start_date=start)


def ended(placement_id: str, start: str, end: str, reason: str = "home_return") -> dict[str, Any]:
    data = placement_data("C-1", placement_id, start_date=start, end_date=end, end_reason=reason)
    return cloud_event("se.placement.ended.v1", data)


async def move(client: httpx.AsyncClient, phase: str, on: str, **extra: str) -> httpx.Response:
    return await client.post(HOME, headers=WORKER, json={"phase": phase, "on": on, **extra})


async def processes(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    answer = await client.get(HOMES, headers=WORKER)
    assert answer.status_code == 200, answer.text
    return answer.json()["processes"]


async def a_trial_at_home_ended_by_the_case_system(client: httpx.AsyncClient) -> None:
    """Prepared and tried at home while placed in P-1; the case system ends P-1: the child is home."""
    await client.feed(started("P-1", "2026-06-01"))
    await move(client, "preparation", "2026-10-01")
    await move(client, "trial", "2026-11-10")
    await client.feed(ended("P-1", "2026-06-01", "2026-11-25"))


async def test_a_placement_ended_with_the_child_home_moves_the_process_into_its_follow_up(
    network_support,
) -> None:
    await a_trial_at_home_ended_by_the_case_system(network_support)
    [process] = await processes(network_support)
    assert (process["phase"], process["outcome"]) == ("follow_up", None)
    assert process["phases"] == [
        ["preparation", "2026-10-01"],
        ["trial", "2026-11-10"],
        ["follow_up", "2026-11-25"],
    ]
    phases = [
        (e.phase, str(e.on)) for e in published(network_support, "se.natverk.home_return.phase_changed.v1")
    ]
    assert phases[-1] == ("follow_up", "2026-11-25")


async def test_staff_complete_the_follow_up_after_the_child_went_home_when_it_is_done(
    network_support,
) -> None:
    await a_trial_at_home_ended_by_the_case_system(network_support)
    completed = await move(network_support, "completed", "2026-12-02")
    assert completed.status_code == 200, completed.text
    assert (completed.json()["outcome"], completed.json()["phases"][-1]) == (
        "completed",
        ["completed", "2026-12-02"],
    )


async def test_staff_break_off_the_follow_up_after_the_child_went_home_with_a_reason(network_support) -> None:
    await a_trial_at_home_ended_by_the_case_system(network_support)
    broken = await move(network_support, "broken_off", "2026-12-01", reason="The parents moved away")
    assert broken.status_code == 200, broken.text
    assert (broken.json()["outcome"], broken.json()["reason"]) == ("broken_off", "The parents moved away")


async def test_a_return_home_without_a_process_opens_one_retroactively_in_its_follow_up(
    network_support,
) -> None:
    await network_support.feed(ended("P-1", "2026-06-01", "2026-11-25"))
    [process] = await processes(network_support)
    assert (process["phase"], process["retroactive"], process["outcome"]) == ("follow_up", True, None)
    completed = await move(network_support, "completed", "2026-12-02")
    assert completed.status_code == 200, completed.text


async def test_a_return_home_delivered_again_after_its_follow_up_was_completed_changes_nothing(
    network_support,
) -> None:
    await a_trial_at_home_ended_by_the_case_system(network_support)
    await move(network_support, "completed", "2026-12-02")
    await network_support.feed(ended("P-1", "2026-06-01", "2026-11-25"))  # the case system sends it again
    [process] = await processes(network_support)
    assert (process["outcome"], process["phases"][-1]) == ("completed", ["completed", "2026-12-02"])


async def test_a_process_already_in_follow_up_when_the_child_goes_home_keeps_its_own_day(
    network_support,
) -> None:
    await network_support.feed(started("P-1", "2026-06-01"))
    await move(network_support, "follow_up", "2026-11-20")
    await network_support.feed(ended("P-1", "2026-06-01", "2026-11-25"))
    [process] = await processes(network_support)
    assert process["phases"] == [["preparation", "2026-11-20"], ["follow_up", "2026-11-20"]]


async def test_staff_open_a_process_in_its_follow_up_for_a_child_already_home(network_support) -> None:
    """The return home was not recorded here (its placement ended before this service listened)."""
    opened = await network_support.post(
        HOMES, headers=WORKER, json={"phase": "follow_up", "on": "2026-11-20"}
    )
    assert (opened.status_code, opened.json()["phase"]) == (201, "follow_up")


@pytest.mark.parametrize("reason", ["breakdown", "re_placement", "age_out", "other"])
async def test_a_placement_ended_otherwise_leaves_the_process_where_it_was(
    network_support, reason: str
) -> None:
    await network_support.feed(started("P-1", "2026-06-01"))
    await move(network_support, "trial", "2026-11-10")
    await network_support.feed(ended("P-1", "2026-06-01", "2026-11-25", reason))
    [process] = await processes(network_support)
    assert (process["phase"], process["phases"][-1]) == ("trial", ["trial", "2026-11-10"])


async def test_a_child_placed_again_after_going_home_breaks_off_the_follow_up_and_a_new_process_can_open(
    network_support,
) -> None:
    await network_support.feed(ended("P-1", "2026-06-01", "2026-09-01"))
    await network_support.feed(started("P-2", "2026-11-01"))
    [process] = await processes(network_support)
    assert (process["outcome"], process["reason"]) == ("broken_off", PLACED_AGAIN)
    assert process["phases"][-1] == ["broken_off", "2026-11-01"]
    opened = await network_support.post(
        HOMES, headers=WORKER, json={"phase": "preparation", "on": "2026-11-20"}
    )
    assert (opened.status_code, opened.json()["number"]) == (201, 2)


async def test_a_second_return_home_breaks_off_the_first_follow_up_and_follows_up_the_second(
    network_support,
) -> None:
    """Neither start was seen: the second placement's end still tells that the child was placed again."""
    await network_support.feed(ended("P-1", "2026-01-10", "2026-04-01"))
    await network_support.feed(ended("P-2", "2026-06-01", "2026-11-01"))
    await network_support.feed(ended("P-1", "2026-01-10", "2026-04-01"))  # redelivered: no third process
    first, second = await processes(network_support)
    assert (first["outcome"], first["reason"], first["phases"][-1]) == (
        "broken_off",
        PLACED_AGAIN,
        ["broken_off", "2026-06-01"],
    )
    assert (second["number"], second["phase"], second["retroactive"]) == (2, "follow_up", True)
    assert second["phases"][-1] == ["follow_up", "2026-11-01"]


@pytest.mark.parametrize("reason", ["breakdown", "re_placement", "age_out", "other"])
async def test_a_follow_up_opened_after_the_next_placement_started_is_broken_off_when_that_placement_ends(
    network_support, reason: str
) -> None:
    """Out of order: P-2's start arrives before P-1's end took the child home; that end finds P-2
    and breaks its follow-up off at once, and P-2's end, whatever its reason, leaves it so."""
    await network_support.feed(started("P-1", "2026-06-01"))
    await move(network_support, "preparation", "2026-10-01")
    await move(network_support, "trial", "2026-11-10")
    await network_support.feed(started("P-2", "2026-11-28"))
    await network_support.feed(ended("P-1", "2026-06-01", "2026-11-25"))
    await network_support.feed(ended("P-2", "2026-11-28", "2026-12-01", reason))
    [process] = await processes(network_support)
    assert (process["outcome"], process["reason"]) == ("broken_off", PLACED_AGAIN)
    assert process["phases"][-1] == ["broken_off", "2026-11-28"]


async def test_a_placement_begun_before_the_follow_up_ending_otherwise_leaves_it_open(
    network_support,
) -> None:
    """The follow-up moved by hand while P-1 ran: P-1's breakdown is not a new placement of the child."""
    await network_support.feed(started("P-1", "2026-06-01"))
    await move(network_support, "follow_up", "2026-11-20")
    await network_support.feed(ended("P-1", "2026-06-01", "2026-11-25", "breakdown"))
    [process] = await processes(network_support)
    assert (process["phase"], process["phases"][-1]) == ("follow_up", ["follow_up", "2026-11-20"])


# -- a child placed again: the parents are in crisis again (DOMAIN.md: crisis support at placement) --
async def parent_support_due(client: httpx.AsyncClient, placement_id: str) -> str | None:
    answer = await client.get(f"/api/v1/placements/{placement_id}", headers=WORKER)
    assert answer.status_code == 200, answer.text
    return answer.json()["due"].get("parent_support")


async def parent_support_on_the_worklist(client: httpx.AsyncClient) -> list[str]:
    answer = await client.get("/api/v1/worklist", headers=WORKER)
    assert answer.status_code == 200, answer.text
    return [i["action_path"] for i in answer.json()["items"] if i["obligation"] == "parent_support"]


@pytest.mark.parametrize("reason", ["breakdown", "re_placement", "home_return"])
async def test_a_child_placed_again_opens_the_parents_crisis_support_clock_anew(
    network_support, reason: str
) -> None:
    await network_support.feed(started("P-1", "2026-11-01"))
    offered = await network_support.post(
        "/api/v1/placements/P-1/parent-support/offers", headers=WORKER, json={"on": "2026-11-02"}
    )
    assert offered.status_code == 200, offered.text
    await network_support.feed(ended("P-1", "2026-11-01", "2026-11-25", reason))
    await network_support.feed(started("P-2", "2026-11-28"))
    assert await parent_support_due(network_support, "P-2") == "2026-12-05"
    assert await parent_support_on_the_worklist(network_support) == [
        "/api/v1/placements/P-2/parent-support/offers"
    ]
