"""A time chosen by hand keeps to the participants' working hours on the roster, as the slot finder's
does, over HTTP with a JWT: a booking or a reschedule outside someone's hours is 409
``outside_working_hours`` naming them by their place in ``staff_ids``, unless the caller books
outside them knowingly (``outside_working_hours: true``: an evening visitation)."""

from __future__ import annotations

from typing import Any

import httpx

from services.kit.domain.case_access import CaseAccess
from services.scheduling.domain.meeting import Meeting
from tests.support.tokens import bearer

COORDINATOR = bearer("0380", ("coordinator",), subject="coord-7")
DAYTIME = "0380-family-therapist-1"  # the roster's default day: 08:00-16:30
EVENINGS = "0380-evening-pedagogue"
MEETING = {"case_id": "0380-77", "kind": "visitation", "staff_ids": [EVENINGS, DAYTIME]}
AT_FIVE_PM = {"start": "2026-11-24T17:00:00", "end": "2026-11-24T18:00:00"}
AT_NOON = {"start": "2026-11-24T12:00:00", "end": "2026-11-24T13:00:00"}


async def with_an_evening_colleague(client: httpx.AsyncClient) -> None:
    member = {"staff_id": EVENINGS, "role": "family_pedagogue", "work_starts": "12:00", "work_ends": "20:00"}
    assert (await client.post("/api/v1/staff", json=member, headers=COORDINATOR)).status_code == 201


def stored(client: httpx.AsyncClient, kind: type) -> list[Any]:
    store = client.app.state.runtime.app  # type: ignore[attr-defined]
    events = [store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(1, 100_000)]
    return [e for e in events if isinstance(e, kind)]


def refused_naming_the_daytime_colleague(answer: httpx.Response) -> bool:
    if answer.status_code != 409:
        return False
    error = answer.json()["error"]
    return (
        error["code"] == "outside_working_hours"
        and "staff_ids[1]" in error["message"]
        and "staff_ids[0]" not in error["message"]
        and DAYTIME not in answer.text
        and EVENINGS not in answer.text
    )


async def test_a_meeting_booked_by_hand_after_a_participants_working_day_is_refused_naming_their_place(
    scheduling,
) -> None:
    await with_an_evening_colleague(scheduling)
    answer = await scheduling.post("/api/v1/meetings", json=MEETING | AT_FIVE_PM, headers=COORDINATOR)
    assert refused_naming_the_daytime_colleague(answer), answer.text
    assert stored(scheduling, Meeting.Booked) == []


async def test_a_series_is_refused_whole_when_its_weekly_time_is_outside_someones_hours(scheduling) -> None:
    await with_an_evening_colleague(scheduling)
    series = MEETING | AT_FIVE_PM | {"repeat_weeks": 1, "occurrences": 4}
    answer = await scheduling.post("/api/v1/meetings", json=series, headers=COORDINATOR)
    assert refused_naming_the_daytime_colleague(answer), answer.text
    assert stored(scheduling, Meeting.Booked) == []


async def test_a_meeting_rescheduled_outside_a_participants_hours_is_refused_and_logged_as_a_read_of_its_case(
    scheduling,
) -> None:
    await with_an_evening_colleague(scheduling)
    booked = await scheduling.post("/api/v1/meetings", json=MEETING | AT_NOON, headers=COORDINATOR)
    meeting_id = booked.json()[0]["meeting_id"]
    before = len(stored(scheduling, CaseAccess.Recorded))
    moved = await scheduling.post(
        f"/api/v1/meetings/{meeting_id}/reschedule", json=AT_FIVE_PM, headers=COORDINATOR
    )
    assert refused_naming_the_daytime_colleague(moved), moved.text
    assert stored(scheduling, Meeting.Rescheduled) == []
    [told] = stored(scheduling, CaseAccess.Recorded)[before:]
    assert (told.case_id, told.outcome) == ("0380-77", "granted")


async def test_a_meeting_booked_and_moved_knowingly_outside_working_hours_is_booked(scheduling) -> None:
    await with_an_evening_colleague(scheduling)
    knowingly = {"outside_working_hours": True}
    booked = await scheduling.post(
        "/api/v1/meetings", json=MEETING | AT_NOON | knowingly, headers=COORDINATOR
    )
    assert booked.status_code == 201, booked.text
    meeting_id = booked.json()[0]["meeting_id"]
    later = AT_FIVE_PM | knowingly
    moved = await scheduling.post(
        f"/api/v1/meetings/{meeting_id}/reschedule", json=later, headers=COORDINATOR
    )
    assert (moved.status_code, moved.json()["start"]) == (200, "2026-11-24T17:00:00"), moved.text


async def test_a_meeting_ending_as_a_participants_working_day_ends_is_booked(scheduling) -> None:
    last_hour = {"start": "2026-11-24T15:30:00", "end": "2026-11-24T16:30:00", "staff_ids": [DAYTIME]}
    answer = await scheduling.post("/api/v1/meetings", json=MEETING | last_hour, headers=COORDINATOR)
    assert answer.status_code == 201, answer.text
