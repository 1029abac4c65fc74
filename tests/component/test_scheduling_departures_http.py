"""A staff member who leaves the roster, over HTTP with a JWT: they stand down from the meetings
that have not begun (their role named in their place, their day freed), and a meeting that has
begun keeps who was invited, as its attendance is still to be recorded."""

from __future__ import annotations

from datetime import datetime

import httpx

from tests.support.tokens import bearer

COORDINATOR = bearer("0380", ("coordinator",), subject="coord-7")
LEAVER, STAYER = "0380-family-therapist-1", "0380-family-pedagogue-1"
MEETING = {"case_id": "0380-77", "kind": "network_meeting", "other_participants": ["parent"]}
AT_NINE = {"start": "2026-11-24T09:00:00", "end": "2026-11-24T10:00:00"}


async def booked(client: httpx.AsyncClient, staff_ids: list[str], case_id: str = "0380-77") -> str:
    body = MEETING | AT_NINE | {"staff_ids": staff_ids, "case_id": case_id}
    answer = await client.post("/api/v1/meetings", json=body, headers=COORDINATOR)
    assert answer.status_code == 201, answer.text
    return answer.json()[0]["meeting_id"]


async def leaves(client: httpx.AsyncClient, staff_id: str) -> None:
    removed = await client.delete(f"/api/v1/staff/{staff_id}", headers=COORDINATOR)
    assert removed.status_code == 204, removed.text


async def test_a_member_who_leaves_stands_down_from_a_meeting_not_yet_begun_with_their_role_named(
    scheduling,
) -> None:
    meeting_id = await booked(scheduling, [LEAVER, STAYER])
    await leaves(scheduling, LEAVER)
    shown = (await scheduling.get(f"/api/v1/meetings/{meeting_id}", headers=COORDINATOR)).json()
    assert (shown["staff_ids"], shown["status"]) == ([STAYER], "booked")
    assert shown["other_participants"] == ["parent", "family_therapist"]
    calendar = await scheduling.get(f"/api/v1/staff/{STAYER}/calendar", headers=COORDINATOR)
    [listed] = [m for m in calendar.json()["items"] if m["meeting_id"] == meeting_id]
    assert listed["other_participants"] == ["parent", "family_therapist"]


async def test_a_member_reinstated_after_leaving_can_be_booked_at_the_time_they_stood_down_from(
    scheduling,
) -> None:
    await booked(scheduling, [LEAVER, STAYER])
    await leaves(scheduling, LEAVER)
    back = await scheduling.post(
        "/api/v1/staff", json={"staff_id": LEAVER, "role": "family_therapist"}, headers=COORDINATOR
    )
    assert back.status_code == 201, back.text
    await booked(scheduling, [LEAVER], case_id="0380-78")


async def test_a_meeting_that_has_begun_keeps_the_member_who_left_for_its_attendance(scheduling) -> None:
    meeting_id = await booked(scheduling, [LEAVER, STAYER])
    scheduling.app.state.runtime.app.clock = lambda: datetime(2026, 11, 24, 9, 30)
    await leaves(scheduling, LEAVER)
    shown = (await scheduling.get(f"/api/v1/meetings/{meeting_id}", headers=COORDINATOR)).json()
    assert shown["staff_ids"] == [LEAVER, STAYER]
    attended = {"attended": [LEAVER, STAYER], "outcome": "a plan"}
    held = await scheduling.post(
        f"/api/v1/meetings/{meeting_id}/attendance", json=attended, headers=COORDINATOR
    )
    assert (held.status_code, held.json()["status"]) == (200, "held"), held.text
