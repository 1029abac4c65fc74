"""Two scheduling replicas on one real store (SQLite and PostgreSQL): the coordinator fills a staff
meeting's named case worker as another replica books the same case worker's last hour of that week
by hand (ADR 0026, addendum "a named role is filled by hand").  The fill passes the case worker's
``PersonWeek`` as a booking does, so whichever stores last conflicts, is run again on what the
other stored and is refused 409 ``over_weekly_capacity``; the week keeps to its capacity.  Requests
over HTTP with a JWT, the referral's record through the kit's real tracking consumer."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from services.kit.settings import ServiceSettings
from tests.conftest import make_settings
from tests.integration.test_scheduling_week_races import (
    CAPACITY,
    CASE_WORKER,
    COORDINATOR,
    a_staff_meeting_and_a_case_worker_with_one_hour_left,
    case_worker_booked_by_hand,
    case_worker_hours,
    replica,
    the_staff_meeting,
)
from tests.support.clock import BEFORE_THE_FIXTURES
from tests.support.races import storing_after


@pytest.fixture
def store_settings(tmp_path: Path, database_url: str | None) -> ServiceSettings:
    return make_settings(tmp_path / "data", database_url=database_url)


async def filled(client: httpx.AsyncClient, meeting_id: str) -> int:
    body = {"role": "case_worker", "staff_id": CASE_WORKER}
    answer = await client.post(f"/api/v1/meetings/{meeting_id}/fill-role", json=body, headers=COORDINATOR)
    return answer.status_code


async def test_a_fill_as_another_replica_books_the_members_last_hour_of_the_week_is_refused_over_capacity(
    store_settings: ServiceSettings,
) -> None:
    async with replica(store_settings) as first, replica(store_settings) as second:
        meeting = await a_staff_meeting_and_a_case_worker_with_one_hour_left(first)
        assert "case_worker" in meeting["other_participants"]
        second.store.clock = lambda: BEFORE_THE_FIXTURES  # type: ignore[attr-defined]
        raced = storing_after(first.store, lambda: case_worker_booked_by_hand(second))  # type: ignore[attr-defined]
        assert await filled(first, meeting["meeting_id"]) == 409
        assert raced == [201]
        for each in (first, second):
            assert "case_worker" in (await the_staff_meeting(each))["other_participants"]
            assert await case_worker_hours(each) == CAPACITY


async def test_a_booking_by_hand_as_another_replica_fills_a_role_with_the_members_last_hour_is_refused(
    store_settings: ServiceSettings,
) -> None:
    async with replica(store_settings) as first, replica(store_settings) as second:
        meeting = await a_staff_meeting_and_a_case_worker_with_one_hour_left(first)
        second.store.clock = lambda: BEFORE_THE_FIXTURES  # type: ignore[attr-defined]
        raced = storing_after(first.store, lambda: filled(second, meeting["meeting_id"]))  # type: ignore[attr-defined]
        assert await case_worker_booked_by_hand(first) == 409
        assert raced == [200]
        for each in (first, second):
            assert CASE_WORKER in (await the_staff_meeting(each))["staff_ids"]
            assert await case_worker_hours(each) == CAPACITY
