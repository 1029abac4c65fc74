"""A staff member removed from the roster, whose JWT is still valid (it lives up to 12 hours), over
HTTP: scheduling takes no change from them and shows them no case, with 409 ``staff_member_removed``
said before anything is looked up (so it tells nothing of the meeting or case asked for, and no
case is read); callers never on the roster are not affected, and one reinstated works again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from services.kit.domain.case_access import CaseAccess
from services.scheduling.domain.meeting import Meeting
from tests.support.tokens import bearer

COORDINATOR = bearer("0380", ("coordinator",), subject="coord-7")
LEAVER = "0380-family-therapist-1"
AS_LEAVER = bearer("0380", ("network_centre",), subject=LEAVER)
MEETING = {"case_id": "0380-77", "kind": "network_meeting", "staff_ids": ["0380-family-pedagogue-1"]}
AT_NINE = {"start": "2026-11-24T09:00:00", "end": "2026-11-24T10:00:00"}
NO_SUCH_MEETING = "/api/v1/meetings/6f1c1a36-59a4-4bbd-8d55-c1e3a4c5a0b1"


async def booked(client: httpx.AsyncClient, headers: dict[str, str] = COORDINATOR) -> str:
    answer = await client.post("/api/v1/meetings", json=MEETING | AT_NINE, headers=headers)
    assert answer.status_code == 201, answer.text
    return answer.json()[0]["meeting_id"]


async def leaves(client: httpx.AsyncClient) -> None:
    assert (await client.delete(f"/api/v1/staff/{LEAVER}", headers=COORDINATOR)).status_code == 204


def stored(client: httpx.AsyncClient, kind: type) -> list[Any]:
    store = client.app.state.runtime.app  # type: ignore[attr-defined]
    events = [store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(1, 100_000)]
    return [e for e in events if isinstance(e, kind)]


def refused_as_removed(answer: httpx.Response) -> bool:
    return (
        answer.status_code == 409
        and answer.json()["error"]["code"] == "staff_member_removed"
        and LEAVER not in answer.text
    )


async def test_a_removed_staff_member_cannot_book_a_meeting_with_their_still_valid_jwt(scheduling) -> None:
    await leaves(scheduling)
    answer = await scheduling.post("/api/v1/meetings", json=MEETING | AT_NINE, headers=AS_LEAVER)
    assert refused_as_removed(answer), answer.text
    assert stored(scheduling, Meeting.Booked) == []


async def test_a_removed_staff_member_cannot_reschedule_cancel_or_record_attendance(scheduling) -> None:
    meeting_id = await booked(scheduling)
    await leaves(scheduling)
    scheduling.app.state.runtime.app.clock = lambda: datetime(2026, 11, 24, 9, 30)  # begun: attendance is due
    changes = {
        "reschedule": {"start": "2026-11-25T09:00:00", "end": "2026-11-25T10:00:00"},
        "cancel": {"reason": "no longer needed"},
        "attendance": {"attended": ["0380-family-pedagogue-1"], "outcome": "a plan"},
    }
    before = len(stored(scheduling, object))
    for change, body in changes.items():
        answer = await scheduling.post(
            f"/api/v1/meetings/{meeting_id}/{change}", json=body, headers=AS_LEAVER
        )
        assert refused_as_removed(answer), (change, answer.text)
    assert len(stored(scheduling, object)) == before  # nothing changed, nothing read


async def test_a_removed_staff_member_reads_no_meeting_or_calendar_and_learns_nothing_of_them(
    scheduling,
) -> None:
    meeting_id = await booked(scheduling)
    await leaves(scheduling)
    before = len(stored(scheduling, CaseAccess.Recorded))
    reads = [
        f"/api/v1/meetings/{meeting_id}",
        "/api/v1/cases/0380-77/calendar",
        "/api/v1/cases/0380-77/calendar.ics",
        "/api/v1/staff/0380-family-pedagogue-1/calendar",
        "/api/v1/staff/0380-family-pedagogue-1/calendar.ics",
        "/api/v1/worklist",
    ]
    for path in reads:
        answer = await scheduling.get(path, headers=AS_LEAVER)
        assert refused_as_removed(answer), (path, answer.text)
    there, absent = [await scheduling.get(p, headers=AS_LEAVER) for p in (reads[0], NO_SUCH_MEETING)]
    assert there.json() == absent.json()  # the same answer whether the meeting exists or not
    assert len(stored(scheduling, CaseAccess.Recorded)) == before


async def test_a_removed_staff_member_gets_no_replay_of_a_booking_answered_before_they_left(
    scheduling,
) -> None:
    """A replayed answer carries the meeting (case data): it is a read like any other."""
    keyed = {**AS_LEAVER, "Idempotency-Key": "book-before-leaving"}
    await booked(scheduling, keyed)
    await leaves(scheduling)
    again = await scheduling.post("/api/v1/meetings", json=MEETING | AT_NINE, headers=keyed)
    assert refused_as_removed(again), again.text


async def test_callers_never_on_the_roster_keep_booking_and_reading_after_a_removal(scheduling) -> None:
    await leaves(scheduling)
    meeting_id = await booked(scheduling)  # coord-7 is a coordinator, not a roster member
    for who in ("auditor", "case_worker"):
        reader = bearer("0380", (who,), subject=f"{who}-1")
        shown = await scheduling.get(f"/api/v1/meetings/{meeting_id}", headers=reader)
        assert shown.status_code == 200, shown.text


async def test_a_staff_member_reinstated_after_leaving_books_again_with_their_jwt(scheduling) -> None:
    await leaves(scheduling)
    back = {"staff_id": LEAVER, "role": "family_therapist"}
    assert (await scheduling.post("/api/v1/staff", json=back, headers=COORDINATOR)).status_code == 201
    await booked(scheduling, AS_LEAVER)
