"""A referral's case worker moved into its staff meeting is judged as the slot finder judges an
attendee (ADR 0026, addendum "a case worker moved in keeps to their week"): the move is a fact from
referrals, never refused, so one whose week is full, or who does not work then, is not booked past
it: the meeting keeps its time and names the case worker by role for the coordinator, and the old
case worker's hour is given back.  Records through the kit's real tracking consumer, read and booked
over HTTP with a JWT."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest

from services.scheduling.domain.meeting import Meeting
from tests.component.conftest import fed_referral_records
from tests.support.referral_records import case_worker_assigned, referral_received
from tests.support.tokens import bearer

COORDINATOR = bearer("0380", ("coordinator",))
CASE = "0380-CW-1"
NEW, OLD = "handlaggare-9", "handlaggare-7"


@pytest.fixture
def store(scheduling: httpx.AsyncClient) -> Any:
    """Scheduling's store, its clock on the referral's morning, ``feed`` handing it referral records."""
    return fed_referral_records(scheduling, "case-worker-moves")


async def register(scheduling: httpx.AsyncClient, staff_id: str, **hours: object) -> None:
    body = {"staff_id": staff_id, "role": "case_worker", **hours}
    answer = await scheduling.post("/api/v1/staff", json=body, headers=COORDINATOR)
    assert answer.status_code == 201, answer.text


async def book(scheduling: httpx.AsyncClient, staff_id: str, start: str, end: str) -> httpx.Response:
    body = {"case_id": "0380-CW-2", "kind": "network_meeting", "staff_ids": [staff_id]}
    return await scheduling.post(
        "/api/v1/meetings", json=body | {"start": start, "end": end}, headers=COORDINATOR
    )


async def staff_meeting(scheduling: httpx.AsyncClient, referral_id: str) -> dict[str, Any]:
    path = f"/api/v1/meetings/{Meeting.id_for_referral(referral_id)}"
    answer = await scheduling.get(path, headers=COORDINATOR)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def hours_in_week_of(scheduling: httpx.AsyncClient, staff_id: str, day: str) -> float:
    page = await scheduling.get(f"/api/v1/staff/{staff_id}/calendar", headers=COORDINATOR)
    week = datetime.fromisoformat(day).isocalendar()[:2]
    return sum(
        (datetime.fromisoformat(m["end"]) - datetime.fromisoformat(m["start"])).total_seconds() / 3600
        for m in page.json()["items"]
        if m["status"] != "cancelled" and datetime.fromisoformat(m["start"]).isocalendar()[:2] == week
    )


async def convened(scheduling: httpx.AsyncClient, store: Any) -> tuple[str, dict[str, Any]]:
    referral_id = str(uuid.uuid4())
    await store.feed(referral_received(CASE, referral_id, 1))
    return referral_id, await staff_meeting(scheduling, referral_id)


async def test_a_case_worker_assigned_whose_week_is_full_is_not_booked_past_their_weekly_capacity(
    scheduling, store
) -> None:
    referral_id, meeting = await convened(scheduling, store)
    await register(scheduling, NEW, weekly_capacity_hours=8)
    day = meeting["start"][:10]
    other_day = "2026-11-25" if day != "2026-11-25" else "2026-11-26"
    assert (await book(scheduling, NEW, f"{other_day}T08:00:00", f"{other_day}T16:00:00")).status_code == 201
    await store.feed(case_worker_assigned(CASE, referral_id, 2, NEW))
    moved = await staff_meeting(scheduling, referral_id)
    assert NEW not in moved["staff_ids"] and "case_worker" in moved["other_participants"]
    assert moved["start"] == meeting["start"]  # the same time for everyone else
    assert await hours_in_week_of(scheduling, NEW, day) == 8


async def test_a_case_worker_assigned_who_does_not_work_at_the_staff_meetings_time_is_not_booked_then(
    scheduling, store
) -> None:
    referral_id, meeting = await convened(scheduling, store)
    await register(scheduling, NEW, work_starts="13:00", work_ends="16:30")
    assert meeting["start"][11:16] < "12:00"  # the finder's first slot is the morning
    await store.feed(case_worker_assigned(CASE, referral_id, 2, NEW))
    moved = await staff_meeting(scheduling, referral_id)
    assert NEW not in moved["staff_ids"] and "case_worker" in moved["other_participants"]


async def test_a_case_worker_moved_off_for_one_whose_week_is_full_has_their_hour_back(
    scheduling, store
) -> None:
    referral_id, meeting = await convened(scheduling, store)
    day = meeting["start"][:10]
    other_day = "2026-11-25" if day != "2026-11-25" else "2026-11-26"
    for staff_id in (OLD, NEW):
        await register(scheduling, staff_id, weekly_capacity_hours=8)
        booked = await book(scheduling, staff_id, f"{other_day}T08:00:00", f"{other_day}T15:00:00")
        assert booked.status_code == 201, booked.text
    assert (await book(scheduling, NEW, "2026-11-27T08:00:00", "2026-11-27T09:00:00")).status_code == 201
    await store.feed(case_worker_assigned(CASE, referral_id, 2, OLD))
    assert OLD in (await staff_meeting(scheduling, referral_id))["staff_ids"]  # their eighth hour
    await store.feed(case_worker_assigned(CASE, referral_id, 3, NEW))
    assert (await staff_meeting(scheduling, referral_id))["staff_ids"].count(OLD) == 0
    answer = await book(scheduling, OLD, "2026-11-27T08:00:00", "2026-11-27T09:00:00")
    assert answer.status_code == 201, answer.text
