"""A return home told among other placements of the case, in whatever order the case system sends
them (ADR 0033 addendum, 2026-12-05): a child who is in another placement on or after the day an
end sent them home is not home, so no follow-up stays open for them, none is noted missed, and the
processes come out the same in every order.  Placement records through the kit's real tracking
consumer; the processes and the worklist read over HTTP with a JWT."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from itertools import permutations
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import PLACEMENTS
from services.network_support.inbound import consumers
from tests.component.conftest import network_support_fed, service_app
from tests.support.events import cloud_event, encode, placement_data, placement_started
from tests.support.fetched import FakeMessage, FakeRecord, in_process_consumer
from tests.support.tokens import bearer
from tests.support.worklists import published

WORKER = bearer("0380", ("case_worker",))
HOMES = "/api/v1/cases/C-1/home-returns"
OVERDUE = "se.natverk.home_return.follow_up_overdue.v1"
PLACED_AGAIN = "the child was placed again"
WENT_HOME = "2026-11-25"  # P-1 (begun 2026-06-01) ends with the child home


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The service, today 2026-12-03, with ``feed`` handing its placements consumer a CloudEvent."""
    async with network_support_fed(tmp_path, date(2026, 12, 3)) as client:
        yield client


def ended(placement_id: str, start: str, end: str, reason: str) -> dict[str, Any]:
    data = placement_data("C-1", placement_id, start_date=start, end_date=end, end_reason=reason)
    return cloud_event("se.placement.ended.v1", data)


def home_from_p1() -> dict[str, Any]:
    return ended("P-1", "2026-06-01", WENT_HOME, "home_return")


def p2_started(start: str) -> dict[str, Any]:
    return placement_started("C-1", "P-2", start_date=start)


def p2_ended(start: str, end: str, reason: str = "breakdown") -> dict[str, Any]:
    return ended("P-2", start, end, reason)


async def outcome(client: httpx.AsyncClient) -> tuple[list[tuple[Any, ...]], list[str]]:
    """Each process's phase, last phase and reason; and the follow-ups the worklist lists (due days)."""
    answer = await client.get(HOMES, headers=WORKER)
    assert answer.status_code == 200, answer.text
    processes = [(p["phase"], *p["phases"][-1], p["reason"]) for p in answer.json()["processes"]]
    listed = await client.get("/api/v1/worklist", headers=WORKER, params={"limit": 200})
    assert listed.status_code == 200, listed.text
    dues = [i["due"] for i in listed.json()["items"] if i["obligation"] == "home_return_follow_up"]
    return processes, dues


BROKEN_ON_THE_NEW_START = ([("broken_off", "broken_off", "2026-12-01", PLACED_AGAIN)], [])
BROKEN_ON_THE_RETURN = ([("broken_off", "broken_off", WENT_HOME, PLACED_AGAIN)], [])
FOLLOWED_UP = ([("follow_up", "follow_up", WENT_HOME, None)], ["2026-12-25"])
SCENARIOS = {
    # placed again after the return: the return did not last
    "placed_again_later": ([home_from_p1(), p2_started("2026-12-01")], BROKEN_ON_THE_NEW_START),
    # placed again the very day the child went home: never home for a night
    "placed_again_the_same_day": (
        [home_from_p1(), p2_started(WENT_HOME)],
        ([("broken_off", "broken_off", WENT_HOME, PLACED_AGAIN)], []),
    ),
    # P-2 ran across the day P-1 ended: the child was in P-2, not home
    "in_another_placement_across_the_return": (
        [home_from_p1(), p2_started("2026-11-01"), p2_ended("2026-11-01", "2026-12-02")],
        BROKEN_ON_THE_RETURN,
    ),
    # P-2 ended the day P-1 did: by then the child was home
    "another_placement_over_by_the_return": (
        [home_from_p1(), p2_started("2026-11-01"), p2_ended("2026-11-01", WENT_HOME)],
        FOLLOWED_UP,
    ),
}


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        pytest.param(list(order), expected, id=f"{name}-{'-'.join(str(records.index(r)) for r in order)}")
        for name, (records, expected) in SCENARIOS.items()
        for order in permutations(records)
    ],
)
async def test_a_return_home_among_other_placements_comes_out_the_same_in_every_order(
    network_support, records: list[dict[str, Any]], expected: tuple[Any, ...]
) -> None:
    for record in records:
        await network_support.feed(record)
    assert await outcome(network_support) == expected


async def test_a_new_placements_start_told_before_the_end_that_sent_the_child_home_leaves_no_follow_up_to_miss(
    network_support,
) -> None:
    """The closing note of 2026-12-05: P-2's start came first, so P-1's end opened a follow-up that
    stayed listed, and was noted missed, for a child placed since 2026-12-01."""
    await network_support.feed(p2_started("2026-12-01"))
    await network_support.feed(home_from_p1())
    await network_support.feed(home_from_p1())  # sent again: nothing reopens
    service_app(network_support).today = lambda: date(2027, 1, 30)  # long past a follow-up's due day
    assert service_app(network_support).check_home_return_follow_ups() == 0
    assert published(network_support, OVERDUE) == []
    assert await outcome(network_support) == BROKEN_ON_THE_NEW_START


async def test_a_new_placements_start_in_the_same_batch_as_the_end_that_sent_the_child_home_is_found(
    network_support,
) -> None:
    """One fetched batch is one unit of work: P-2's follow-up, opened by the first record, is not
    stored yet when P-1's end looks for the case's placements."""
    store = service_app(network_support)
    [placements] = [spec for spec in consumers(store) if spec.topic == PLACEMENTS]
    consumer, _ = in_process_consumer(store, placements, "placement-records")
    values = [encode(p2_started("2026-12-01")), encode(home_from_p1())]
    records = tuple(FakeRecord(value, offset=n) for n, value in enumerate(values, 1))
    await consumer.handle(values, FakeMessage(records))  # type: ignore[arg-type]
    assert await outcome(network_support) == BROKEN_ON_THE_NEW_START


@pytest.mark.parametrize("order", list(permutations(range(3))))
async def test_a_child_in_another_placement_across_the_return_is_followed_up_from_that_placements_return(
    network_support, order: tuple[int, ...]
) -> None:
    """P-2 ran across P-1's end and itself ended with the child home: the one follow-up open is from
    P-2's end in every order (the processes before it may differ: a return told after a later one
    is not numbered before it)."""
    records = [home_from_p1(), p2_started("2026-11-01"), p2_ended("2026-11-01", "2026-12-02", "home_return")]
    for n in order:
        await network_support.feed(records[n])
    processes, dues = await outcome(network_support)
    assert (processes[-1][:3], dues) == (("follow_up", "follow_up", "2026-12-02"), ["2027-01-01"])
