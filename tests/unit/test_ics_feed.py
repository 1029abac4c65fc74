"""The .ics feed is valid RFC 5545, checked strictly: icalendar parses it without errors, every
required property is there, times name the right instants, lines are CRLF and at most 75 octets."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

from icalendar import Calendar

from services.scheduling.calendar_feed import FeedEntry, to_ical
from services.scheduling.domain.local_time import LOCAL
from services.scheduling.domain.meeting import Meeting
from services.scheduling.read_models import MeetingRow

NOW = datetime(2027, 1, 4, 8, tzinfo=UTC)
PERSONAL_NUMBER = re.compile(r"\b(19|20)?\d{6}[-+]?\d{4}\b")


def strictly_parsed(feed: bytes) -> Calendar:
    assert feed.endswith(b"\r\n") and b"\n" not in feed.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in feed.split(b"\r\n"))
    assert not PERSONAL_NUMBER.search(feed.decode())
    calendar = Calendar.from_ical(feed)
    assert not calendar.errors and all(not part.errors for part in calendar.walk())
    assert (str(calendar["version"]), bool(str(calendar["prodid"]))) == ("2.0", True)
    tzids = {str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")}
    for event in calendar.walk("VEVENT"):
        for required in ("uid", "dtstamp", "dtstart", "dtend", "sequence", "status", "summary"):
            assert required in event, required
        assert event["dtstamp"].to_ical().endswith(b"Z")
        for name in ("dtstart", "dtend"):
            tzid = event[name].params.get("TZID")
            assert tzid in tzids if tzid else event[name].to_ical().endswith(b"Z")
        assert event.decoded("dtend") > event.decoded("dtstart")
    return calendar


def meeting(start: datetime, end: datetime) -> Meeting:
    return Meeting(
        **Meeting.times(start, end),
        municipality="0380",
        case_id="0380-77",
        kind="visitation",
        staff_ids=("0380-family-therapist-1",),
        other_participants=("parent",),
        referral_id=None,
        deadline=None,
        series_id=None,
    )


def test_the_vtimezone_carries_stockholms_clock_changes() -> None:
    [timezone] = strictly_parsed(to_ical("natverk", [], now=NOW)).walk("VTIMEZONE")
    stockholm = timezone.to_tz()
    for moment in (
        datetime(2027, 3, 28, 1, 59),
        datetime(2027, 3, 28, 3, 0),
        datetime(2027, 7, 1, 12),
        datetime(2027, 10, 31, 1, 59),
        datetime(2027, 10, 31, 3, 0),
        datetime(2028, 1, 1, 12),
    ):
        assert moment.replace(tzinfo=stockholm).utcoffset() == moment.replace(tzinfo=LOCAL).utcoffset()


def test_every_change_raises_the_sequence_under_the_same_uid_and_a_cancellation_says_so() -> None:
    booked = meeting(datetime(2027, 3, 22, 9), datetime(2027, 3, 22, 10))
    feeds = [to_ical("natverk", [FeedEntry.of_meeting(booked)], now=NOW)]
    booked.reschedule(datetime(2027, 3, 29, 9), datetime(2027, 3, 29, 10))  # after the clock change
    feeds.append(to_ical("natverk", [FeedEntry.of_meeting(booked)], now=NOW))
    booked.reschedule(datetime(2027, 3, 30, 9), datetime(2027, 3, 30, 10))
    feeds.append(to_ical("natverk", [FeedEntry.of_meeting(booked)], now=NOW))
    booked.cancel("family ill")
    feeds.append(to_ical("natverk", [FeedEntry.of_meeting(booked)], now=NOW))
    events = [strictly_parsed(feed).walk("VEVENT")[0] for feed in feeds]
    assert {str(e["uid"]) for e in events} == {f"{booked.id}@natverk"}
    assert [int(e["sequence"]) for e in events] == [0, 1, 2, 3]
    assert [str(e["status"]) for e in events] == ["CONFIRMED"] * 3 + ["CANCELLED"]
    starts = [e.decoded("dtstart").astimezone(UTC) for e in events]
    assert starts[:2] == [datetime(2027, 3, 22, 8, tzinfo=UTC), datetime(2027, 3, 29, 7, tzinfo=UTC)]


def test_a_meeting_in_the_later_of_the_repeated_hours_is_written_in_utc() -> None:
    first = meeting(datetime(2027, 10, 31, 0, tzinfo=UTC), datetime(2027, 10, 31, 0, 30, tzinfo=UTC))
    later = meeting(datetime(2027, 10, 31, 1, tzinfo=UTC), datetime(2027, 10, 31, 1, 30, tzinfo=UTC))
    feed = to_ical("natverk", [FeedEntry.of_meeting(first), FeedEntry.of_meeting(later)], now=NOW)
    events = strictly_parsed(feed).walk("VEVENT")
    assert [e.decoded("dtstart").astimezone(UTC) for e in events] == [first.starts_at, later.starts_at]
    assert [e["dtstart"].params.get("TZID") for e in events] == ["Europe/Stockholm", None]


def test_a_feed_of_calendar_rows_is_valid_too_and_names_no_one() -> None:
    row = MeetingRow(
        uuid.uuid4(),
        "0380",
        "0380-77",
        "staff_meeting",
        datetime(2027, 1, 12, 9),
        datetime(2027, 1, 12, 10),
        ("0380-coordinator-1",),
        "cancelled",
        sequence=1,
    )
    [event] = strictly_parsed(to_ical("natverk 0380-coordinator-1", [row], now=NOW)).walk("VEVENT")
    assert (str(event["status"]), int(event["sequence"])) == ("CANCELLED", 1)
    assert str(event["summary"]) == "Staff meeting – case 0380-77"
    assert "0380-coordinator-1" not in event.to_ical().decode()


def test_a_long_feed_is_folded_at_75_octets() -> None:
    entries = [
        FeedEntry(
            uuid.uuid4(), "0380-" + "x" * 80, "home_return_council", NOW, NOW.replace(hour=9), "booked", 0
        )
    ]
    strictly_parsed(to_ical("natverk " + "å" * 60, entries, now=NOW))
