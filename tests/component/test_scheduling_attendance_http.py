"""A meeting once held, over HTTP with a JWT: attendance names staff on the roster only, and a command
it refuses (held, not begun) tells the caller of the case, so the refusal is in the access log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import pytest
from eventsourcing.persistence import OperationalError

from services.kit.domain.case_access import CaseAccess
from services.scheduling.domain.meeting import Meeting
from tests.support.tokens import bearer
from tests.support.worklists import published

COORDINATOR = bearer("0380", ("coordinator",), subject="coord-7")
CASE_WORKER = bearer("0380", ("case_worker",), subject="cw-9")
INVITED = ["0380-family-therapist-1", "0380-family-pedagogue-1"]
AFTER_IT = datetime(2026, 12, 31, 8, 0)


async def booked(client: httpx.AsyncClient) -> str:
    body = {"case_id": "0380-77", "kind": "network_meeting", "staff_ids": INVITED}
    body |= {"start": "2026-11-24T09:00:00", "end": "2026-11-24T10:00:00", "other_participants": ["parent"]}
    answer = await client.post("/api/v1/meetings", json=body, headers=COORDINATOR)
    assert answer.status_code == 201, answer.text
    return answer.json()[0]["meeting_id"]


async def attendance(client: httpx.AsyncClient, meeting_id: str, attended: list[str]) -> httpx.Response:
    body = {"attended": attended, "outcome": "a plan for the summer"}
    return await client.post(f"/api/v1/meetings/{meeting_id}/attendance", json=body, headers=COORDINATOR)


def stored(client: httpx.AsyncClient, kind: type) -> list[Any]:
    store = client.app.state.runtime.app  # type: ignore[attr-defined]
    events = [store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(1, 100_000)]
    return [e for e in events if isinstance(e, kind)]


async def test_attendance_naming_someone_not_on_the_roster_is_refused_and_stores_nothing(scheduling) -> None:
    meeting_id = await booked(scheduling)
    scheduling.app.state.runtime.app.clock = lambda: AFTER_IT
    refused = await attendance(scheduling, meeting_id, [INVITED[0], "anna.andersson"])
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["code"] == "unknown_staff"
    assert "attended[1]" in refused.text and "anna" not in refused.text
    assert stored(scheduling, Meeting.Held) == []


async def test_a_colleague_on_the_roster_who_stood_in_for_an_invitee_is_recorded_as_attending(
    scheduling,
) -> None:
    meeting_id = await booked(scheduling)
    scheduling.app.state.runtime.app.clock = lambda: AFTER_IT
    stood_in = [INVITED[0], "0380-parent-supporter-1"]
    held = await attendance(scheduling, meeting_id, stood_in)
    assert (held.status_code, held.json()["status"]) == (200, "held"), held.text
    assert [list(e.attended) for e in stored(scheduling, Meeting.Held)] == [stood_in]


@pytest.mark.parametrize(("action", "body"), [("cancel", {"reason": "x"}), ("attendance", None)])
async def test_a_command_refused_by_a_held_meeting_is_logged_as_a_read_of_its_case(
    scheduling, action: str, body: dict | None
) -> None:
    """The 409 says the meeting was held: case data, which no response may carry unlogged."""
    meeting_id = await booked(scheduling)
    scheduling.app.state.runtime.app.clock = lambda: AFTER_IT
    assert (await attendance(scheduling, meeting_id, INVITED)).status_code == 200
    before = len(stored(scheduling, CaseAccess.Recorded))
    body = body or {"attended": [], "outcome": "again"}
    refused = await scheduling.post(f"/api/v1/meetings/{meeting_id}/{action}", json=body, headers=CASE_WORKER)
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "meeting_closed")
    [record] = stored(scheduling, CaseAccess.Recorded)[before:]
    assert (record.actor, record.case_id, record.outcome) == ("cw-9", "0380-77", "granted")
    assert record.resource == f"POST /meetings/{{meeting_id}}/{action}"


async def test_a_refusal_whose_access_record_cannot_be_stored_answers_503_and_says_nothing_of_the_meeting(
    scheduling, monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting_id = await booked(scheduling)
    scheduling.app.state.runtime.app.clock = lambda: AFTER_IT
    assert (await attendance(scheduling, meeting_id, INVITED)).status_code == 200

    def unavailable(*_: object, **__: object) -> None:
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(scheduling.app.state.runtime.app, "record_access", unavailable)
    refused = await scheduling.post(
        f"/api/v1/meetings/{meeting_id}/cancel", json={"reason": "x"}, headers=CASE_WORKER
    )
    assert refused.status_code == 503 and "held" not in refused.text


async def test_a_meeting_held_is_published_with_the_start_and_end_it_took_place_at(scheduling) -> None:
    """Moved after booking: the held record says the times it was held at, as the booked and
    rescheduled records express them, so a subscriber that missed those still knows its day."""
    meeting_id = await booked(scheduling)
    moved = {"start": "2026-11-26T13:00:00", "end": "2026-11-26T14:30:00"}
    answer = await scheduling.post(
        f"/api/v1/meetings/{meeting_id}/reschedule", json=moved, headers=COORDINATOR
    )
    assert answer.status_code == 200, answer.text
    scheduling.app.state.runtime.app.clock = lambda: AFTER_IT
    assert (await attendance(scheduling, meeting_id, INVITED)).status_code == 200
    [held] = published(scheduling, "se.natverk.meeting.held.v1")
    assert (held.meeting_id, held.attended_staff) == (meeting_id, 2)
    assert (held.start, held.end) == (datetime(2026, 11, 26, 13, 0), datetime(2026, 11, 26, 14, 30))
