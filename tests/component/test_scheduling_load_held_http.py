"""Hours held weigh in a member's load only from the current ISO week on (ADR 0026, addendum
"weekly capacity across replicas, and the hours held"): a week gone by can take nothing more, so
the meetings held in it do not decide who the slot finder picks among otherwise equal members.
Booked and held over HTTP with a JWT; the staff meeting convened as the referral consumer does;
who got it read from the calendars."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx

from tests.support.tokens import bearer

COORDINATOR = bearer("1980", ("coordinator",), subject="1980-c")
VETERAN, NEWCOMER = "1980-t1", "1980-t2"  # the finder's order among equals: the veteran first
FRIDAY = datetime(2026, 11, 20, 8, 0)  # local; the staff meeting then falls on Monday 23 November
FRIDAY_MORNING = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)


async def a_roster_of_two_therapists(client: httpx.AsyncClient) -> None:
    for staff_id, role in (
        ("1980-c", "coordinator"),
        (VETERAN, "family_therapist"),
        (NEWCOMER, "family_therapist"),
    ):
        body = {"staff_id": staff_id, "role": role}
        assert (await client.post("/api/v1/staff", json=body, headers=COORDINATOR)).status_code == 201


async def booked(client: httpx.AsyncClient, staff_id: str, day: str, at: int) -> str:
    times = {"start": f"{day}T{at:02d}:00:00", "end": f"{day}T{at + 1:02d}:00:00"}
    body = {"case_id": f"1980-{day}-{at}", "kind": "network_meeting", "staff_ids": [staff_id], **times}
    answer = await client.post("/api/v1/meetings", json=body, headers=COORDINATOR)
    assert answer.status_code == 201, answer.text
    return answer.json()[0]["meeting_id"]


async def held_on_friday(client: httpx.AsyncClient, staff_id: str, hours: list[tuple[str, int]]) -> None:
    """Meetings of ``staff_id`` at ``hours`` (day, hour), recorded as held on Friday 20 November."""
    meeting_ids = [await booked(client, staff_id, day, at) for day, at in hours]
    client.app.state.runtime.app.clock = lambda: FRIDAY  # type: ignore[attr-defined]
    for meeting_id in meeting_ids:
        body = {"attended": [staff_id], "outcome": "a plan for the winter"}
        answer = await client.post(
            f"/api/v1/meetings/{meeting_id}/attendance", json=body, headers=COORDINATOR
        )
        assert (answer.status_code, answer.json()["status"]) == (200, "held"), answer.text


async def staff_meeting_goes_to(client: httpx.AsyncClient) -> list[str]:
    """The therapists whose calendars show the staff meeting of a referral received on Friday."""
    referral_id = str(uuid.uuid4())
    client.app.state.runtime.app.convene_staff_meeting(  # type: ignore[attr-defined]
        referral_id, "network_centre", "1980-77", "1980", "placed", "unassigned", FRIDAY_MORNING
    )
    return [staff_id for staff_id in (VETERAN, NEWCOMER) if "staff_meeting" in await kinds(client, staff_id)]


async def kinds(client: httpx.AsyncClient, staff_id: str) -> list[str]:
    answer = await client.get(f"/api/v1/staff/{staff_id}/calendar", headers=COORDINATOR)
    assert answer.status_code == 200, answer.text
    return [item["kind"] for item in answer.json()["items"]]


async def test_hours_held_in_weeks_gone_by_do_not_decide_who_the_staff_meeting_goes_to(scheduling) -> None:
    """Six hours held two weeks ago weigh nothing: the newcomer, with an hour booked in December,
    has more ahead of them, so the veteran (nothing ahead) is the less loaded."""
    await a_roster_of_two_therapists(scheduling)
    two_weeks_ago = [(day, at) for day in ("2026-11-09", "2026-11-10", "2026-11-11") for at in (9, 13)]
    await held_on_friday(scheduling, VETERAN, two_weeks_ago)
    await booked(scheduling, NEWCOMER, "2026-12-14", 9)
    assert await staff_meeting_goes_to(scheduling) == [VETERAN]


async def test_hours_held_earlier_in_the_current_week_still_weigh_in_the_load(scheduling) -> None:
    """This week's hours held count, as they do towards its capacity: two held on Monday outweigh
    the newcomer's one hour in December, for a staff meeting in the next week."""
    await a_roster_of_two_therapists(scheduling)
    await held_on_friday(scheduling, VETERAN, [("2026-11-16", 9), ("2026-11-16", 13)])
    await booked(scheduling, NEWCOMER, "2026-12-14", 9)
    assert await staff_meeting_goes_to(scheduling) == [NEWCOMER]
