"""A time chosen by hand keeps to the working days the slot finder keeps to, over HTTP with a JWT: a
booking, an occurrence of a series or a reschedule on a weekend or a Swedish public holiday is outside
every participant's working time, 409 ``outside_working_hours`` as an evening is, unless the caller
books it knowingly (``outside_working_hours: true``: an emergency visitation on a Saturday)."""

from __future__ import annotations

import httpx

from services.kit.domain.case_access import CaseAccess
from services.scheduling.domain.meeting import Meeting
from tests.component.test_scheduling_working_hours_http import stored
from tests.support.tokens import bearer

COORDINATOR = bearer("0380", ("coordinator",), subject="coord-7")
THERAPIST, PEDAGOGUE = "0380-family-therapist-1", "0380-family-pedagogue-1"  # 08:00-16:30
MEETING = {"case_id": "0380-77", "kind": "visitation", "staff_ids": [THERAPIST, PEDAGOGUE]}
SATURDAY = {"start": "2026-11-28T10:00:00", "end": "2026-11-28T11:00:00"}
MIDSUMMER_EVE = {"start": "2027-06-25T10:00:00", "end": "2027-06-25T11:00:00"}  # a Friday
EPIPHANY = {"start": "2027-01-06T10:00:00", "end": "2027-01-06T11:00:00"}  # a Wednesday
TUESDAY = {"start": "2026-11-24T10:00:00", "end": "2026-11-24T11:00:00"}
KNOWINGLY = {"outside_working_hours": True}


def refused_as_a_day_off(answer: httpx.Response) -> bool:
    """Refused naming both participants by their place, never by id, and without the time sent."""
    if answer.status_code != 409:
        return False
    error = answer.json()["error"]
    return (
        error["code"] == "outside_working_hours"
        and "weekend or Swedish public holiday" in error["message"]
        and "staff_ids[0]" in error["message"]
        and "staff_ids[1]" in error["message"]
        and "outside_working_hours: true" in error["message"]
        and THERAPIST not in answer.text
        and PEDAGOGUE not in answer.text
        and "10:00" not in answer.text
    )


async def book(client: httpx.AsyncClient, **body: object) -> httpx.Response:
    return await client.post("/api/v1/meetings", json=MEETING | body, headers=COORDINATOR)


async def test_a_meeting_booked_by_hand_on_a_saturday_is_refused_as_outside_working_hours(scheduling) -> None:
    answer = await book(scheduling, **SATURDAY)
    assert refused_as_a_day_off(answer), answer.text
    assert "2026-11-28" not in answer.text
    assert stored(scheduling, Meeting.Booked) == []


async def test_a_meeting_booked_by_hand_on_midsummer_eve_is_refused_as_outside_working_hours(
    scheduling,
) -> None:
    answer = await book(scheduling, **MIDSUMMER_EVE)
    assert refused_as_a_day_off(answer), answer.text
    assert "2027-06-25" not in answer.text
    assert stored(scheduling, Meeting.Booked) == []


async def test_a_weekly_series_is_refused_whole_naming_the_occurrence_that_falls_on_christmas_eve(
    scheduling,
) -> None:
    thursdays = {"start": "2026-12-10T10:00:00", "end": "2026-12-10T11:00:00", "repeat_weeks": 1}
    answer = await book(scheduling, **thursdays, occurrences=4)  # the third is Christmas Eve
    assert refused_as_a_day_off(answer), answer.text
    assert "occurrence 3 of the series" in answer.json()["error"]["message"]
    assert stored(scheduling, Meeting.Booked) == []


async def test_a_meeting_rescheduled_onto_a_public_holiday_is_refused_and_logged_as_a_read_of_its_case(
    scheduling,
) -> None:
    booked = await book(scheduling, **TUESDAY)
    meeting_id = booked.json()[0]["meeting_id"]
    before = len(stored(scheduling, CaseAccess.Recorded))
    moved = await scheduling.post(
        f"/api/v1/meetings/{meeting_id}/reschedule", json=EPIPHANY, headers=COORDINATOR
    )
    assert refused_as_a_day_off(moved), moved.text
    assert stored(scheduling, Meeting.Rescheduled) == []
    [told] = stored(scheduling, CaseAccess.Recorded)[before:]
    assert (told.case_id, told.outcome) == ("0380-77", "granted")


async def test_an_emergency_visitation_on_a_saturday_and_one_moved_to_a_holiday_are_booked_knowingly(
    scheduling,
) -> None:
    booked = await book(scheduling, **SATURDAY | KNOWINGLY)
    assert booked.status_code == 201, booked.text
    meeting_id = booked.json()[0]["meeting_id"]
    moved = await scheduling.post(
        f"/api/v1/meetings/{meeting_id}/reschedule", json=MIDSUMMER_EVE | KNOWINGLY, headers=COORDINATOR
    )
    assert (moved.status_code, moved.json()["start"]) == (200, "2027-06-25T10:00:00"), moved.text
