"""Two scheduling replicas on one real store (SQLite and PostgreSQL) add hours to one person's ISO
week at the same moment, on different days (ADR 0026, addendum "weekly capacity across replicas").

Each writer has read all it needs and is about to store when the other does its whole unit of work:
their ``PersonDay``s differ, so nothing made them meet, and each passed a capacity that together
they exceeded.  Now the one that stores last conflicts on the person's week, and is run again on
what the other stored: a request by the kit's command path, refused 409 ``over_weekly_capacity``;
a referral's record by the kit's applier, its staff meeting booked in another week, or its new case
worker named by role in the staff meeting (ADR 0026, addendum "a case worker moved in keeps to their
week").  Either way the
person's week keeps to their capacity.  Requests over HTTP with a JWT, records through the kit's
real tracking consumer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from contracts.topics import REFERRALS
from services.kit.settings import ServiceSettings
from services.scheduling.app import create_app
from services.scheduling.inbound import referral_consumer
from tests.conftest import make_settings
from tests.support.clock import BEFORE_THE_FIXTURES
from tests.support.races import replica_of, storing_after
from tests.support.referral_records import case_worker_assigned, referral_received
from tests.support.tokens import bearer

COORDINATOR = bearer("0380", ("coordinator",), subject="coord-7")
BUSY = "0380-coordinator-1"  # every staff meeting needs them: 8 hours a week, 7 booked on Monday
CAPACITY = 8
WEEK = (2026, 48)  # Monday 23 to Sunday 29 November 2026

Action = Callable[[httpx.AsyncClient, str], Awaitable[int | None]]  # a replica, the later meeting


@pytest.fixture
def store_settings(tmp_path: Path, database_url: str | None) -> ServiceSettings:
    return make_settings(tmp_path / "data", database_url=database_url)


def replica(settings: ServiceSettings) -> AbstractAsyncContextManager[httpx.AsyncClient]:
    return replica_of(create_app, lambda store: [referral_consumer(store)], settings)


async def book(client: httpx.AsyncClient, case_id: str, start: str, end: str) -> httpx.Response:
    body = {"case_id": case_id, "kind": "network_meeting", "staff_ids": [BUSY], "start": start, "end": end}
    return await client.post("/api/v1/meetings", json=body, headers=COORDINATOR)


async def one_hour_left_that_week(client: httpx.AsyncClient) -> str:
    """Capacity 8, a 7-hour meeting on Monday; and a meeting the next week (its id), to move."""
    client.store.clock = lambda: BEFORE_THE_FIXTURES  # type: ignore[attr-defined]
    lowered = await client.patch(
        f"/api/v1/staff/{BUSY}", json={"weekly_capacity_hours": CAPACITY}, headers=COORDINATOR
    )
    assert lowered.status_code == 200, lowered.text
    monday = await book(client, "0380-WR-0", "2026-11-23T09:00:00", "2026-11-23T16:00:00")
    later = await book(client, "0380-WR-9", "2026-11-30T09:00:00", "2026-11-30T10:00:00")
    assert (monday.status_code, later.status_code) == (201, 201), (monday.text, later.text)
    return later.json()[0]["meeting_id"]


def by_hand(day: int, case_id: str) -> Action:
    async def post(client: httpx.AsyncClient, _: str) -> int:
        start, end = f"2026-11-{day}T09:00:00", f"2026-11-{day}T10:00:00"
        return (await book(client, case_id, start, end)).status_code

    return post


async def moved_into_the_week(client: httpx.AsyncClient, later: str) -> int:
    times = {"start": "2026-11-26T09:00:00", "end": "2026-11-26T10:00:00"}
    return (
        await client.post(f"/api/v1/meetings/{later}/reschedule", json=times, headers=COORDINATOR)
    ).status_code


async def a_referral_arrives(client: httpx.AsyncClient, _: str) -> None:
    """Received Monday 23 November: its staff meeting is due by the next Monday, and needs ``BUSY``."""
    await client.feeds[REFERRALS](referral_received("0380-WR-1", "ref-week-race", 1))  # type: ignore[attr-defined]


async def hours_that_week(client: httpx.AsyncClient) -> float:
    page = await client.get(f"/api/v1/staff/{BUSY}/calendar", params={"limit": 200}, headers=COORDINATOR)
    return sum(
        (datetime.fromisoformat(m["end"]) - datetime.fromisoformat(m["start"])).total_seconds() / 3600
        for m in page.json()["items"]
        if m["status"] != "cancelled" and datetime.fromisoformat(m["start"]).isocalendar()[:2] == WEEK
    )


async def staff_meeting_weeks(client: httpx.AsyncClient) -> list[tuple[int, int]]:
    page = await client.get(f"/api/v1/staff/{BUSY}/calendar", params={"limit": 200}, headers=COORDINATOR)
    return [
        datetime.fromisoformat(m["start"]).isocalendar()[:2]
        for m in page.json()["items"]
        if m["kind"] == "staff_meeting"
    ]


RACES: dict[str, tuple[Action, Action, int | None, int | None]] = {
    # which stores last, what the other does meanwhile (a day apart), and their answers
    "a booking by hand": (by_hand(26, "0380-WR-2"), by_hand(25, "0380-WR-3"), 409, 201),
    "a reschedule": (moved_into_the_week, by_hand(25, "0380-WR-3"), 409, 201),
    "a booking by hand, as a staff meeting is convened": (
        by_hand(25, "0380-WR-3"),
        a_referral_arrives,
        409,
        None,
    ),
}


@pytest.mark.parametrize("last", list(RACES))
async def test_a_write_adding_hours_to_a_persons_week_as_another_replica_fills_it_is_refused_over_weekly_capacity(
    store_settings: ServiceSettings, last: str
) -> None:
    held, rival, answer, rival_answer = RACES[last]
    async with replica(store_settings) as first, replica(store_settings) as second:
        later = await one_hour_left_that_week(first)
        second.store.clock = lambda: BEFORE_THE_FIXTURES  # type: ignore[attr-defined]
        raced = storing_after(first.store, lambda: rival(second, later))  # type: ignore[attr-defined]
        assert await held(first, later) == answer
        assert raced == [rival_answer]
        for each in (first, second):
            assert await hours_that_week(each) == CAPACITY


async def test_a_staff_meeting_convened_as_another_replica_fills_its_weeks_last_hour_is_booked_in_another_week(
    store_settings: ServiceSettings,
) -> None:
    async with replica(store_settings) as first, replica(store_settings) as second:
        later = await one_hour_left_that_week(first)
        second.store.clock = lambda: BEFORE_THE_FIXTURES  # type: ignore[attr-defined]
        raced = storing_after(first.store, lambda: by_hand(25, "0380-WR-3")(second, later))  # type: ignore[attr-defined]
        await a_referral_arrives(first, later)
        assert raced == [201]
        for each in (first, second):
            assert await hours_that_week(each) == CAPACITY
            [elsewhere] = await staff_meeting_weeks(each)
            assert elsewhere != WEEK


CASE_WORKER = "handlaggare-9"  # 8 hours a week, 7 booked on Wednesday: one left for the staff meeting


async def a_staff_meeting_and_a_case_worker_with_one_hour_left(client: httpx.AsyncClient) -> dict:
    """The referral's staff meeting (Tuesday 24 November, an hour; its case worker not yet assigned),
    and the case worker to be assigned, with one hour left that week."""
    client.store.clock = lambda: BEFORE_THE_FIXTURES  # type: ignore[attr-defined]
    registered = {"staff_id": CASE_WORKER, "role": "case_worker", "weekly_capacity_hours": CAPACITY}
    assert (await client.post("/api/v1/staff", json=registered, headers=COORDINATOR)).status_code == 201
    body = {"case_id": "0380-WR-0", "kind": "network_meeting", "staff_ids": [CASE_WORKER]}
    body |= {"start": "2026-11-25T08:00:00", "end": "2026-11-25T15:00:00"}
    assert (await client.post("/api/v1/meetings", json=body, headers=COORDINATOR)).status_code == 201
    await a_referral_arrives(client, "")
    return await the_staff_meeting(client)


async def the_staff_meeting(client: httpx.AsyncClient) -> dict:
    page = await client.get(f"/api/v1/staff/{BUSY}/calendar", headers=COORDINATOR)
    [meeting] = [m for m in page.json()["items"] if m["kind"] == "staff_meeting"]
    return meeting


async def case_worker_moved_in(client: httpx.AsyncClient) -> None:
    record = case_worker_assigned("0380-WR-1", "ref-week-race", 2, CASE_WORKER)
    await client.feeds[REFERRALS](record)  # type: ignore[attr-defined]


async def case_worker_booked_by_hand(client: httpx.AsyncClient) -> int:
    body = {"case_id": "0380-WR-3", "kind": "network_meeting", "staff_ids": [CASE_WORKER]}
    body |= {"start": "2026-11-26T09:00:00", "end": "2026-11-26T10:00:00"}
    return (await client.post("/api/v1/meetings", json=body, headers=COORDINATOR)).status_code


async def case_worker_hours(client: httpx.AsyncClient) -> float:
    page = await client.get(f"/api/v1/staff/{CASE_WORKER}/calendar", headers=COORDINATOR)
    return sum(
        (datetime.fromisoformat(m["end"]) - datetime.fromisoformat(m["start"])).total_seconds() / 3600
        for m in page.json()["items"]
        if m["status"] != "cancelled" and datetime.fromisoformat(m["start"]).isocalendar()[:2] == WEEK
    )


async def test_a_case_worker_moved_into_a_staff_meeting_as_another_replica_books_their_last_hour_is_named_by_role(
    store_settings: ServiceSettings,
) -> None:
    async with replica(store_settings) as first, replica(store_settings) as second:
        await a_staff_meeting_and_a_case_worker_with_one_hour_left(first)
        second.store.clock = lambda: BEFORE_THE_FIXTURES  # type: ignore[attr-defined]
        raced = storing_after(first.store, lambda: case_worker_booked_by_hand(second))  # type: ignore[attr-defined]
        await case_worker_moved_in(first)
        assert raced == [201]
        for each in (first, second):
            meeting = await the_staff_meeting(each)
            assert CASE_WORKER not in meeting["staff_ids"]
            assert "case_worker" in meeting["other_participants"]
            assert await case_worker_hours(each) == CAPACITY


async def test_a_booking_by_hand_as_another_replica_moves_the_case_worker_into_their_last_hour_is_refused(
    store_settings: ServiceSettings,
) -> None:
    async with replica(store_settings) as first, replica(store_settings) as second:
        await a_staff_meeting_and_a_case_worker_with_one_hour_left(first)
        second.store.clock = lambda: BEFORE_THE_FIXTURES  # type: ignore[attr-defined]
        raced = storing_after(first.store, lambda: case_worker_moved_in(second))  # type: ignore[attr-defined]
        assert await case_worker_booked_by_hand(first) == 409
        assert raced == [None]
        for each in (first, second):
            assert CASE_WORKER in (await the_staff_meeting(each))["staff_ids"]
            assert await case_worker_hours(each) == CAPACITY
