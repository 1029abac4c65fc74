"""Booking by hand keeps each person's day: overlaps refused, cancelled and moved times freed."""

from __future__ import annotations

from tests.support.tokens import bearer

COORDINATOR = bearer("0380", ("coordinator",))


async def book(scheduling, **overrides: object):
    body = {
        "case_id": "0380-77",
        "kind": "network_meeting",
        "start": "2026-11-24T09:00:00",
        "end": "2026-11-24T10:00:00",
        "staff_ids": ["0380-family-therapist-1"],
        **overrides,
    }
    return await scheduling.post("/api/v1/meetings", json=body, headers=COORDINATOR)


async def test_a_manual_booking_overlapping_a_persons_meeting_is_refused_with_a_clear_message(
    scheduling,
) -> None:
    first = await book(scheduling, staff_ids=["0380-coordinator-1"])
    assert first.status_code == 201
    clash = await book(
        scheduling,
        case_id="0380-78",
        start="2026-11-24T09:59:00",
        end="2026-11-24T11:00:00",
        staff_ids=["0380-family-therapist-2", "0380-coordinator-1"],
    )
    assert clash.status_code == 409
    assert clash.json()["error"]["message"] == "already booked at that time: staff_ids[1]"


async def test_a_cancelled_meetings_time_can_be_booked_again(scheduling) -> None:
    [booked] = (await book(scheduling)).json()
    await scheduling.post(
        f"/api/v1/meetings/{booked['meeting_id']}/cancel", json={"reason": "moved"}, headers=COORDINATOR
    )
    assert (await book(scheduling, case_id="0380-78")).status_code == 201


async def test_a_rescheduled_meeting_frees_its_old_time_and_holds_its_new_one(scheduling) -> None:
    [booked] = (await book(scheduling)).json()
    moved = await scheduling.post(
        f"/api/v1/meetings/{booked['meeting_id']}/reschedule",
        json={"start": "2026-11-25T13:00:00", "end": "2026-11-25T14:00:00"},
        headers=COORDINATOR,
    )
    assert moved.status_code == 200
    assert (await book(scheduling, case_id="0380-78")).status_code == 201
    onto_new = await book(
        scheduling, case_id="0380-79", start="2026-11-25T13:30:00", end="2026-11-25T14:30:00"
    )
    assert onto_new.status_code == 409
