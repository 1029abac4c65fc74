"""A fetched feed's SEQUENCE and times are the meeting's own: raised on every change, exact instants."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from services.scheduling.app import create_app
from tests.component.conftest import in_process
from tests.conftest import make_settings
from tests.support.tokens import bearer
from tests.unit.test_ics_feed import strictly_parsed

COORDINATOR = bearer("0380", ("coordinator",))
THERAPIST = "0380-family-therapist-1"


@pytest.fixture
async def scheduling(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    app.state.runtime.app.clock = lambda: datetime(2027, 1, 4, 8, 0)
    async with in_process(app, "http://scheduling") as client:
        yield client


async def book(client: httpx.AsyncClient, start: str, end: str, knowingly: bool = False) -> str:
    """``knowingly``: a time outside the therapist's working hours (a clock change is at night)."""
    body = {
        "case_id": "0380-77",
        "kind": "network_meeting",
        "start": start,
        "end": end,
        "staff_ids": [THERAPIST],
        "outside_working_hours": knowingly,
    }
    booked = await client.post("/api/v1/meetings", json=body, headers=COORDINATOR)
    return booked.json()[0]["meeting_id"]


async def test_a_rescheduled_then_cancelled_meeting_has_sequence_2_in_the_fetched_feed(scheduling) -> None:
    meeting_id = await book(scheduling, "2027-03-22T09:00:00", "2027-03-22T10:00:00")
    moved = {"start": "2027-03-23T09:00:00", "end": "2027-03-23T10:00:00"}
    await scheduling.post(f"/api/v1/meetings/{meeting_id}/reschedule", json=moved, headers=COORDINATOR)
    await scheduling.post(
        f"/api/v1/meetings/{meeting_id}/cancel", json={"reason": "ill"}, headers=COORDINATOR
    )
    for path in (f"/api/v1/staff/{THERAPIST}/calendar.ics", "/api/v1/cases/0380-77/calendar.ics"):
        [event] = strictly_parsed((await scheduling.get(path, headers=COORDINATOR)).content).walk("VEVENT")
        assert (int(event["sequence"]), str(event["status"])) == (2, "CANCELLED")
        assert event.decoded("dtstart").isoformat() == "2027-03-23T09:00:00+01:00"


async def test_a_fetched_feed_names_the_later_of_two_repeated_local_times_exactly(scheduling) -> None:
    await book(scheduling, "2027-10-31T02:00:00+01:00", "2027-10-31T02:30:00+01:00", knowingly=True)
    feed = await scheduling.get(f"/api/v1/staff/{THERAPIST}/calendar.ics", headers=COORDINATOR)
    [event] = strictly_parsed(feed.content).walk("VEVENT")
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2027, 10, 31, 1, tzinfo=UTC)
    assert int(event["sequence"]) == 0
