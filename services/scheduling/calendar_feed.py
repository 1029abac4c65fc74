"""iCalendar (RFC 5545) feeds of meetings: no personal identity numbers, no names.

Times are Europe/Stockholm wall-clock times with a ``VTIMEZONE`` that carries its daylight
saving rules; a time in the repeated hour of the autumn clock change that means the later
of the two is written in UTC instead (a local time there means the earlier, RFC 5545
§3.3.5).  Each meeting has one ``UID`` for good and a ``SEQUENCE`` raised on every change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from services.scheduling.domain.local_time import LOCAL, stored_instant
from services.scheduling.domain.meeting import Meeting
from services.scheduling.read_models import MeetingRow

KIND_TITLES = {
    "staff_meeting": "Staff meeting",
    "network_meeting": "Network meeting",
    "visitation": "Visitation session",
    "home_return_council": "Home-return council",
}
TZID = "Europe/Stockholm"
PROTECTED = "Skyddad identitet"  # all a feed says of a meeting about a child with a protected identity


@dataclass(frozen=True)
class FeedEntry:
    """What a feed shows of a meeting: its times as instants, its status and its sequence."""

    meeting_id: UUID
    case_id: str
    kind: str
    starts_at: datetime
    ends_at: datetime
    status: str
    sequence: int
    protected_identity: bool = False

    @classmethod
    def of_meeting(cls, meeting: Meeting) -> FeedEntry:
        return cls(
            meeting.id,
            meeting.case_id,
            meeting.kind,
            meeting.starts_at,
            meeting.ends_at,
            meeting.status,
            meeting.sequence,
            meeting.protected_identity,
        )

    @classmethod
    def of_row(cls, row: MeetingRow) -> FeedEntry:
        """From a calendar row: the same instants and sequence as ``of_meeting`` gives."""
        return cls(
            row.meeting_id,
            row.case_id,
            row.kind,
            stored_instant(row.start, row.starts_at),
            stored_instant(row.end, row.ends_at),
            row.status,
            row.sequence,
            row.protected_identity,
        )


def to_ical(name: str, meetings: Iterable[MeetingRow | FeedEntry], now: datetime | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//natverk//scheduling//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(stockholm())
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    for meeting in meetings:
        entry = meeting if isinstance(meeting, FeedEntry) else FeedEntry.of_row(meeting)
        calendar.add_component(_event(entry, stamp))
    return calendar.to_ical()


def _event(entry: FeedEntry, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", f"{entry.meeting_id}@natverk")
    event.add("dtstamp", stamp)
    event.add("sequence", entry.sequence)
    event.add("dtstart", _written(entry.starts_at))
    event.add("dtend", _written(entry.ends_at))
    summary = PROTECTED if entry.protected_identity else f"{KIND_TITLES[entry.kind]} – case {entry.case_id}"
    event.add("summary", summary)
    event.add("status", "CANCELLED" if entry.status == "cancelled" else "CONFIRMED")
    return event


def _written(instant: datetime) -> datetime:
    """Local time with the TZID, unless that would name the other of two instants: UTC then."""
    local = instant.astimezone(LOCAL)
    return instant.astimezone(UTC) if local.fold else local


def stockholm() -> Timezone:
    """Europe/Stockholm as a VTIMEZONE: the EU rules Sweden has kept since 1996 (summer time
    from the last Sunday of March, 02:00, to the last Sunday of October, 03:00)."""
    timezone = Timezone()
    timezone.add("tzid", TZID)
    for part, name, start, offsets, month in (
        (TimezoneDaylight(), "CEST", datetime(1996, 3, 31, 2), (1, 2), 3),
        (TimezoneStandard(), "CET", datetime(1996, 10, 27, 3), (2, 1), 10),
    ):
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        part.add("tzoffsetfrom", timedelta(hours=offsets[0]))
        part.add("tzoffsetto", timedelta(hours=offsets[1]))
        timezone.add_component(part)
    return timezone
