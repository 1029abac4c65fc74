"""What scheduling learns from a referral after its staff meeting was convened (or could not be),
through the real tracking consumer and read over HTTP with a JWT: a placement that says the child
has a protected identity protects every meeting of the case, as a protected referral does; a closed
referral's staff meeting is no longer due."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest

from contracts.topics import PLACEMENTS
from services.scheduling.domain.meeting import Meeting
from services.scheduling.inbound import placement_consumer
from tests.component.conftest import fed_referral_records
from tests.support.events import cloud_event, encode, placement_data, placement_ended
from tests.support.fetched import fed_by_hand, in_process_consumer
from tests.support.referral_records import (
    case_worker_assigned,
    child_placed,
    referral_closed,
    referral_declined,
    referral_received,
)
from tests.support.tokens import bearer
from tests.unit.test_ics_feed import strictly_parsed

UPPSALA = bearer("0380", ("coordinator",))
VASTERAS = bearer("1980", ("coordinator",))
CASE = "0380-HIDE-1"
PROTECTED = "Skyddad identitet"


@pytest.fixture
def store(scheduling: httpx.AsyncClient) -> Any:
    """Scheduling's store, its clock on the referral's morning, ``feed`` handing it referral records."""
    return fed_referral_records(scheduling, "referral-news")


async def summaries(scheduling: httpx.AsyncClient, path: str, headers: dict) -> list[str]:
    issued = await scheduling.post(path, headers=headers)
    assert issued.status_code == 201, issued.text
    feed = (await scheduling.get(issued.json()["url"])).content
    return sorted(str(entry["summary"]) for entry in strictly_parsed(feed).walk("VEVENT"))


async def book_by_hand(scheduling: httpx.AsyncClient, case_id: str, staff_id: str, headers: dict) -> None:
    body = {"case_id": case_id, "kind": "network_meeting", "staff_ids": [staff_id]}
    body |= {"start": "2026-12-08T10:00:00", "end": "2026-12-08T11:00:00"}
    answer = await scheduling.post("/api/v1/meetings", json=body, headers=headers)
    assert answer.status_code == 201, answer.text


async def meeting_status(scheduling: httpx.AsyncClient, referral_id: str) -> str:
    answer = await scheduling.get(f"/api/v1/meetings/{Meeting.id_for_referral(referral_id)}", headers=UPPSALA)
    assert answer.status_code == 200, answer.text
    return answer.json()["status"]


async def test_a_placement_saying_the_child_is_protected_protects_the_staff_meeting_already_booked(
    scheduling, store
) -> None:
    referral_id = str(uuid.uuid4())
    await store.feed(referral_received(CASE, referral_id, 1))
    assert await summaries(scheduling, f"/api/v1/cases/{CASE}/feed-tokens", UPPSALA) == [
        f"Staff meeting – case {CASE}"
    ]
    await store.feed(child_placed(CASE, referral_id, 2, "P-2", protected_identity=True))
    await book_by_hand(scheduling, CASE, "0380-coordinator-1", UPPSALA)
    for feed in (f"/api/v1/cases/{CASE}/feed-tokens", "/api/v1/staff/0380-coordinator-1/feed-tokens"):
        assert await summaries(scheduling, feed, UPPSALA) == [PROTECTED, PROTECTED]


async def test_a_protected_placement_that_comes_before_the_referral_protects_the_meeting_convened_after(
    scheduling, store
) -> None:
    referral_id = str(uuid.uuid4())
    await store.feed(child_placed(CASE, referral_id, 1, "P-2", protected_identity=True))
    await store.feed(referral_received(CASE, referral_id, 2))
    assert await summaries(scheduling, f"/api/v1/cases/{CASE}/feed-tokens", UPPSALA) == [PROTECTED]


async def test_a_placement_relayed_without_the_protection_field_protects_nothing(scheduling, store) -> None:
    referral_id = str(uuid.uuid4())
    await store.feed(referral_received(CASE, referral_id, 1))
    await store.feed(child_placed(CASE, referral_id, 2, "P-2"))
    assert await summaries(scheduling, f"/api/v1/cases/{CASE}/feed-tokens", UPPSALA) == [
        f"Staff meeting – case {CASE}"
    ]


async def test_a_protected_case_whose_staff_meeting_could_not_be_booked_protects_a_meeting_booked_by_hand(
    scheduling, store
) -> None:
    """Its one meeting is booked by hand; the note of the unbooked staff meeting says the child is
    protected, and that is enough."""
    registered = {"staff_id": "1980-c", "role": "coordinator"}
    assert (await scheduling.post("/api/v1/staff", json=registered, headers=VASTERAS)).status_code == 201
    await store.feed(referral_received("1980-HIDE-1", str(uuid.uuid4()), 1, "placed", "1980", True))
    await book_by_hand(scheduling, "1980-HIDE-1", "1980-c", VASTERAS)
    assert await summaries(scheduling, "/api/v1/staff/1980-c/feed-tokens", VASTERAS) == [PROTECTED]


async def test_a_closed_referrals_staff_meeting_that_could_not_be_booked_is_never_booked(
    scheduling, store
) -> None:
    registered = {"staff_id": "1980-c", "role": "coordinator"}
    assert (await scheduling.post("/api/v1/staff", json=registered, headers=VASTERAS)).status_code == 201
    referral_id = str(uuid.uuid4())
    await store.feed(referral_received("1980-DONE-1", referral_id, 1, municipality="1980"))
    await store.feed(referral_closed("1980-DONE-1", referral_id, 2, municipality="1980"))
    worklist = await scheduling.get("/api/v1/worklist", headers=VASTERAS)
    assert worklist.json()["items"] == []
    therapist = {"staff_id": "1980-t", "role": "family_therapist"}
    assert (await scheduling.post("/api/v1/staff", json=therapist, headers=VASTERAS)).status_code == 201
    assert store.retry_unbooked_staff_meetings() == 0
    assert not store.exists(Meeting.id_for_referral(referral_id))


async def test_a_closed_referrals_upcoming_staff_meeting_is_cancelled(scheduling, store) -> None:
    referral_id = str(uuid.uuid4())
    await store.feed(referral_received(CASE, referral_id, 1))
    await store.feed(referral_closed(CASE, referral_id, 2))
    assert await meeting_status(scheduling, referral_id) == "cancelled"


async def test_a_closed_referrals_staff_meeting_that_has_begun_is_left_for_its_attendance(
    scheduling, store
) -> None:
    """It may have been held: closing the referral does not say it was not."""
    referral_id = str(uuid.uuid4())
    await store.feed(referral_received(CASE, referral_id, 1))
    store.clock = lambda: datetime(2026, 12, 31, 8, 0)
    await store.feed(referral_closed(CASE, referral_id, 2))
    assert await meeting_status(scheduling, referral_id) == "booked"


async def test_a_declined_referrals_staff_meeting_that_has_begun_is_left_too(scheduling, store) -> None:
    referral_id = str(uuid.uuid4())
    await store.feed(referral_received(CASE, referral_id, 1))
    store.clock = lambda: datetime(2026, 12, 31, 8, 0)
    await store.feed(referral_declined(CASE, referral_id, 2))
    assert await meeting_status(scheduling, referral_id) == "booked"


async def test_a_case_worker_assigned_after_the_staff_meeting_began_leaves_its_invitees_as_they_were(
    scheduling, store
) -> None:
    referral_id = str(uuid.uuid4())
    await store.feed(referral_received(CASE, referral_id, 1))
    invited = store.repository.get(Meeting.id_for_referral(referral_id)).staff_ids
    store.clock = lambda: datetime(2026, 12, 31, 8, 0)
    await store.feed(case_worker_assigned(CASE, referral_id, 2, "handlaggare-9"))
    assert store.repository.get(Meeting.id_for_referral(referral_id)).staff_ids == invited
    calendar = await scheduling.get("/api/v1/staff/handlaggare-9/calendar", headers=UPPSALA)
    assert calendar.status_code == 404  # never put on the roster for it


@pytest.mark.parametrize(
    "record",
    [
        lambda: cloud_event("se.placement.changed.v1", placement_data(CASE, "P-9", protected_identity=True)),
        lambda: cloud_event(
            "se.placement.changed.v1", placement_data(CASE, "P-9", placement_type="skyddat_boende")
        ),
        lambda: placement_ended(CASE, "P-9", protected_identity=True),
    ],
    ids=["a change saying protected identity", "a change to protected housing", "an end saying protected"],
)
async def test_a_placement_record_no_referral_carried_protects_the_cases_meetings(
    scheduling, store, record: Any
) -> None:
    """A case system's change or end reaches no referral, and a case may have none: scheduling
    reads the placement records itself, so the case's meetings are protected all the same."""
    await book_by_hand(scheduling, CASE, "0380-family-therapist-1", UPPSALA)
    consumer, _ = in_process_consumer(store, placement_consumer(store), "placement-records")
    await fed_by_hand(consumer, PLACEMENTS)(encode(record()))
    assert await summaries(scheduling, "/api/v1/staff/0380-family-therapist-1/feed-tokens", UPPSALA) == [
        PROTECTED
    ]
