"""The coordinator fills a role a booked meeting names with a member of the roster (ADR 0026, addendum
"a named role is filled by hand"): ``POST /api/v1/meetings/{id}/fill-role``.  The member is judged as
a booking by hand judges its participants, invited as at booking (their calendar, the case timeline's
``invitees_changed``), and the duty leaves the worklist.  Records through the kit's real tracking
consumer, commands and reads over HTTP with a JWT."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from services.scheduling.domain.meeting import Meeting
from tests.component.conftest import fed_referral_records
from tests.component.test_scheduling_roles_to_fill_http import (
    BUSY,
    CASE,
    COORDINATOR,
    FREE,
    a_full_week_for,
    book,
    convened,
    meeting_of,
    register_case_worker,
    unfilled,
)
from tests.support.referral_records import referral_declined
from tests.support.tokens import bearer
from tests.support.worklists import published


@pytest.fixture
def store(scheduling: httpx.AsyncClient) -> Any:
    """Scheduling's store, its clock on the referral's morning, ``feed`` handing it referral records."""
    return fed_referral_records(scheduling, "fill-role")


async def fill(
    scheduling: httpx.AsyncClient, meeting_id: object, staff_id: str, role: str = "case_worker", **more: Any
) -> httpx.Response:
    body = {"role": role, "staff_id": staff_id}
    return await scheduling.post(
        f"/api/v1/meetings/{meeting_id}/fill-role", json=body, headers={**COORDINATOR, **more}
    )


def refused(answer: httpx.Response, status: int, code: str) -> None:
    assert (answer.status_code, answer.json()["error"]["code"]) == (status, code), answer.text


async def calendar_of(scheduling: httpx.AsyncClient, staff_id: str) -> list[str]:
    answer = await scheduling.get(f"/api/v1/staff/{staff_id}/calendar", headers=COORDINATOR)
    assert answer.status_code == 200, answer.text
    return [item["meeting_id"] for item in answer.json()["items"]]


async def test_filling_the_named_case_worker_invites_them_and_takes_the_duty_off_the_worklist(
    scheduling, store
) -> None:
    _, meeting = await convened(scheduling, store)
    [duty] = await unfilled(scheduling)
    assert duty["action_path"] == f"/api/v1/meetings/{meeting['meeting_id']}/fill-role"
    await register_case_worker(scheduling, FREE)
    answer = await fill(scheduling, meeting["meeting_id"], FREE)
    assert answer.status_code == 200, answer.text
    assert FREE in answer.json()["staff_ids"] and answer.json()["other_participants"] == []
    assert await unfilled(scheduling) == []
    assert meeting["meeting_id"] in await calendar_of(scheduling, FREE)
    [*_, invited] = published(scheduling, "se.natverk.meeting.invitees_changed.v1")  # the case timeline's
    assert (invited.meeting_id, invited.case_id, FREE in invited.staff_ids) == (
        meeting["meeting_id"],
        CASE,
        True,
    )


async def test_a_fill_repeated_with_its_idempotency_key_answers_as_the_first_time(scheduling, store) -> None:
    _, meeting = await convened(scheduling, store)
    await register_case_worker(scheduling, FREE)
    first = await fill(scheduling, meeting["meeting_id"], FREE, **{"Idempotency-Key": "fill-1"})
    again = await fill(scheduling, meeting["meeting_id"], FREE, **{"Idempotency-Key": "fill-1"})
    assert first.status_code == 200, first.text
    assert (again.status_code, again.json()) == (200, first.json())
    assert again.headers["idempotent-replayed"] == "true"


async def test_a_role_the_meeting_does_not_name_is_refused(scheduling, store) -> None:
    _, meeting = await convened(scheduling, store)
    answer = await fill(scheduling, meeting["meeting_id"], "0380-parent-supporter-1", role="parent_supporter")
    refused(answer, 409, "role_not_named")


async def test_someone_of_another_municipality_is_refused_exactly_as_someone_not_on_the_roster(
    scheduling, store
) -> None:
    _, meeting = await convened(scheduling, store)
    theirs = {"staff_id": "handlaggare-5", "role": "case_worker"}
    registered = await scheduling.post("/api/v1/staff", json=theirs, headers=bearer("1980", ("coordinator",)))
    assert registered.status_code == 201, registered.text
    elsewhere = await fill(scheduling, meeting["meeting_id"], "handlaggare-5")
    nobody = await fill(scheduling, meeting["meeting_id"], "handlaggare-404")
    refused(elsewhere, 422, "unknown_staff")
    assert elsewhere.json() == nobody.json()
    assert "handlaggare-5" not in elsewhere.text


async def test_a_member_who_left_the_roster_is_refused_as_not_on_it(scheduling, store) -> None:
    _, meeting = await convened(scheduling, store)
    await register_case_worker(scheduling, FREE)
    assert (await scheduling.delete(f"/api/v1/staff/{FREE}", headers=COORDINATOR)).status_code == 204
    refused(await fill(scheduling, meeting["meeting_id"], FREE), 422, "unknown_staff")


async def test_a_member_of_another_role_is_refused(scheduling, store) -> None:
    _, meeting = await convened(scheduling, store)
    answer = await fill(scheduling, meeting["meeting_id"], "0380-family-therapist-2")
    refused(answer, 422, "staff_of_another_role")
    assert "0380-family-therapist-2" not in answer.text


async def test_a_member_whose_week_is_full_is_refused_over_weekly_capacity_and_the_duty_stays(
    scheduling, store
) -> None:
    _, meeting = await convened(scheduling, store)
    await a_full_week_for(scheduling, BUSY, meeting)
    answer = await fill(scheduling, meeting["meeting_id"], BUSY)
    refused(answer, 409, "over_weekly_capacity")
    assert "staff_id" in answer.json()["error"]["message"] and BUSY not in answer.text
    assert (await meeting_of(scheduling, meeting["meeting_id"]))["other_participants"] == ["case_worker"]
    assert len(await unfilled(scheduling)) == 1


async def test_a_member_whose_week_is_full_is_invited_when_the_fill_says_so_knowingly(
    scheduling, store
) -> None:
    _, meeting = await convened(scheduling, store)
    await a_full_week_for(scheduling, BUSY, meeting)
    knowingly = {"role": "case_worker", "staff_id": BUSY, "over_weekly_capacity": True}
    path = f"/api/v1/meetings/{meeting['meeting_id']}/fill-role"
    answer = await scheduling.post(path, json=knowingly, headers=COORDINATOR)
    assert answer.status_code == 200, answer.text
    assert BUSY in answer.json()["staff_ids"] and await unfilled(scheduling) == []


async def test_a_member_booked_at_the_meetings_time_is_refused_as_a_double_booking(scheduling, store) -> None:
    _, meeting = await convened(scheduling, store)
    await register_case_worker(scheduling, FREE)
    await book(scheduling, [FREE], meeting["start"], meeting["end"])
    refused(await fill(scheduling, meeting["meeting_id"], FREE), 409, "double_booking")


async def test_a_member_who_does_not_work_at_the_meetings_time_is_refused(scheduling, store) -> None:
    _, meeting = await convened(scheduling, store)
    morning = datetime.fromisoformat(meeting["start"]).hour < 12
    hours = {"work_starts": "13:00", "work_ends": "16:30"} if morning else {"work_ends": "10:00"}
    await register_case_worker(scheduling, FREE, **hours)
    refused(await fill(scheduling, meeting["meeting_id"], FREE), 409, "outside_working_hours")


async def test_a_meeting_that_has_begun_takes_nobody_more(scheduling, store) -> None:
    _, meeting = await convened(scheduling, store)
    await register_case_worker(scheduling, FREE)
    store.clock = lambda: datetime.fromisoformat(meeting["start"]) + timedelta(minutes=1)
    refused(await fill(scheduling, meeting["meeting_id"], FREE), 409, "meeting_begun")


async def test_a_cancelled_meeting_takes_nobody_more(scheduling, store) -> None:
    referral_id, meeting = await convened(scheduling, store)
    await register_case_worker(scheduling, FREE)
    await store.feed(referral_declined(CASE, referral_id, 2))
    refused(await fill(scheduling, meeting["meeting_id"], FREE), 409, "meeting_closed")


async def test_another_municipalitys_meeting_answers_as_an_absent_one(scheduling, store) -> None:
    _, meeting = await convened(scheduling, store)
    other = bearer("1980", ("coordinator",))
    body = {"role": "case_worker", "staff_id": FREE}
    theirs = await scheduling.post(
        f"/api/v1/meetings/{meeting['meeting_id']}/fill-role", json=body, headers=other
    )
    absent = await scheduling.post(
        f"/api/v1/meetings/{Meeting.id_for_referral('absent')}/fill-role", json=body, headers=other
    )
    assert (theirs.status_code, theirs.json()) == (404, absent.json())
