"""The staff meeting's invitees see it in their own calendars and feeds; a protected-identity case's
meetings are marked in a feed and say nothing else (issue 15, items 3 and 5)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx

from services.scheduling.domain.meeting import Meeting
from services.scheduling.publication import build_publication_table
from tests.component.test_scheduling_command_path import stored_events
from tests.support.tokens import bearer
from tests.unit.test_ics_feed import strictly_parsed

COORDINATOR = bearer("0380", ("coordinator",))
MONDAY_MORNING = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)


def convene(
    scheduling: httpx.AsyncClient, case_id: str, case_worker_id: str, protected_identity: bool = False
) -> str:
    """As the referral consumer does, for a referral received on Monday morning."""
    store = scheduling.app.state.runtime.app  # type: ignore[attr-defined]
    referral_id = str(uuid.uuid4())
    store.convene_staff_meeting(
        referral_id,
        "network_centre",
        case_id,
        "0380",
        "placed",
        case_worker_id,
        MONDAY_MORNING,
        protected_identity,
    )
    return referral_id


async def calendar_cases(scheduling: httpx.AsyncClient, staff_id: str) -> list[tuple[str, str]]:
    answer = await scheduling.get(f"/api/v1/staff/{staff_id}/calendar", headers=COORDINATOR)
    assert answer.status_code == 200, answer.text
    return [(item["case_id"], item["kind"]) for item in answer.json()["items"]]


async def feed_of(scheduling: httpx.AsyncClient, path: str) -> bytes:
    issued = await scheduling.post(path, headers=COORDINATOR)
    assert issued.status_code == 201, issued.text
    return (await scheduling.get(issued.json()["url"])).content


async def test_the_case_worker_and_the_resource_team_find_the_staff_meeting_in_their_calendars(
    scheduling,
) -> None:
    convene(scheduling, "0380-77", "handlaggare-7")
    for invitee in ("handlaggare-7", "0380-resource-team-1", "0380-coordinator-1"):
        assert await calendar_cases(scheduling, invitee) == [("0380-77", "staff_meeting")]


async def test_a_reassigned_case_worker_finds_the_meeting_and_the_old_one_no_longer_does(scheduling) -> None:
    referral_id = convene(scheduling, "0380-77", "handlaggare-7")
    scheduling.app.state.runtime.app.move_case_worker_invitation(referral_id, "0380", "handlaggare-9")
    assert await calendar_cases(scheduling, "handlaggare-9") == [("0380-77", "staff_meeting")]
    assert await calendar_cases(scheduling, "handlaggare-7") == []


async def test_a_protected_identity_cases_meeting_is_marked_in_a_staff_feed_and_says_nothing_else(
    scheduling,
) -> None:
    convene(scheduling, "0380-SECRET-1", "handlaggare-7", protected_identity=True)
    feed = await feed_of(scheduling, "/api/v1/staff/handlaggare-7/feed-tokens")
    [event] = strictly_parsed(feed).walk("VEVENT")
    assert str(event["summary"]) == "Skyddad identitet"
    assert b"SECRET" not in feed and b"Staff meeting" not in feed


async def test_a_protected_identity_cases_own_feed_does_not_name_it_either(scheduling) -> None:
    convene(scheduling, "0380-SECRET-1", "handlaggare-7", protected_identity=True)
    feed = await feed_of(scheduling, "/api/v1/cases/0380-SECRET-1/feed-tokens")
    assert [str(e["summary"]) for e in strictly_parsed(feed).walk("VEVENT")] == ["Skyddad identitet"]
    assert b"SECRET" not in feed


async def test_another_cases_meeting_in_the_same_feed_keeps_its_title(scheduling) -> None:
    convene(scheduling, "0380-SECRET-1", "handlaggare-7", protected_identity=True)
    convene(scheduling, "0380-78", "handlaggare-7")
    feed = await feed_of(scheduling, "/api/v1/staff/handlaggare-7/feed-tokens")
    summaries = sorted(str(e["summary"]) for e in strictly_parsed(feed).walk("VEVENT"))
    assert summaries == ["Skyddad identitet", "Staff meeting – case 0380-78"]


async def test_a_reassignment_is_published_for_the_case_timeline_with_the_new_invitees(scheduling) -> None:
    referral_id = convene(scheduling, "0380-78", "handlaggare-7")
    store = scheduling.app.state.runtime.app
    store.move_case_worker_invitation(referral_id, "0380", "handlaggare-9")
    table = build_publication_table(
        lambda meeting_id, version: store.repository.get(meeting_id, version=version)
    )
    moved = next(e for e in stored_events(scheduling) if isinstance(e, Meeting.CaseWorkerChanged))
    [(_, envelope)] = table.cloud_events(moved, 1)
    assert envelope.type == "se.natverk.meeting.invitees_changed.v1"
    assert envelope.subject == "0380-78"
    assert "handlaggare-9" in envelope.data["staff_ids"] and "handlaggare-7" not in envelope.data["staff_ids"]


async def test_a_removed_case_worker_registered_again_is_invited_to_the_next_staff_meeting(
    scheduling,
) -> None:
    convene(scheduling, "0380-77", "handlaggare-7")
    gone = await scheduling.delete("/api/v1/staff/handlaggare-7", headers=COORDINATOR)
    assert gone.status_code == 204
    back = {"staff_id": "handlaggare-7", "role": "case_worker"}
    assert (await scheduling.post("/api/v1/staff", json=back, headers=COORDINATOR)).status_code == 201
    convene(scheduling, "0380-78", "handlaggare-7")
    assert ("0380-78", "staff_meeting") in await calendar_cases(scheduling, "handlaggare-7")
