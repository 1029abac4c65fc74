"""iCalendar (RFC 5545) feeds of meetings: no personal identity numbers, no names."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from icalendar import Calendar, Event

from services.scheduling.base import LOCAL
from services.scheduling.read_models import MeetingRow

KIND_TITLES = {
    "staff_meeting": "Staff meeting",
    "network_meeting": "Network meeting",
    "visitation": "Visitation session",
    "home_return_council": "Home-return council",
}


def to_ical(name: str, meetings: Iterable[MeetingRow], now: datetime | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//natverk//scheduling//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = now or datetime.now(UTC)
    for row in meetings:
        event = Event()
        event.add("uid", f"{row.meeting_id}@natverk")
        event.add("dtstamp", stamp)
        event.add("dtstart", row.start.replace(tzinfo=LOCAL))
        event.add("dtend", row.end.replace(tzinfo=LOCAL))
        event.add("summary", f"{KIND_TITLES[row.kind]} – case {row.case_id}")
        event.add("status", "CANCELLED" if row.status == "cancelled" else "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
