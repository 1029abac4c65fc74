"""Shared activities as their users meet them: nothing in the past, a cancelled one says so, and a
booking id never silently answers for another municipality's booking (issue 16)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx

from tests.component.test_collaboration_http import GAVLE, UPPSALA, VASTERAS, announce, as_, collaboration

__all__ = ["collaboration"]  # the fixture, shared with the collaboration HTTP tests


def activity(starts_at: str) -> dict[str, object]:
    return {
        "kind": "training",
        "title": "Training",
        "starts_at": starts_at,
        "seats": 3,
        "open_to": [VASTERAS],
    }


async def book(
    client: httpx.AsyncClient, activity_id: str, municipality: str, booking_id: str
) -> httpx.Response:
    return await client.post(
        f"/api/v1/activities/{activity_id}/bookings",
        headers=as_(municipality),
        json={"seats": 1, "booking_id": booking_id},
    )


async def test_an_activity_in_the_past_cannot_be_announced(collaboration) -> None:
    yesterday = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    response = await collaboration.post(
        "/api/v1/activities", headers=as_(UPPSALA, "coordinator"), json=activity(yesterday)
    )
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "an activity must start in the future"


async def test_an_activity_that_has_started_takes_no_bookings(collaboration) -> None:
    soon = (datetime.now(UTC) + timedelta(seconds=1.5)).isoformat()
    announced = await collaboration.post(
        "/api/v1/activities", headers=as_(UPPSALA, "coordinator"), json=activity(soon)
    )
    assert announced.status_code == 201
    await asyncio.sleep(2.0)
    late = await book(collaboration, announced.json()["activity_id"], VASTERAS, "vas-late")
    assert late.status_code == 409
    assert "already started" in late.json()["error"]["message"]


async def test_a_cancelled_activity_reads_cancelled(collaboration) -> None:
    activity_id = await announce(collaboration, open_to=[VASTERAS])
    cancelled = await collaboration.post(
        f"/api/v1/activities/{activity_id}/cancel", headers=as_(UPPSALA, "coordinator")
    )
    assert cancelled.status_code == 200
    seen = await collaboration.get(f"/api/v1/activities/{activity_id}", headers=as_(VASTERAS))
    assert (seen.json()["change"], seen.json()["cancelled"]) == ("cancelled", True)


async def test_a_booking_id_another_municipality_used_is_refused_not_answered_with_its_booking(
    collaboration,
) -> None:
    activity_id = await announce(collaboration, seats=4, open_to=[VASTERAS, GAVLE])
    assert (await book(collaboration, activity_id, VASTERAS, "b-1")).status_code == 201
    reused = await book(collaboration, activity_id, GAVLE, "b-1")
    assert reused.status_code == 409
    assert reused.json()["error"]["message"] == "that booking id is in use: send another, or none to get one"
    again = await book(collaboration, activity_id, VASTERAS, "b-1")  # a retry by the booker
    assert again.status_code == 201 and again.json()["seats_free"] == 3
