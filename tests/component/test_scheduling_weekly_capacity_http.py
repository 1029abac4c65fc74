"""A time chosen by hand keeps to each participant's weekly capacity, as the slot finder does, over
HTTP with a JWT: a booking, an occurrence of a series or a reschedule that takes someone's booked
hours in its ISO week past their ``weekly_capacity_hours`` is 409 ``over_weekly_capacity`` naming
them by their place in ``staff_ids``, unless the caller books it knowingly
(``over_weekly_capacity: true``); a rescheduled meeting is not counted twice."""

from __future__ import annotations

from datetime import datetime

import httpx

from services.kit.domain.case_access import CaseAccess
from services.scheduling.domain.meeting import Meeting
from tests.component.test_scheduling_working_hours_http import stored
from tests.support.tokens import bearer

COORDINATOR = bearer("0380", ("coordinator",), subject="coord-7")
FULL_TIME = "0380-family-therapist-1"  # 40 hours a week
PART_TIME = "0380-part-time-pedagogue"  # 8 hours a week
BOTH = [FULL_TIME, PART_TIME]


async def with_a_part_time_colleague(client: httpx.AsyncClient) -> None:
    member = {"staff_id": PART_TIME, "role": "family_pedagogue", "weekly_capacity_hours": 8}
    assert (await client.post("/api/v1/staff", json=member, headers=COORDINATOR)).status_code == 201


def hour(day: str, at: int) -> dict[str, str]:
    return {"start": f"2026-11-{day}T{at:02d}:00:00", "end": f"2026-11-{day}T{at + 1:02d}:00:00"}


async def book(
    client: httpx.AsyncClient, times: dict, case_id: str = "0380-77", **more: object
) -> httpx.Response:
    body = {"case_id": case_id, "kind": "network_meeting", "staff_ids": BOTH, **times, **more}
    return await client.post("/api/v1/meetings", json=body, headers=COORDINATOR)


async def eight_hours_booked(client: httpx.AsyncClient, count: int = 8) -> list[str]:
    """``count`` one-hour meetings in the week of Monday 23 November: eight fill the part-timer's week."""
    ids = []
    for day, at in [(day, at) for day in ("23", "24", "25", "26") for at in (9, 13)][:count]:
        answer = await book(client, hour(day, at), case_id=f"0380-{day}{at}")
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()[0]["meeting_id"])
    return ids


def refused_naming_the_part_timer(answer: httpx.Response) -> bool:
    if answer.status_code != 409:
        return False
    error = answer.json()["error"]
    return (
        error["code"] == "over_weekly_capacity"
        and "staff_ids[1]" in error["message"]
        and "staff_ids[0]" not in error["message"]
        and "over_weekly_capacity: true" in error["message"]
        and PART_TIME not in answer.text
        and FULL_TIME not in answer.text
    )


async def test_a_ninth_meeting_in_a_week_of_eight_hours_capacity_is_refused_naming_the_participants_place(
    scheduling,
) -> None:
    await with_a_part_time_colleague(scheduling)
    await eight_hours_booked(scheduling)
    answer = await book(scheduling, hour("27", 9), case_id="0380-9")
    assert refused_naming_the_part_timer(answer), answer.text
    assert len(stored(scheduling, Meeting.Booked)) == 8


async def test_a_meeting_over_weekly_capacity_is_booked_knowingly_and_outside_working_hours_is_not_that(
    scheduling,
) -> None:
    await with_a_part_time_colleague(scheduling)
    await eight_hours_booked(scheduling)
    other_knowing = await book(scheduling, hour("27", 9), case_id="0380-9", outside_working_hours=True)
    assert refused_naming_the_part_timer(other_knowing), other_knowing.text
    knowingly = await book(scheduling, hour("27", 9), case_id="0380-9", over_weekly_capacity=True)
    assert knowingly.status_code == 201, knowingly.text


async def test_the_next_week_of_a_full_week_is_bookable(scheduling) -> None:
    await with_a_part_time_colleague(scheduling)
    await eight_hours_booked(scheduling)
    assert (
        await book(scheduling, {"start": "2026-11-30T09:00:00", "end": "2026-11-30T10:00:00"})
    ).status_code == 201


async def test_a_meeting_rescheduled_and_lengthened_within_its_week_counts_once(scheduling) -> None:
    await with_a_part_time_colleague(scheduling)
    first, *_ = await eight_hours_booked(scheduling, count=7)  # one hour left that week
    two_hours = {"start": "2026-11-27T09:00:00", "end": "2026-11-27T11:00:00"}
    moved = await scheduling.post(f"/api/v1/meetings/{first}/reschedule", json=two_hours, headers=COORDINATOR)
    assert (moved.status_code, moved.json()["end"]) == (200, "2026-11-27T11:00:00"), moved.text


async def test_a_meeting_moved_about_in_a_week_already_past_capacity_is_not_refused(scheduling) -> None:
    await with_a_part_time_colleague(scheduling)
    await eight_hours_booked(scheduling)
    ninth = await book(scheduling, hour("27", 9), case_id="0380-9", over_weekly_capacity=True)
    meeting_id = ninth.json()[0]["meeting_id"]
    moved = await scheduling.post(
        f"/api/v1/meetings/{meeting_id}/reschedule", json=hour("27", 14), headers=COORDINATOR
    )
    assert (moved.status_code, moved.json()["start"]) == (200, "2026-11-27T14:00:00"), moved.text


async def test_a_meeting_rescheduled_into_a_full_week_is_refused_and_logged_as_a_read_of_its_case(
    scheduling,
) -> None:
    await with_a_part_time_colleague(scheduling)
    later = await book(scheduling, {"start": "2026-11-30T09:00:00", "end": "2026-11-30T10:00:00"})
    meeting_id = later.json()[0]["meeting_id"]
    await eight_hours_booked(scheduling)
    before = len(stored(scheduling, CaseAccess.Recorded))
    moved = await scheduling.post(
        f"/api/v1/meetings/{meeting_id}/reschedule", json=hour("27", 9), headers=COORDINATOR
    )
    assert refused_naming_the_part_timer(moved), moved.text
    assert stored(scheduling, Meeting.Rescheduled) == []
    [told] = stored(scheduling, CaseAccess.Recorded)[before:]
    assert (told.case_id, told.outcome) == ("0380-77", "granted")


async def test_a_weekly_series_is_refused_whole_naming_the_occurrence_whose_week_is_full(scheduling) -> None:
    await with_a_part_time_colleague(scheduling)
    await eight_hours_booked(scheduling)
    series = {"start": "2026-11-17T15:00:00", "end": "2026-11-17T16:00:00", "repeat_weeks": 1}
    answer = await book(scheduling, series, case_id="0380-9", occurrences=3)  # the second is in the full week
    assert refused_naming_the_part_timer(answer), answer.text
    assert "occurrence 2 of the series" in answer.json()["error"]["message"]
    assert len(stored(scheduling, Meeting.Booked)) == 8


async def held(client: httpx.AsyncClient, meeting_ids: list[str]) -> None:
    """Each meeting recorded as held, once all have begun (Friday 27 November, 08:00)."""
    client.app.state.runtime.app.clock = lambda: datetime(2026, 11, 27, 8, 0)  # type: ignore[attr-defined]
    for meeting_id in meeting_ids:
        body = {"attended": BOTH, "outcome": "a plan for the winter"}
        answer = await client.post(
            f"/api/v1/meetings/{meeting_id}/attendance", json=body, headers=COORDINATOR
        )
        assert (answer.status_code, answer.json()["status"]) == (200, "held"), answer.text


async def test_hours_held_earlier_in_the_week_count_towards_its_capacity(scheduling) -> None:
    """Eight hours held by Friday are eight hours of the part-timer's week spent: a ninth is refused."""
    await with_a_part_time_colleague(scheduling)
    await held(scheduling, await eight_hours_booked(scheduling))
    answer = await book(scheduling, hour("27", 9), case_id="0380-9")
    assert refused_naming_the_part_timer(answer), answer.text


async def test_hours_cancelled_earlier_in_the_week_do_not_count_towards_its_capacity(scheduling) -> None:
    await with_a_part_time_colleague(scheduling)
    first, *others = await eight_hours_booked(scheduling)
    await held(scheduling, others)
    cancelled = await scheduling.post(
        f"/api/v1/meetings/{first}/cancel", json={"reason": "the family fell ill"}, headers=COORDINATOR
    )
    assert cancelled.status_code == 200, cancelled.text
    answer = await book(scheduling, hour("27", 9), case_id="0380-9")
    assert answer.status_code == 201, answer.text
