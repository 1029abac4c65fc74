"""The scheduling API on the kit's one command path: idempotency, attribution, access log, 404s."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from services.kit.attribution import Attribution
from services.kit.domain.case_access import CaseAccess
from services.kit.http import NOT_FOUND_MESSAGE
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.staff_member import StaffMember
from services.scheduling.publication import build_publication_table
from tests.support.tokens import bearer

COORDINATOR = bearer("0380", ("coordinator",), subject="coord-7")
OTHER_MUNICIPALITY = bearer("1980", ("coordinator",), subject="enk-3")
THERAPIST = "0380-family-therapist-1"


def meeting(**overrides: object) -> dict:
    body = {
        "case_id": "0380-77",
        "kind": "network_meeting",
        "start": "2026-11-24T09:00:00",
        "end": "2026-11-24T10:00:00",
        "staff_ids": [THERAPIST],
    }
    body.update(overrides)
    return body


async def book(client: httpx.AsyncClient, **overrides: object) -> dict:
    response = await client.post("/api/v1/meetings", json=meeting(**overrides), headers=COORDINATOR)
    assert response.status_code == 201, response.text
    return response.json()[0]


def stored_events(client: httpx.AsyncClient) -> list[Any]:
    store = client.app.state.runtime.app  # type: ignore[attr-defined]
    return [store.mapper.to_domain_event(n) for n in store.recorder.select_notifications(1, 10_000)]


def without_correlation(response: httpx.Response) -> tuple[int, bytes, dict[str, str]]:
    headers = {name: value for name, value in response.headers.items() if name != "x-correlation-id"}
    return response.status_code, response.content, headers


async def test_a_retried_booking_with_the_same_idempotency_key_books_once_and_answers_as_at_first(
    scheduling,
) -> None:
    headers = {**COORDINATOR, "Idempotency-Key": "book-1"}
    first = await scheduling.post(
        "/api/v1/meetings", json=meeting(occurrences=2, repeat_weeks=1), headers=headers
    )
    again = await scheduling.post(
        "/api/v1/meetings", json=meeting(occurrences=2, repeat_weeks=1), headers=headers
    )
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    calendar = await scheduling.get("/api/v1/cases/0380-77/calendar", headers=COORDINATOR)
    assert len(calendar.json()["items"]) == 2


async def test_a_retried_staff_removal_with_its_key_answers_204_again(scheduling) -> None:
    headers = {**COORDINATOR, "Idempotency-Key": "remove-1"}
    first = await scheduling.delete(f"/api/v1/staff/{THERAPIST}", headers=headers)
    again = await scheduling.delete(f"/api/v1/staff/{THERAPIST}", headers=headers)
    assert (first.status_code, again.status_code) == (204, 204)
    assert (first.content, again.content) == (b"", b"")


async def test_the_same_idempotency_key_with_another_body_is_refused_as_reused(scheduling) -> None:
    headers = {**COORDINATOR, "Idempotency-Key": "book-2"}
    await scheduling.post("/api/v1/meetings", json=meeting(), headers=headers)
    response = await scheduling.post("/api/v1/meetings", json=meeting(case_id="0380-78"), headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"


async def test_a_booking_response_leaves_an_access_record_with_the_callers_sub(scheduling) -> None:
    await book(scheduling)
    accesses = [
        (e.actor, e.resource, e.outcome, e.municipality, e.case_id)
        for e in stored_events(scheduling)
        if isinstance(e, CaseAccess.Recorded)
    ]
    assert accesses == [("coord-7", "POST /meetings", "granted", "0380", "0380-77")]


async def test_the_stored_events_of_a_booking_and_a_cancellation_carry_the_callers_sub(scheduling) -> None:
    booked = await book(scheduling)
    await scheduling.post(
        f"/api/v1/meetings/{booked['meeting_id']}/cancel", json={"reason": "family ill"}, headers=COORDINATOR
    )
    meeting_events = [
        e for e in stored_events(scheduling) if isinstance(e, Meeting.Booked | Meeting.Cancelled)
    ]
    assert [Attribution.of(e, "?").actor for e in meeting_events] == ["coord-7", "coord-7"]


async def test_the_published_booking_names_the_caller_as_its_actor(scheduling) -> None:
    await book(scheduling)
    store = scheduling.app.state.runtime.app
    table = build_publication_table(
        lambda meeting_id, version: store.repository.get(meeting_id, version=version)
    )
    booked = next(e for e in stored_events(scheduling) if isinstance(e, Meeting.Booked))
    [(_, envelope)] = table.cloud_events(booked, 1)
    assert envelope.actor == "coord-7"


@pytest.mark.parametrize(
    ("method", "action", "body"),
    [
        ("GET", "", None),
        ("POST", "/reschedule", {"start": "2026-11-25T09:00:00", "end": "2026-11-25T10:00:00"}),
        ("POST", "/cancel", {"reason": "family ill"}),
        ("POST", "/attendance", {"attended": [], "outcome": "nobody came"}),
    ],
)
async def test_another_municipalitys_meeting_answers_exactly_like_an_absent_one(
    scheduling, method: str, action: str, body: dict | None
) -> None:
    booked = await book(scheduling)
    theirs = await scheduling.request(
        method, f"/api/v1/meetings/{booked['meeting_id']}{action}", json=body, headers=OTHER_MUNICIPALITY
    )
    absent = await scheduling.request(
        method, f"/api/v1/meetings/{uuid.uuid4()}{action}", json=body, headers=OTHER_MUNICIPALITY
    )
    assert without_correlation(theirs) == without_correlation(absent)
    assert theirs.status_code == 404 and theirs.json()["error"]["message"] == NOT_FOUND_MESSAGE


async def test_another_municipalitys_case_calendar_answers_exactly_like_an_absent_one(scheduling) -> None:
    await book(scheduling)
    theirs = await scheduling.get("/api/v1/cases/0380-77/calendar.ics", headers=OTHER_MUNICIPALITY)
    absent = await scheduling.get("/api/v1/cases/0380-76/calendar.ics", headers=OTHER_MUNICIPALITY)
    assert without_correlation(theirs) == without_correlation(absent)
    assert theirs.status_code == 404


async def test_an_attempt_on_another_municipalitys_meeting_is_logged_as_denied_in_its_case_log(
    scheduling,
) -> None:
    booked = await book(scheduling)
    await scheduling.post(
        f"/api/v1/meetings/{booked['meeting_id']}/cancel", json={"reason": "x"}, headers=OTHER_MUNICIPALITY
    )
    denied = [
        (e.actor, e.actor_municipality, e.municipality, e.case_id)
        for e in stored_events(scheduling)
        if isinstance(e, CaseAccess.Recorded) and e.outcome == "denied"
    ]
    assert denied == [("enk-3", "1980", "0380", "0380-77")]


async def test_a_staff_members_id_is_not_a_meeting(scheduling) -> None:
    staff_member_id = StaffMember.id_for("0380", THERAPIST)
    response = await scheduling.get(f"/api/v1/meetings/{staff_member_id}", headers=COORDINATOR)
    assert response.status_code == 404


async def test_an_error_never_echoes_the_submitted_staff_id(scheduling) -> None:
    await scheduling.post(
        "/api/v1/staff", json={"staff_id": "cw-42", "role": "case_worker"}, headers=COORDINATOR
    )
    again = await scheduling.post(
        "/api/v1/staff", json={"staff_id": "cw-42", "role": "case_worker"}, headers=COORDINATOR
    )
    missing = await scheduling.get("/api/v1/staff/cw-43/calendar", headers=COORDINATOR)
    assert (again.status_code, missing.status_code) == (409, 404)
    assert "cw-42" not in again.text and "cw-43" not in missing.text


def _booked_count(metrics: str) -> float:
    return sum(
        float(line.split()[-1])
        for line in metrics.splitlines()
        if line.startswith("natverk_meetings_total{") and 'change="booked"' in line
    )


async def test_a_booking_that_stored_nothing_is_not_counted(scheduling, monkeypatch) -> None:
    from eventsourcing.persistence import OperationalError

    store = scheduling.app.state.runtime.app  # type: ignore[attr-defined]

    def failing(*_: object, **__: object) -> None:
        raise OperationalError("the access log is unavailable")

    monkeypatch.setattr(store, "record_access", failing)
    refused = await scheduling.post("/api/v1/meetings", json=meeting(), headers=COORDINATOR)
    monkeypatch.undo()
    counted_while_refused = _booked_count((await scheduling.get("/metrics")).text)
    await book(scheduling)
    counted_after_a_booking = _booked_count((await scheduling.get("/metrics")).text)
    assert refused.status_code == 503
    assert (counted_while_refused, counted_after_a_booking) == (0, 1)
