"""Shared activities as their users meet them: nothing in the past, a cancelled one says so, and a
booking id is the booking municipality's own: it never answers for another municipality's booking
(issue 16)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from tests.component.test_collaboration_http import (
    GAVLE,
    UPPSALA,
    VASTERAS,
    announce,
    as_,
    collaboration,
    service_app,
)

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
    client: httpx.AsyncClient, activity_id: str, municipality: str, booking_id: str, seats: int = 1
) -> httpx.Response:
    return await client.post(
        f"/api/v1/activities/{activity_id}/bookings",
        headers=as_(municipality),
        json={"seats": seats, "booking_id": booking_id},
    )


async def seen_by(client: httpx.AsyncClient, activity_id: str, municipality: str) -> dict[str, object]:
    response = await client.get(f"/api/v1/activities/{activity_id}", headers=as_(municipality))
    assert response.status_code == 200, response.text
    return response.json()


async def test_an_activity_in_the_past_cannot_be_announced(collaboration) -> None:
    yesterday = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    response = await collaboration.post(
        "/api/v1/activities", headers=as_(UPPSALA, "coordinator"), json=activity(yesterday)
    )
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "an activity must start in the future"


async def test_an_activity_that_has_started_takes_no_bookings(collaboration) -> None:
    starts_at = datetime.now(UTC) + timedelta(hours=1)
    announced = await collaboration.post(
        "/api/v1/activities", headers=as_(UPPSALA, "coordinator"), json=activity(starts_at.isoformat())
    )
    assert announced.status_code == 201
    service_app(collaboration).clock = lambda: starts_at + timedelta(seconds=1)
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


async def test_two_municipalities_booking_with_the_same_id_both_get_seats_and_see_only_their_own(
    collaboration,
) -> None:
    activity_id = await announce(collaboration, seats=5, open_to=[VASTERAS, GAVLE])
    assert (await book(collaboration, activity_id, VASTERAS, "b-1")).status_code == 201
    theirs = await book(collaboration, activity_id, GAVLE, "b-1", seats=2)
    assert theirs.status_code == 201
    assert (theirs.json()["seats_free"], theirs.json()["booking_id"]) == (2, "b-1")
    assert theirs.json()["bookings"] == [{"booking_id": "b-1", "seats": 2}]
    assert (await seen_by(collaboration, activity_id, VASTERAS))["bookings"] == [
        {"booking_id": "b-1", "seats": 1}
    ]
    hosts = (await seen_by(collaboration, activity_id, UPPSALA))["bookings"]
    assert sorted((b["municipality"], b["booking_id"], b["seats"]) for b in hosts) == [
        (VASTERAS, "b-1", 1),
        (GAVLE, "b-1", 2),
    ]


async def test_cancelling_a_booking_leaves_another_municipalitys_booking_of_the_same_id(
    collaboration,
) -> None:
    activity_id = await announce(collaboration, seats=4, open_to=[VASTERAS, GAVLE])
    await book(collaboration, activity_id, VASTERAS, "b-1")
    await book(collaboration, activity_id, GAVLE, "b-1")
    path = f"/api/v1/activities/{activity_id}/bookings/b-1"
    cancelled = await collaboration.delete(path, headers=as_(GAVLE))
    assert cancelled.status_code == 200 and cancelled.json()["bookings"] == []
    assert (await seen_by(collaboration, activity_id, VASTERAS))["bookings"] == [
        {"booking_id": "b-1", "seats": 1}
    ]
    assert (await seen_by(collaboration, activity_id, UPPSALA))["seats_free"] == 3


async def test_another_municipalitys_booking_id_answers_a_cancellation_like_an_unknown_one(
    collaboration,
) -> None:
    activity_id = await announce(collaboration, seats=4, open_to=[VASTERAS, GAVLE])
    await book(collaboration, activity_id, VASTERAS, "b-1")
    theirs = await collaboration.delete(f"/api/v1/activities/{activity_id}/bookings/b-1", headers=as_(GAVLE))
    unknown = await collaboration.delete(f"/api/v1/activities/{activity_id}/bookings/b-9", headers=as_(GAVLE))
    assert theirs.status_code == unknown.status_code == 404
    assert theirs.json() == unknown.json()
    assert (await seen_by(collaboration, activity_id, VASTERAS))["bookings"] == [
        {"booking_id": "b-1", "seats": 1}
    ]


async def test_a_retried_booking_answers_the_same_and_a_changed_one_is_refused_beside_anothers_same_id(
    collaboration,
) -> None:
    activity_id = await announce(collaboration, seats=5, open_to=[VASTERAS, GAVLE])
    first = await book(collaboration, activity_id, VASTERAS, "b-1", seats=2)
    await book(collaboration, activity_id, GAVLE, "b-1", seats=1)
    again = await book(collaboration, activity_id, VASTERAS, "b-1", seats=2)  # a retry by the booker
    assert again.status_code == 201
    assert (again.json()["booking_id"], again.json()["bookings"]) == (
        first.json()["booking_id"],
        first.json()["bookings"],
    )
    assert again.json()["seats_free"] == 2  # nothing more booked: 2 + 1 of 5
    changed = await book(collaboration, activity_id, GAVLE, "b-1", seats=3)
    assert changed.status_code == 409
    assert changed.json()["error"]["message"] == (
        "that booking id was used for another number of seats: send another"
    )
    assert (await seen_by(collaboration, activity_id, GAVLE))["bookings"] == [
        {"booking_id": "b-1", "seats": 1}
    ]
