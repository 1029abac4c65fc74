"""A coordinator lowers a roster member's weekly capacity in place, over HTTP with a JWT
(``PATCH /api/v1/staff/{staff_id}``): the answer names the upcoming ISO weeks that already hold
more hours of their open meetings than the new capacity (by the week's Monday, the hours booked and
the capacity), for the coordinator to rebook, since a booking by hand past it is now refused.  The
meetings stay as booked."""

from __future__ import annotations

from datetime import datetime

import httpx

from tests.component.test_scheduling_staff_hours_http import (
    COORDINATOR,
    MEMBER,
    THERAPIST,
    store_of,
)

# Three four-hour meetings in the week of Monday 23 November (12 hours), one of four hours in the
# week of Monday 30 November (within 8).
BUSY_WEEK = [("2026-11-23", "0380-77"), ("2026-11-24", "0380-78"), ("2026-11-25", "0380-79")]
QUIET_WEEK = [("2026-12-01", "0380-80")]
TWELVE_HOURS = {"week_starts": "2026-11-23", "booked_hours": 12.0, "weekly_capacity_hours": 8}


async def four_hours_on(client: httpx.AsyncClient, bookings: list[tuple[str, str]]) -> list[str]:
    ids = []
    for day, case_id in bookings:
        times = {"start": f"{day}T09:00:00", "end": f"{day}T13:00:00"}
        body = {"case_id": case_id, "kind": "network_meeting", "staff_ids": [THERAPIST], **times}
        answer = await client.post("/api/v1/meetings", json=body, headers=COORDINATOR)
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()[0]["meeting_id"])
    return ids


async def capacity(client: httpx.AsyncClient, hours: int) -> httpx.Response:
    changed = await client.patch(MEMBER, json={"weekly_capacity_hours": hours}, headers=COORDINATOR)
    assert changed.status_code == 200, changed.text
    return changed


async def test_a_capacity_lowered_below_a_weeks_booked_hours_names_that_week_and_not_one_within_it(
    scheduling,
) -> None:
    booked = await four_hours_on(scheduling, BUSY_WEEK + QUIET_WEEK)
    changed = await capacity(scheduling, 8)
    assert changed.json()["over_capacity"] == [TWELVE_HOURS]
    assert "0380-7" not in changed.text  # weeks and hours: the cases are the calendar's to show
    for meeting_id in booked:  # nothing is moved or cancelled: the coordinator rebooks
        shown = (await scheduling.get(f"/api/v1/meetings/{meeting_id}", headers=COORDINATOR)).json()
        assert (shown["staff_ids"], shown["status"]) == ([THERAPIST], "booked")


async def test_a_capacity_raised_above_every_weeks_booked_hours_names_no_week(scheduling) -> None:
    await four_hours_on(scheduling, BUSY_WEEK + QUIET_WEEK)
    await capacity(scheduling, 8)
    assert (await capacity(scheduling, 12)).json()["over_capacity"] == []  # 12 hours is not past 12


async def test_the_current_week_is_named_over_capacity_but_a_week_gone_by_is_not(scheduling) -> None:
    await four_hours_on(scheduling, BUSY_WEEK)
    store_of(scheduling).clock = lambda: datetime(2026, 11, 26, 10, 0)  # its meetings have all begun
    assert (await capacity(scheduling, 8)).json()["over_capacity"] == [TWELVE_HOURS]
    store_of(scheduling).clock = lambda: datetime(2026, 11, 30, 8, 0)  # the next Monday
    assert (await capacity(scheduling, 4)).json()["over_capacity"] == []


async def test_hours_held_in_the_current_week_count_towards_the_hours_named_over_capacity(scheduling) -> None:
    monday, *_ = await four_hours_on(scheduling, BUSY_WEEK)
    store_of(scheduling).clock = lambda: datetime(2026, 11, 26, 10, 0)  # Thursday: all three begun
    body = {"attended": [THERAPIST], "outcome": "a plan for the winter"}
    held = await scheduling.post(f"/api/v1/meetings/{monday}/attendance", json=body, headers=COORDINATOR)
    assert (held.status_code, held.json()["status"]) == (200, "held"), held.text
    assert (await capacity(scheduling, 8)).json()["over_capacity"] == [TWELVE_HOURS]


async def test_the_last_hour_of_a_sunday_is_still_in_its_week_for_the_weeks_named_over_capacity(
    scheduling,
) -> None:
    """The clock's Swedish time, read as Swedish time whatever the machine's zone (in UTC it had read
    23:30 on Sunday as 00:30 on Monday, so the week still current was left out), as a booking counts."""
    await four_hours_on(scheduling, BUSY_WEEK)
    store_of(scheduling).clock = lambda: datetime(2026, 11, 29, 23, 30)  # Sunday, half an hour left
    assert (await capacity(scheduling, 8)).json()["over_capacity"] == [TWELVE_HOURS]
