"""Scheduling's part of a registerutdrag holds all it keeps of the child's cases (GDPR art. 15,
ADR 0018), over HTTP with a registrar's token: a case's protected identity (which marks the
bundle), the notes of staff meetings overdue, and the case's calendar feed tokens, never a token
or its digest."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx

from contracts.topics import REFERRALS
from services.ops.subject_access import says_protected
from services.scheduling.domain.feed_token import digest_of
from services.scheduling.inbound import referral_consumer
from tests.component.test_scheduling_worklist_http import convene
from tests.support.fetched import fed_by_hand, in_process_consumer
from tests.support.referral_records import referral_received
from tests.support.tokens import bearer

URL = "/api/v1/subject-access"
COORDINATOR = bearer("0380", ("coordinator",), subject="coordinator-anna")


def store_of(client: httpx.AsyncClient) -> Any:
    return client.app.state.runtime.app  # type: ignore[attr-defined]


async def part(client: httpx.AsyncClient, municipality: str, *case_ids: str) -> httpx.Response:
    registrar = bearer(municipality, ("registrar",), subject="registrar-4")
    response = await client.post(URL, json={"case_ids": list(case_ids)}, headers=registrar)
    assert response.status_code == 200, response.text
    return response


async def test_a_case_noted_as_protected_is_in_the_part_as_such_and_marks_the_bundle(scheduling) -> None:
    """Placed with a protected identity before its staff meeting was convened: the note is all
    scheduling holds of the case, and it is enough to mark the bundle SKYDDAD IDENTITET."""
    store_of(scheduling).record_child_placed(
        str(uuid.uuid4()), "network_centre", "0380-SA-P", "0380", "P-1", True
    )
    convene(scheduling, "0380-SA-O")
    held = (await part(scheduling, "0380", "0380-SA-P", "0380-SA-O")).json()
    assert [(c["case_id"], c["protected_identity"]) for c in held["cases"]] == [
        ("0380-SA-P", True),
        ("0380-SA-O", False),
    ]
    assert held["cases"][0]["meetings"] == [] and says_protected(held)
    assert (await part(scheduling, "1980", "0380-SA-P")).json()["cases"] == []


async def test_a_staff_meeting_noted_as_overdue_is_in_the_part_with_its_due_day(scheduling) -> None:
    convene(scheduling, "0380-SA-L")
    store_of(scheduling).clock = lambda: datetime(2026, 12, 1, 8, 0)
    assert store_of(scheduling).check_staff_meetings_held() == 1
    [case] = (await part(scheduling, "0380", "0380-SA-L")).json()["cases"]
    [meeting] = case["meetings"]
    assert [(o["meeting_id"], o["due"]) for o in case["overdue_staff_meetings"]] == [
        (meeting["meeting_id"], "2026-11-24")  # the meeting's own day
    ]


async def test_a_staff_meeting_noted_as_overdue_unbooked_is_in_the_part_with_its_deadline(
    scheduling,
) -> None:
    store = store_of(scheduling)
    store.clock = lambda: datetime(2026, 11, 23, 8, 0)
    consumer, _ = in_process_consumer(store, referral_consumer(store), "unbooked")
    coordinator = {"staff_id": "1980-c", "role": "coordinator", "weekly_capacity_hours": 40}
    registered = await scheduling.post(
        "/api/v1/staff", json=coordinator, headers=bearer("1980", ("coordinator",))
    )
    assert registered.status_code == 201, registered.text
    referral_id = str(uuid.uuid4())
    await fed_by_hand(consumer, REFERRALS)(
        referral_received("1980-SA-U", referral_id, 1, municipality="1980")
    )
    store.clock = lambda: datetime(2026, 12, 1, 8, 0)
    assert store.check_unbooked_staff_meetings() == 1
    [case] = (await part(scheduling, "1980", "1980-SA-U")).json()["cases"]
    assert case["overdue_unbooked_staff_meetings"] == [
        {"referral_id": referral_id, "deadline": "2026-11-30T08:00:00"}
    ]


async def test_a_cases_feed_tokens_are_in_the_part_as_when_whose_and_revoked_never_the_token(
    scheduling,
) -> None:
    convene(scheduling, "0380-SA-F")
    tokens = "/api/v1/cases/0380-SA-F/feed-tokens"
    issued = [(await scheduling.post(tokens, headers=COORDINATOR)).json() for _ in range(2)]
    revoked = await scheduling.delete(f"{tokens}/{issued[0]['token_id']}", headers=COORDINATOR)
    assert revoked.status_code == 204
    staffs = await scheduling.post("/api/v1/staff/0380-coordinator-1/feed-tokens", headers=COORDINATOR)
    response = await part(scheduling, "0380", "0380-SA-F")
    [case] = response.json()["cases"]
    assert [(t["owner"], t["revoked"]) for t in case["feed_tokens"]] == [
        ("coordinator-anna", True),
        ("coordinator-anna", False),
    ]
    assert all(set(t) == {"issued_at", "owner", "revoked"} for t in case["feed_tokens"])
    secrets = [
        answer["url"].removeprefix("/api/v1/feeds/").removesuffix(".ics")
        for answer in [*issued, staffs.json()]
    ]
    assert len(set(secrets)) == 3
    for token in secrets:
        assert token not in response.text and digest_of(token) not in response.text
