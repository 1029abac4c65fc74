"""Protection is the case's, not one meeting's: once any meeting of a case says its child has a
protected identity, every feed entry of that case says no more than that (issue 15, item 5)."""

from __future__ import annotations

import httpx

from services.scheduling.domain.meeting import Meeting
from tests.component.test_scheduling_command_path import stored_events
from tests.component.test_scheduling_invitations_http import COORDINATOR, convene, feed_of
from tests.unit.test_ics_feed import strictly_parsed

CASE = "0380-SECRET-1"


async def book_network_meeting(scheduling: httpx.AsyncClient, case_id: str, staff_id: str) -> None:
    """By hand, after the staff meeting (the app's clock reads early November 2026)."""
    body = {"case_id": case_id, "kind": "network_meeting", "staff_ids": [staff_id]}
    body |= {"start": "2026-12-08T10:00:00", "end": "2026-12-08T11:00:00"}
    answer = await scheduling.post("/api/v1/meetings", json=body, headers=COORDINATOR)
    assert answer.status_code == 201, answer.text


async def test_a_meeting_booked_by_hand_for_a_protected_case_is_marked_in_a_staff_feed(scheduling) -> None:
    convene(scheduling, CASE, "handlaggare-7", protected_identity=True)
    await book_network_meeting(scheduling, CASE, "handlaggare-7")
    feed = await feed_of(scheduling, "/api/v1/staff/handlaggare-7/feed-tokens")
    summaries = [str(e["summary"]) for e in strictly_parsed(feed).walk("VEVENT")]
    assert summaries == ["Skyddad identitet", "Skyddad identitet"]
    assert b"SECRET" not in feed and b"meeting" not in feed.lower()


async def test_a_protected_cases_own_feed_names_the_case_in_none_of_its_entries(scheduling) -> None:
    convene(scheduling, CASE, "handlaggare-7", protected_identity=True)
    await book_network_meeting(scheduling, CASE, "handlaggare-7")
    feed = await feed_of(scheduling, f"/api/v1/cases/{CASE}/feed-tokens")
    summaries = [str(e["summary"]) for e in strictly_parsed(feed).walk("VEVENT")]
    assert summaries == ["Skyddad identitet", "Skyddad identitet"]
    assert f"case {CASE}".encode() not in feed


async def test_a_meeting_booked_by_hand_for_a_protected_case_is_stored_as_protected(scheduling) -> None:
    convene(scheduling, CASE, "handlaggare-7", protected_identity=True)
    await book_network_meeting(scheduling, CASE, "handlaggare-7")
    booked = [e for e in stored_events(scheduling) if isinstance(e, Meeting.Booked)]
    assert [(e.kind, e.protected_identity) for e in booked] == [
        ("staff_meeting", True),
        ("network_meeting", True),
    ]


async def test_another_cases_meeting_booked_by_hand_is_not_marked(scheduling) -> None:
    convene(scheduling, CASE, "handlaggare-7", protected_identity=True)
    await book_network_meeting(scheduling, "0380-78", "handlaggare-7")
    feed = await feed_of(scheduling, "/api/v1/staff/handlaggare-7/feed-tokens")
    summaries = sorted(str(e["summary"]) for e in strictly_parsed(feed).walk("VEVENT"))
    assert summaries == ["Network meeting – case 0380-78", "Skyddad identitet"]
