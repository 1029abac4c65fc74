"""A role a booked meeting names for the coordinator to fill (nobody of it could be booked) is a duty
on scheduling's worklist (ADR 0026, addendum "a role named for the coordinator is on the worklist"):
the coordinator's, due the working day before the meeting, acted on at the meeting, off the list
once the role is filled (``/fill-role``) or the meeting is cancelled or has begun.  Records through the kit's real
tracking consumer, read and booked over HTTP with a JWT."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest

from services.scheduling.domain.meeting import Meeting
from tests.component.conftest import fed_referral_records
from tests.support.referral_records import (
    case_worker_assigned,
    child_placed,
    referral_declined,
    referral_received,
)
from tests.support.tokens import bearer

COORDINATOR = bearer("0380", ("coordinator",))
CASE = "0380-FILL-1"
UNFILLED = "meeting_role_unfilled"
FREE, BUSY = "handlaggare-3", "handlaggare-9"


@pytest.fixture
def store(scheduling: httpx.AsyncClient) -> Any:
    """Scheduling's store, its clock on the referral's morning, ``feed`` handing it referral records."""
    return fed_referral_records(scheduling, "roles-to-fill")


async def unfilled(scheduling: httpx.AsyncClient, **params: object) -> list[dict[str, Any]]:
    answer = await scheduling.get("/api/v1/worklist", headers=COORDINATOR, params=params)
    assert answer.status_code == 200, answer.text
    return [item for item in answer.json()["items"] if item["obligation"] == UNFILLED]


async def meeting_of(scheduling: httpx.AsyncClient, meeting_id: object) -> dict[str, Any]:
    answer = await scheduling.get(f"/api/v1/meetings/{meeting_id}", headers=COORDINATOR)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def convened(
    scheduling: httpx.AsyncClient, store: Any, child_status: str = "placed"
) -> tuple[str, dict[str, Any]]:
    referral_id = str(uuid.uuid4())
    await store.feed(referral_received(CASE, referral_id, 1, child_status))
    return referral_id, await meeting_of(scheduling, Meeting.id_for_referral(referral_id))


async def book(
    scheduling: httpx.AsyncClient, staff_ids: list[str], start: str, end: str, **more: object
) -> dict[str, Any]:
    body = {"case_id": "0380-FILL-2", "kind": "network_meeting", "staff_ids": staff_ids}
    answer = await scheduling.post(
        "/api/v1/meetings", json=body | {"start": start, "end": end, **more}, headers=COORDINATOR
    )
    assert answer.status_code == 201, answer.text
    return answer.json()[0]


async def register_case_worker(scheduling: httpx.AsyncClient, staff_id: str, **hours: object) -> None:
    body = {"staff_id": staff_id, "role": "case_worker", **hours}
    answer = await scheduling.post("/api/v1/staff", json=body, headers=COORDINATOR)
    assert answer.status_code == 201, answer.text


async def a_full_week_for(scheduling: httpx.AsyncClient, staff_id: str, meeting: dict[str, Any]) -> None:
    """``staff_id`` on the roster with 8 hours a week, all of them booked on another day of the
    meeting's week."""
    await register_case_worker(scheduling, staff_id, weekly_capacity_hours=8)
    day = meeting["start"][:10]
    other_day = "2026-11-25" if day != "2026-11-25" else "2026-11-26"
    await book(scheduling, [staff_id], f"{other_day}T08:00:00", f"{other_day}T16:00:00")


def working_day_before(start: str) -> str:
    """The weekday before the meeting's day (no Swedish public holiday falls near these weeks)."""
    day = date.fromisoformat(start[:10]) - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day.isoformat()


async def test_a_staff_meeting_convened_without_its_case_worker_puts_the_role_on_the_coordinators_worklist(
    scheduling, store
) -> None:
    _, meeting = await convened(scheduling, store)
    assert meeting["other_participants"] == ["case_worker"]
    [duty] = await unfilled(scheduling)
    assert (duty["case_id"], duty["due"], duty["overdue"]) == (
        CASE,
        working_day_before(meeting["start"]),
        False,
    )
    assert (duty["responsible_role"], duty["assignee"]) == ("coordinator", "0380-coordinator-1")
    assert duty["action_path"] == f"/api/v1/meetings/{meeting['meeting_id']}/fill-role"


async def test_a_case_worker_assigned_who_can_take_the_staff_meeting_fills_the_role_and_takes_it_off_the_worklist(
    scheduling, store
) -> None:
    referral_id, _ = await convened(scheduling, store)
    assert len(await unfilled(scheduling)) == 1
    await store.feed(case_worker_assigned(CASE, referral_id, 2, FREE))
    assert await unfilled(scheduling) == []


async def test_a_case_worker_moved_in_whose_week_is_full_puts_the_role_on_the_worklist(
    scheduling, store
) -> None:
    referral_id, meeting = await convened(scheduling, store)
    await store.feed(case_worker_assigned(CASE, referral_id, 2, FREE))
    await a_full_week_for(scheduling, BUSY, meeting)
    await store.feed(case_worker_assigned(CASE, referral_id, 3, BUSY))
    assert (await meeting_of(scheduling, meeting["meeting_id"]))["other_participants"] == ["case_worker"]
    [duty] = await unfilled(scheduling)
    assert duty["action_path"] == f"/api/v1/meetings/{meeting['meeting_id']}/fill-role"


async def test_a_parent_supporter_nobody_can_fill_on_a_placement_puts_the_role_on_the_worklist(
    scheduling, store
) -> None:
    referral_id, meeting = await convened(scheduling, store, child_status="placement_near")
    await store.feed(case_worker_assigned(CASE, referral_id, 2, FREE))
    supporters = ["0380-parent-supporter-1", "0380-parent-supporter-2"]
    await book(scheduling, supporters, meeting["start"], meeting["end"])  # both busy then
    await store.feed(child_placed(CASE, referral_id, 3, "P-2"))
    assert (await meeting_of(scheduling, meeting["meeting_id"]))["other_participants"] == ["parent_supporter"]
    [duty] = await unfilled(scheduling)
    assert duty["action_path"] == f"/api/v1/meetings/{meeting['meeting_id']}/fill-role"


async def test_repeated_records_and_a_second_role_named_keep_one_duty_for_the_meeting(
    scheduling, store
) -> None:
    referral_id, meeting = await convened(scheduling, store, child_status="placement_near")
    await a_full_week_for(scheduling, BUSY, meeting)
    await book(
        scheduling, ["0380-parent-supporter-1", "0380-parent-supporter-2"], meeting["start"], meeting["end"]
    )
    busy_again = case_worker_assigned(CASE, referral_id, 2, BUSY)
    for record in (busy_again, busy_again, case_worker_assigned(CASE, referral_id, 3, BUSY)):
        await store.feed(record)
    for sequence in (4, 5):
        await store.feed(child_placed(CASE, referral_id, sequence, "P-2"))
    named = (await meeting_of(scheduling, meeting["meeting_id"]))["other_participants"]
    assert sorted(named) == ["case_worker", "parent_supporter"]
    assert len(await unfilled(scheduling)) == 1


async def test_an_unfilled_role_is_overdue_on_the_meetings_day_and_off_the_worklist_once_the_meeting_has_begun(
    scheduling, store
) -> None:
    _, meeting = await convened(scheduling, store)
    start = datetime.fromisoformat(meeting["start"])
    store.clock = lambda: start - timedelta(minutes=30)
    [duty] = await unfilled(scheduling, overdue="true")
    assert duty["overdue"] is True
    store.clock = lambda: start + timedelta(minutes=1)
    assert await unfilled(scheduling) == []


async def test_a_cancelled_meeting_takes_its_unfilled_role_off_the_worklist(scheduling, store) -> None:
    referral_id, meeting = await convened(scheduling, store)
    assert len(await unfilled(scheduling)) == 1
    await store.feed(referral_declined(CASE, referral_id, 2))
    assert (await meeting_of(scheduling, meeting["meeting_id"]))["status"] == "cancelled"
    assert await unfilled(scheduling) == []


async def test_a_role_named_when_a_meeting_is_booked_by_hand_is_not_a_duty(scheduling, store) -> None:
    more = {"other_participants": ["parent", "case_worker", "resource_team"]}
    await book(scheduling, ["0380-coordinator-1"], "2026-11-26T10:00:00", "2026-11-26T11:00:00", **more)
    assert await unfilled(scheduling) == []


async def test_a_member_leaving_the_roster_puts_their_role_on_the_worklist_of_a_meeting_booked_by_hand(
    scheduling, store
) -> None:
    staff = ["0380-coordinator-1", "0380-family-therapist-1"]
    meeting = await book(scheduling, staff, "2026-11-30T10:00:00", "2026-11-30T11:00:00")  # a Monday
    left = await scheduling.delete("/api/v1/staff/0380-family-therapist-1", headers=COORDINATOR)
    assert left.status_code == 204, left.text
    [duty] = await unfilled(scheduling)
    assert (duty["due"], duty["assignee"]) == ("2026-11-27", "0380-coordinator-1")  # the Friday before
    assert duty["action_path"] == f"/api/v1/meetings/{meeting['meeting_id']}/fill-role"
