"""The scheduling HTTP API: roster, booking, double booking, calendars as JSON and iCalendar."""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar

from tests.support.tokens import bearer

COORDINATOR = bearer("0380", ("coordinator",))


def meeting(**overrides: object) -> dict:
    body = {
        "case_id": "0380-77",
        "kind": "network_meeting",
        "start": "2026-11-24T09:00:00",
        "end": "2026-11-24T10:00:00",
        "staff_ids": ["0380-family-therapist-1"],
        "other_participants": ["parent", "network"],
    }
    body.update(overrides)
    return body


async def test_the_uppsala_network_centre_roster_is_there_from_the_start(scheduling) -> None:
    roster = (await scheduling.get("/api/v1/staff", headers=COORDINATOR)).json()
    assert roster["next_cursor"] is None
    roles = sorted(r["role"] for r in roster["items"])
    assert (
        roles
        == ["coordinator"] + ["family_pedagogue"] * 2 + ["family_therapist"] * 2 + ["parent_supporter"] * 2
    )


async def test_booking_a_person_twice_at_the_same_time_is_refused(scheduling) -> None:
    assert (await scheduling.post("/api/v1/meetings", json=meeting(), headers=COORDINATOR)).status_code == 201
    clash = await scheduling.post(
        "/api/v1/meetings",
        json=meeting(case_id="0380-78", start="2026-11-24T09:30:00", end="2026-11-24T10:30:00"),
        headers=COORDINATOR,
    )
    assert clash.status_code == 409
    assert clash.json()["error"] == {
        "code": "double_booking",
        "message": "already booked at that time: staff_ids[0]",  # the field, never the submitted id
        "details": [],
    }


async def test_a_recurring_network_meeting_books_the_whole_series(scheduling) -> None:
    response = await scheduling.post(
        "/api/v1/meetings", json=meeting(repeat_weeks=2, occurrences=4), headers=COORDINATOR
    )
    starts = [m["start"] for m in response.json()]
    assert starts == [
        "2026-11-24T09:00:00",
        "2026-12-08T09:00:00",
        "2026-12-22T09:00:00",
        "2027-01-05T09:00:00",
    ]


async def test_attendance_and_outcome_close_the_meeting(scheduling) -> None:
    booked = (
        await scheduling.post(
            "/api/v1/meetings", json=meeting(kind="visitation", visitation_form="guided"), headers=COORDINATOR
        )
    ).json()[0]
    scheduling.app.state.runtime.app.clock = lambda: datetime(2026, 12, 31, 8, 0)  # it has been held
    held = await scheduling.post(
        f"/api/v1/meetings/{booked['meeting_id']}/attendance",
        json={"attended": ["0380-family-therapist-1"], "outcome": "calm visit"},
        headers=COORDINATOR,
    )
    assert held.json()["status"] == "held"
    again = await scheduling.post(
        f"/api/v1/meetings/{booked['meeting_id']}/cancel", json={"reason": "x"}, headers=COORDINATOR
    )
    assert again.status_code == 409


async def test_the_icalendar_feed_parses_and_carries_no_personal_data(scheduling) -> None:
    scheduling.app.state.runtime.app.clock = lambda: datetime(2026, 11, 20, 8, 0)
    await scheduling.post("/api/v1/meetings", json=meeting(), headers=COORDINATOR)
    feed = await scheduling.get("/api/v1/staff/0380-family-therapist-1/calendar.ics", headers=COORDINATOR)
    assert feed.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["summary"]) == "Network meeting – case 0380-77"
    assert events[0].decoded("dtstart").isoformat() == "2026-11-24T09:00:00+01:00"


async def test_the_icalendar_feed_covers_thirty_days_back_to_four_hundred_days_ahead(scheduling) -> None:
    store = scheduling.app.state.runtime.app
    store.clock = lambda: datetime(2026, 10, 1, 8, 0)  # booked when all four were ahead
    starts = ["2026-10-20T09:00:00", "2026-10-22T09:00:00", "2027-12-23T09:00:00", "2027-12-27T09:00:00"]
    for start in starts:
        end = start.replace("T09", "T10")
        booked = await scheduling.post(
            "/api/v1/meetings", json=meeting(start=start, end=end), headers=COORDINATOR
        )
        assert booked.status_code == 201, booked.text
    store.clock = lambda: datetime(2026, 11, 20, 8, 0)
    feed = await scheduling.get("/api/v1/cases/0380-77/calendar.ics", headers=COORDINATOR)
    shown = [e.decoded("dtstart").date().isoformat() for e in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert shown == ["2026-10-22", "2027-12-23"]
    calendar = await scheduling.get("/api/v1/cases/0380-77/calendar", headers=COORDINATOR)
    assert len(calendar.json()["items"]) == 4  # as JSON, paged instead: every meeting


async def test_another_municipality_cannot_see_a_case_calendar(scheduling) -> None:
    await scheduling.post("/api/v1/meetings", json=meeting(), headers=COORDINATOR)
    assert (await scheduling.get("/api/v1/cases/0380-77/calendar", headers=COORDINATOR)).status_code == 200
    assert (
        await scheduling.get("/api/v1/cases/0380-77/calendar", headers=bearer("1980", ("coordinator",)))
    ).status_code == 404


async def test_the_same_case_id_in_two_municipalities_has_two_case_calendars(scheduling) -> None:
    """ARCHITECTURE §2.5: a case is (municipality, case id); neither calendar shows the other's."""
    vasteras = bearer("1980", ("coordinator",))
    registered = await scheduling.post(
        "/api/v1/staff", json={"staff_id": "1980-therapist-1", "role": "family_therapist"}, headers=vasteras
    )
    assert registered.status_code == 201
    ours = await scheduling.post("/api/v1/meetings", json=meeting(case_id="C-9"), headers=COORDINATOR)
    theirs = await scheduling.post(
        "/api/v1/meetings",
        json=meeting(case_id="C-9", kind="visitation", staff_ids=["1980-therapist-1"]),
        headers=vasteras,
    )
    calendars = {
        m: (await scheduling.get("/api/v1/cases/C-9/calendar", headers=h)).json()
        for m, h in (("0380", COORDINATOR), ("1980", vasteras))
    }
    assert [m["meeting_id"] for m in calendars["0380"]["items"]] == [ours.json()[0]["meeting_id"]]
    assert [m["meeting_id"] for m in calendars["1980"]["items"]] == [theirs.json()[0]["meeting_id"]]
    assert [m["kind"] for m in calendars["1980"]["items"]] == ["visitation"]


async def test_a_meeting_with_an_offset_or_backwards_times_is_refused(scheduling) -> None:
    response = await scheduling.post(
        "/api/v1/meetings",
        json=meeting(start="2026-11-24T11:00:00", end="2026-11-24T10:00:00"),
        headers=COORDINATOR,
    )
    assert response.status_code == 422


async def test_a_staff_meeting_cannot_be_booked_by_hand_only_through_a_referral(scheduling) -> None:
    response = await scheduling.post(
        "/api/v1/meetings", json=meeting(kind="staff_meeting"), headers=COORDINATOR
    )
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == ["body.kind"]
