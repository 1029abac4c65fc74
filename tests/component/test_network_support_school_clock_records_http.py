"""One school change, one school clock: what a case system's repeated and corrected placement
records leave of a placement's school clock, through the kit's real tracking consumer, read over
HTTP with a JWT (the placement, the worklist and the SAMS report)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.component.conftest import network_support_fed
from tests.support.events import cloud_event, placement_data
from tests.support.tokens import bearer

WORKER = bearer("0380", ("case_worker",))
COORDINATOR = bearer("0380", ("coordinator",), subject="coordinator-1")
START = "2026-11-02"


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The service, today 2026-12-03, with ``feed`` handing its placements consumer a CloudEvent."""
    async with network_support_fed(tmp_path, date(2026, 12, 3)) as client:
        yield client


def started(school_change: bool) -> dict[str, Any]:
    """A start of P-1 (case C-1), each one sent with a new event id, as the case system re-sends."""
    data = placement_data("C-1", "P-1", start_date=START, school_change=school_change)
    return cloud_event("se.placement.started.v1", data)


def changed(on: str, school_change: bool = True) -> dict[str, Any]:
    """A change of P-1 made on ``on`` (its CloudEvent's time), with a new event id each time."""
    data = placement_data("C-1", "P-1", start_date=START, school_change=school_change)
    return cloud_event("se.placement.changed.v1", data, time=f"{on}T10:00:00Z")


async def school_started(client: httpx.AsyncClient, on: str) -> None:
    answer = await client.post("/api/v1/placements/P-1/school-start", json={"on": on}, headers=WORKER)
    assert answer.status_code == 200, answer.text


async def placement(client: httpx.AsyncClient) -> dict[str, Any]:
    answer = await client.get("/api/v1/placements/P-1", headers=WORKER)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def school_duties(client: httpx.AsyncClient) -> int:
    answer = await client.get("/api/v1/worklist", headers=WORKER)
    assert answer.status_code == 200, answer.text
    return sum(item["obligation"] == "school_start" for item in answer.json()["items"])


async def sams(client: httpx.AsyncClient) -> dict[str, Any]:
    answer = await client.get(
        "/api/v1/reports/school-start", params={"month": "2026-11"}, headers=COORDINATOR
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def clocks(report: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(row["placed_on"], row["school_started_on"]) for row in report["rows"]]


# -- a school change sent again -------------------------------------------------------------------
async def test_a_change_repeating_the_school_change_while_its_clock_is_open_keeps_one_clock(
    network_support,
) -> None:
    await network_support.feed(started(school_change=True))
    await network_support.feed(changed("2026-11-10"))
    await network_support.feed(changed("2026-11-10"))
    assert (await placement(network_support))["due"]["school_start"] == "2026-11-09"
    assert await school_duties(network_support) == 1
    assert clocks(await sams(network_support)) == [(START, None)]


async def test_a_change_sent_again_after_the_child_started_school_opens_no_second_school_clock(
    network_support,
) -> None:
    """The case system re-sent the change that moved the child's school, with a new event id,
    after staff recorded the school start: the same school change, already met."""
    await network_support.feed(started(school_change=False))
    await network_support.feed(changed("2026-11-10"))
    await school_started(network_support, "2026-11-14")
    await network_support.feed(changed("2026-11-10"))
    assert "school_start" not in (await placement(network_support))["due"]
    assert await school_duties(network_support) == 0
    assert clocks(await sams(network_support)) == [("2026-11-10", "2026-11-14")]


async def test_a_school_change_made_after_the_child_started_school_opens_a_new_clock(
    network_support,
) -> None:
    await network_support.feed(started(school_change=True))
    await school_started(network_support, "2026-11-05")
    await network_support.feed(changed("2026-11-20"))
    assert (await placement(network_support))["due"]["school_start"] == "2026-11-27"
    assert clocks(await sams(network_support)) == [(START, "2026-11-05"), ("2026-11-20", None)]


# -- a start corrected to no change of school ------------------------------------------------------
async def test_a_start_sent_again_saying_no_school_change_withdraws_the_open_school_clock(
    network_support,
) -> None:
    """Its week passed (noted overdue) with nothing recorded: the clock was never due, so it is
    neither met nor missed, and no one is asked to act on it."""
    await network_support.feed(started(school_change=True))
    network_support.store.check_deadlines()
    await network_support.feed(started(school_change=False))
    shown = await placement(network_support)
    assert "school_start" not in (*shown["due"], *shown["deadlines_passed"])
    assert await school_duties(network_support) == 0
    report = await sams(network_support)
    assert (clocks(report), report["share_within_week"]) == ([], None)


async def test_a_start_sent_again_saying_no_school_change_leaves_a_recorded_school_start_as_it_was(
    network_support,
) -> None:
    await network_support.feed(started(school_change=True))
    await school_started(network_support, "2026-11-05")
    await network_support.feed(started(school_change=False))
    assert (await placement(network_support))["school_started_on"] == "2026-11-05"
    assert clocks(await sams(network_support)) == [(START, "2026-11-05")]


async def test_a_start_sent_again_saying_no_school_change_leaves_the_clock_a_change_opened(
    network_support,
) -> None:
    """The change moved the child's school on the day the placement began: the start speaks of
    the start alone, and the change's clock stays."""
    await network_support.feed(started(school_change=False))
    await network_support.feed(changed(START))
    await network_support.feed(started(school_change=False))
    assert (await placement(network_support))["due"]["school_start"] == "2026-11-09"
    assert await school_duties(network_support) == 1


# -- a start corrected to none after a change said a school change of its own ---------------------
async def test_a_start_corrected_to_no_school_change_leaves_the_school_change_a_later_change_said(
    network_support,
) -> None:
    """The change said the child's school changed on 11-10 while the start's clock was open: a
    school change of its own.  The start corrected to none leaves the clock the change would have
    opened had the start never said one: from the change's day, on the worklist and in SAMS."""
    await network_support.feed(started(school_change=True))
    await network_support.feed(changed("2026-11-10"))
    await network_support.feed(started(school_change=False))
    assert (await placement(network_support))["due"]["school_start"] == "2026-11-17"
    assert await school_duties(network_support) == 1
    assert clocks(await sams(network_support)) == [("2026-11-10", None)]


async def test_a_start_corrected_to_no_school_change_leaves_the_clock_from_the_first_change_that_said_one(
    network_support,
) -> None:
    """Had the start said none, the first change would have opened the clock and the next one
    repeated it: so the clock runs from the first one's day."""
    await network_support.feed(started(school_change=True))
    await network_support.feed(changed("2026-11-10"))
    await network_support.feed(changed("2026-11-12"))
    await network_support.feed(started(school_change=False))
    assert (await placement(network_support))["due"]["school_start"] == "2026-11-17"
    assert clocks(await sams(network_support)) == [("2026-11-10", None)]


async def test_the_school_clock_a_change_said_is_overdue_and_missed_from_its_own_week(
    network_support,
) -> None:
    """The start's clock was noted overdue, then withdrawn: the change's clock, from 11-10, passed
    its week too (2026-12-03 is today), so it is overdue and SAMS counts it missed."""
    await network_support.feed(started(school_change=True))
    await network_support.feed(changed("2026-11-10"))
    network_support.store.check_deadlines()
    await network_support.feed(started(school_change=False))
    network_support.store.check_deadlines()
    assert "school_start" in (await placement(network_support))["deadlines_passed"]
    report = await sams(network_support)
    assert (clocks(report), report["share_within_week"]) == ([("2026-11-10", None)], 0.0)
