"""Times over HTTP are unambiguous: local Swedish wall-clock time or an explicit offset, converted
once; a local time skipped or repeated at a clock change is refused with 422; nothing in the past."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import httpx
import pytest
from icalendar import Calendar

from services.scheduling.app import create_app
from services.scheduling.domain.meeting import Meeting
from tests.component.conftest import in_process
from tests.conftest import make_settings
from tests.support.tokens import bearer
from tests.unit.test_ics_feed import strictly_parsed

COORDINATOR = bearer("0380", ("coordinator",))
THERAPIST = "0380-family-therapist-1"
SPRING_GAP = "2027-03-28T02:30:00"  # the clocks go from 02:00 to 03:00: no such local time
AUTUMN_TWICE = "2027-10-31T02:30:00"  # the clocks go from 03:00 back to 02:00: two such times


@pytest.fixture
async def scheduling(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    store = app.state.runtime.app
    store.clock = lambda: datetime(2027, 1, 4, 8, 0)
    async with in_process(app, "http://scheduling") as client:
        yield client


# Clocks change at night, outside anyone's working hours: these meetings are booked there knowingly.
KNOWINGLY = {"outside_working_hours": True}


def meeting(start: str, end: str, **overrides: object) -> dict:
    return {
        "case_id": "0380-77",
        "kind": "network_meeting",
        "start": start,
        "end": end,
        "staff_ids": [THERAPIST],
        **KNOWINGLY,
        **overrides,
    }


async def book(client: httpx.AsyncClient, start: str, end: str, **overrides: object) -> httpx.Response:
    return await client.post("/api/v1/meetings", json=meeting(start, end, **overrides), headers=COORDINATOR)


async def reschedule(client: httpx.AsyncClient, meeting_id: str, start: str, end: str) -> httpx.Response:
    return await client.post(
        f"/api/v1/meetings/{meeting_id}/reschedule",
        json={"start": start, "end": end, **KNOWINGLY},
        headers=COORDINATOR,
    )


def stored(client: httpx.AsyncClient, meeting_id: str) -> Meeting:
    return client.app.state.runtime.app.repository.get(UUID(meeting_id))  # type: ignore[attr-defined]


def refused_naming(response: httpx.Response, field: str, value: str) -> bool:
    fields = [detail["field"] for detail in response.json()["error"]["details"]]
    return response.status_code == 422 and fields == [f"body.{field}"] and value not in response.text


async def test_rescheduling_with_a_utc_offset_moves_the_meeting_instead_of_answering_500(scheduling) -> None:
    booked = (await book(scheduling, "2027-01-12T09:00:00", "2027-01-12T10:00:00")).json()[0]
    await book(scheduling, "2027-01-14T09:00:00", "2027-01-14T10:00:00", case_id="0380-78")  # compared with
    moved = await reschedule(scheduling, booked["meeting_id"], "2027-01-13T08:00:00Z", "2027-01-13T09:00:00Z")
    assert moved.status_code == 200, moved.text
    assert (moved.json()["start"], moved.json()["end"]) == ("2027-01-13T09:00:00", "2027-01-13T10:00:00")
    meeting = stored(scheduling, booked["meeting_id"])
    assert meeting.starts_at == datetime(2027, 1, 13, 8, tzinfo=UTC)


async def test_the_spring_clock_change_of_2027_refuses_the_skipped_hour_without_an_offset(scheduling) -> None:
    skipped = await book(scheduling, SPRING_GAP, "2027-03-28T03:30:00")
    assert refused_naming(skipped, "start", SPRING_GAP)
    with_offset = await book(scheduling, "2027-03-28T02:30:00+01:00", "2027-03-28T04:30:00+02:00")
    assert with_offset.status_code == 201, with_offset.text
    [booked] = with_offset.json()
    assert (booked["start"], booked["end"]) == ("2027-03-28T03:30:00", "2027-03-28T04:30:00")
    meeting = stored(scheduling, booked["meeting_id"])
    assert meeting.starts_at == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    moved_into_gap = await reschedule(scheduling, booked["meeting_id"], SPRING_GAP, "2027-03-28T04:00:00")
    assert refused_naming(moved_into_gap, "start", SPRING_GAP)
    after = await reschedule(scheduling, booked["meeting_id"], "2027-03-28T03:00:00", "2027-03-28T04:00:00")
    assert after.status_code == 200 and stored(scheduling, booked["meeting_id"]).starts_at == datetime(
        2027, 3, 28, 1, tzinfo=UTC
    )


async def test_the_autumn_clock_change_of_2027_needs_an_offset_in_the_repeated_hour(scheduling) -> None:
    twice = await book(scheduling, "2027-10-31T01:30:00", AUTUMN_TWICE)
    assert refused_naming(twice, "end", AUTUMN_TWICE)
    first = await book(scheduling, "2027-10-31T02:00:00+02:00", "2027-10-31T02:30:00+02:00")
    second = await book(
        scheduling, "2027-10-31T02:00:00+01:00", "2027-10-31T02:30:00+01:00", case_id="0380-78"
    )
    assert (first.status_code, second.status_code) == (201, 201), second.text
    instants = [stored(scheduling, r.json()[0]["meeting_id"]).starts_at for r in (first, second)]
    assert instants == [datetime(2027, 10, 31, 0, tzinfo=UTC), datetime(2027, 10, 31, 1, tzinfo=UTC)]
    meeting_id = first.json()[0]["meeting_id"]
    assert refused_naming(
        await reschedule(scheduling, meeting_id, AUTUMN_TWICE, "2027-10-31T03:30:00"), "start", AUTUMN_TWICE
    )
    moved = await reschedule(scheduling, meeting_id, "2027-10-31T02:30:00+01:00", "2027-10-31T03:30:00+01:00")
    assert moved.status_code == 200, moved.text
    assert stored(scheduling, meeting_id).starts_at == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)


async def test_a_weekly_series_keeps_its_local_time_across_the_clock_change(scheduling) -> None:
    series = await book(
        scheduling, "2027-03-22T09:00:00+01:00", "2027-03-22T10:00:00+01:00", repeat_weeks=1, occurrences=2
    )
    assert [m["start"] for m in series.json()] == ["2027-03-22T09:00:00", "2027-03-29T09:00:00"]
    night = await book(
        scheduling,
        "2027-03-21T02:30:00",
        "2027-03-21T03:30:00",
        repeat_weeks=1,
        occurrences=2,
        case_id="0380-9",
    )
    assert night.status_code == 422 and "02:30" not in night.text


async def test_a_meeting_in_the_past_is_neither_booked_nor_moved_there(scheduling) -> None:
    past = await book(scheduling, "2027-01-04T07:00:00", "2027-01-04T07:30:00")
    assert past.status_code == 422 and past.json()["error"]["code"] == "meeting_in_the_past"
    assert "07:00" not in past.text
    booked = (await book(scheduling, "2027-01-04T09:00:00", "2027-01-04T10:00:00")).json()[0]
    back = await reschedule(scheduling, booked["meeting_id"], "2027-01-03T09:00:00", "2027-01-03T10:00:00")
    assert back.status_code == 422 and back.json()["error"]["code"] == "meeting_in_the_past"
    assert stored(scheduling, booked["meeting_id"]).start == datetime(2027, 1, 4, 9)


async def test_the_feed_of_a_meeting_in_the_repeated_hour_names_its_instant(scheduling) -> None:
    second = await book(scheduling, "2027-10-31T02:00:00+01:00", "2027-10-31T02:30:00+01:00")
    booked = second.json()[0]
    feed = await scheduling.get(f"/api/v1/staff/{THERAPIST}/calendar.ics", headers=COORDINATOR)
    [event] = Calendar.from_ical(feed.content).walk("VEVENT")
    assert str(event["uid"]) == f"{booked['meeting_id']}@natverk"
    # The calendar row keeps only the wall-clock time, read as the first 02:00 (RFC 5545 §3.3.5)
    # until the feed is made from the meetings themselves (FeedEntry.of_meeting).
    assert event.decoded("dtstart").astimezone(UTC) in (
        datetime(2027, 10, 31, 0, tzinfo=UTC),
        datetime(2027, 10, 31, 1, tzinfo=UTC),
    )


async def test_a_feed_over_http_is_strict_rfc_5545_and_shows_a_cancellation(scheduling) -> None:
    booked = (await book(scheduling, "2027-03-22T09:00:00", "2027-03-22T10:00:00")).json()[0]
    await scheduling.post(
        f"/api/v1/meetings/{booked['meeting_id']}/cancel", json={"reason": "family ill"}, headers=COORDINATOR
    )
    feed = await scheduling.get("/api/v1/cases/0380-77/calendar.ics", headers=COORDINATOR)
    [event] = strictly_parsed(feed.content).walk("VEVENT")
    assert (str(event["uid"]), str(event["status"])) == (f"{booked['meeting_id']}@natverk", "CANCELLED")
    assert int(event["sequence"]) >= 1
