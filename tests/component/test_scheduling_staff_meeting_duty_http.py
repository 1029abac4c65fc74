"""A referral's staff meeting is a duty that nothing done by hand may quietly end (read over HTTP
with a JWT): not a coordinator leaving the roster, not a cancellation by hand, not an attendance
recorded before the meeting; and a meeting booked by hand is a meeting, not a year of blocked days."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from services.scheduling.domain.meeting import Meeting
from tests.support.tokens import bearer

COORDINATOR = bearer("0380", ("coordinator",))
REFERRED = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # a Monday morning


def convene(scheduling: httpx.AsyncClient) -> tuple[Any, str]:
    """A referral received on Monday morning, as the referral consumer hands it on; its id."""
    store = scheduling.app.state.runtime.app  # type: ignore[attr-defined]
    store.clock = lambda: datetime(2026, 11, 23, 8, 0)
    referral_id = str(uuid.uuid4())
    store.convene_staff_meeting(referral_id, "network_centre", "0380-D1", "0380", "placed", "cw-1", REFERRED)
    return store, referral_id


async def obligations(scheduling: httpx.AsyncClient) -> list[str]:
    answer = await scheduling.get("/api/v1/worklist", headers=COORDINATOR)
    assert answer.status_code == 200, answer.text
    return [item["obligation"] for item in answer.json()["items"]]


async def test_a_referral_that_finds_no_coordinator_on_the_roster_is_noted_unbooked_and_booked_once_one_is(
    scheduling,
) -> None:
    """Uppsala's one coordinator left before the next was registered: the referral was dropped."""
    assert (
        await scheduling.delete("/api/v1/staff/0380-coordinator-1", headers=COORDINATOR)
    ).status_code == 204
    store, referral_id = convene(scheduling)
    assert await obligations(scheduling) == ["staff_meeting_unbooked"]
    registered = {"staff_id": "0380-coordinator-2", "role": "coordinator"}
    assert (await scheduling.post("/api/v1/staff", json=registered, headers=COORDINATOR)).status_code == 201
    assert store.retry_unbooked_staff_meetings() == 1
    assert "0380-coordinator-2" in store.repository.get(Meeting.id_for_referral(referral_id)).staff_ids


async def test_a_municipality_that_never_had_a_coordinator_convenes_nothing(scheduling) -> None:
    store = scheduling.app.state.runtime.app  # type: ignore[attr-defined]
    store.convene_staff_meeting(
        str(uuid.uuid4()), "network_centre", "2180-D1", "2180", "placed", "cw-1", REFERRED
    )
    gavle = await scheduling.get("/api/v1/worklist", headers=bearer("2180", ("coordinator",)))
    assert gavle.json()["items"] == []


async def test_a_referrals_staff_meeting_is_not_cancelled_by_hand(scheduling) -> None:
    store, referral_id = convene(scheduling)
    meeting_id = Meeting.id_for_referral(referral_id)
    refused = await scheduling.post(
        f"/api/v1/meetings/{meeting_id}/cancel", json={"reason": "wrong time"}, headers=COORDINATOR
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (
        409,
        "staff_meeting_follows_its_referral",
    )
    assert store.repository.get(meeting_id).status == "booked"
    assert await obligations(scheduling) == ["staff_meeting"]


async def test_attendance_is_not_recorded_before_the_meeting_has_begun(scheduling) -> None:
    store, referral_id = convene(scheduling)
    meeting_id = Meeting.id_for_referral(referral_id)
    early = await scheduling.post(
        f"/api/v1/meetings/{meeting_id}/attendance",
        json={"attended": ["0380-coordinator-1"], "outcome": "done"},
        headers=COORDINATOR,
    )
    assert (early.status_code, early.json()["error"]["code"]) == (409, "meeting_not_begun")
    assert await obligations(scheduling) == ["staff_meeting"]
    meeting = store.repository.get(meeting_id)
    store.clock = lambda: meeting.end  # once it has begun (ended, here), it is recorded
    held = await scheduling.post(
        f"/api/v1/meetings/{meeting_id}/attendance",
        json={"attended": ["0380-coordinator-1"], "outcome": "done"},
        headers=COORDINATOR,
    )
    assert (held.status_code, held.json()["status"]) == (200, "held")


async def test_a_meeting_longer_than_a_working_day_or_naming_someone_twice_is_refused_with_422(
    scheduling,
) -> None:
    """A year typed for a day booked 1,473 records and blocked its staff for a year."""
    store = scheduling.app.state.runtime.app  # type: ignore[attr-defined]
    before = store.recorder.max_notification_id()
    for start, end, staff in (
        ("2026-12-08T09:00:00", "2027-12-08T10:00:00", ["0380-family-therapist-1"]),
        ("2026-12-08T09:00:00", "2026-12-08T21:01:00", ["0380-family-therapist-1"]),
        ("2026-12-08T09:00:00", "2026-12-08T10:00:00", ["0380-family-therapist-1"] * 2),
    ):
        body = {
            "case_id": "0380-D2",
            "kind": "network_meeting",
            "start": start,
            "end": end,
            "staff_ids": staff,
        }
        refused = await scheduling.post("/api/v1/meetings", json=body, headers=COORDINATOR)
        assert refused.status_code == 422, refused.text
        assert "2027-12-08" not in refused.text and "family-therapist" not in refused.text
    assert store.recorder.max_notification_id() == before


async def test_a_meeting_across_the_autumn_clock_change_reads_with_the_instants_it_names(scheduling) -> None:
    """02:30 to 02:45 on the wall is 75 minutes when the clocks go back in between."""
    body = {"case_id": "0380-D3", "kind": "network_meeting", "staff_ids": ["0380-family-therapist-1"]}
    body |= {"start": "2027-10-31T02:30:00+02:00", "end": "2027-10-31T02:45:00+01:00"}
    body |= {"outside_working_hours": True}  # the clocks go back at night
    [booked] = (await scheduling.post("/api/v1/meetings", json=body, headers=COORDINATOR)).json()
    shown = await scheduling.get(f"/api/v1/meetings/{booked['meeting_id']}", headers=COORDINATOR)
    meeting = shown.json()
    assert (meeting["start"], meeting["end"]) == ("2027-10-31T02:30:00", "2027-10-31T02:45:00")
    starts, ends = datetime.fromisoformat(meeting["starts_at"]), datetime.fromisoformat(meeting["ends_at"])
    assert (ends - starts).total_seconds() == 75 * 60
