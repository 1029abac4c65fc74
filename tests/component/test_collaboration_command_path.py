"""Collaboration through the kit's one command path: idempotency, attribution, absent-or-denied, partner actors."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import PARTNER_TOPICS
from services.collaboration.app import create_app
from services.collaboration.publication import build_publication_table
from services.kit.attribution import Attribution
from services.kit.domain.case_access import CaseAccess
from tests.conftest import make_settings
from tests.support.clock import day_from_today, days_ahead
from tests.support.tokens import bearer

UPPSALA, VASTERAS, GAVLE = "0380", "1980", "2180"
# Staff members' subjects may be names or e-mail addresses: none may reach a partner.
ANNA = "anna.andersson@uppsala.se"
VIDAR = "Vidar Västerås"
GUDRUN = "gudrun@gavle.se"


def staff(
    municipality: str, role: str = "family_home_consultant", subject: str = "staff-1"
) -> dict[str, str]:
    return bearer(municipality, (role,), subject)


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://collab") as http:
        http.app = app  # type: ignore[attr-defined]
        yield http
    app.state.runtime.app.close()


def store(client: httpx.AsyncClient) -> Any:
    return client.app.state.runtime.app  # type: ignore[attr-defined]


def stored_events(client: httpx.AsyncClient) -> list[tuple[int, Any]]:
    app = store(client)
    return [(n.id, app.mapper.to_domain_event(n)) for n in app.recorder.select_notifications(1, 100_000)]


async def created(response: httpx.Response, id_field: str) -> str:
    assert response.status_code == 201, response.text
    return response.json()[id_field]


async def shared_home(client: httpx.AsyncClient, owner: str, partner: str, subject: str = "staff-1") -> str:
    body = {"register_id": f"FH-{uuid.uuid4().hex[:8]}", "kind": "recruited", "capacity": 2}
    headers = staff(owner, subject=subject)
    home_id = await created(
        await client.post(
            "/api/v1/family-homes", headers=headers, json={**body, "age_min": 0, "age_max": 17}
        ),
        "home_id",
    )
    sharing = {"shared_with": [partner]}
    assert (
        await client.put(f"/api/v1/family-homes/{home_id}/sharing", headers=headers, json=sharing)
    ).is_success
    return home_id


async def matching_request(client: httpx.AsyncClient, partners: list[str], subject: str = "staff-1") -> str:
    body = {
        "case_id": f"0380-C-{uuid.uuid4().hex[:6]}",
        "partners": partners,
        "age_band": "6-12",
        "placement_type": "familjehem",
        "from_date": day_from_today(),
        "protected_identity": False,
    }
    headers = staff(UPPSALA, "case_worker", subject)
    return await created(
        await client.post("/api/v1/matching-requests", headers=headers, json=body), "request_id"
    )


async def activity(client: httpx.AsyncClient, subject: str = "staff-1") -> str:
    body = {
        "kind": "training",
        "title": "Foster-parent training",
        "starts_at": days_ahead(),
        "seats": 5,
        "open_to": [VASTERAS, GAVLE],
    }
    headers = staff(UPPSALA, "coordinator", subject)
    return await created(await client.post("/api/v1/activities", headers=headers, json=body), "activity_id")


async def test_a_retried_booking_with_the_same_idempotency_key_books_once_and_answers_as_the_first_time(
    client,
) -> None:
    activity_id = await activity(client)
    headers = {**staff(VASTERAS, "case_worker"), "Idempotency-Key": "booking-42"}
    first = await client.post(
        f"/api/v1/activities/{activity_id}/bookings", headers=headers, json={"seats": 2}
    )
    retried = await client.post(
        f"/api/v1/activities/{activity_id}/bookings", headers=headers, json={"seats": 2}
    )
    assert first.status_code == retried.status_code == 201
    assert retried.json() == first.json()
    assert retried.headers["Idempotent-Replayed"] == "true"
    shown = await client.get(f"/api/v1/activities/{activity_id}", headers=staff(UPPSALA, "coordinator"))
    assert shown.json()["seats_free"] == 3 and len(shown.json()["bookings"]) == 1


async def test_seats_booked_count_once_however_often_the_booking_is_retried(client) -> None:
    activity_id = await activity(client)
    headers = {**staff(VASTERAS, "case_worker"), "Idempotency-Key": "booking-44"}
    for _ in range(2):
        await client.post(f"/api/v1/activities/{activity_id}/bookings", headers=headers, json={"seats": 2})
    registry = client.app.state.runtime.metrics.registry  # type: ignore[attr-defined]
    sample = "natverk_activity_seats_booked_total"
    assert registry.get_sample_value(sample, {"municipality": VASTERAS, "kind": "training"}) == 2


async def test_the_same_idempotency_key_with_another_body_is_refused(client) -> None:
    activity_id = await activity(client)
    headers = {**staff(VASTERAS, "case_worker"), "Idempotency-Key": "booking-43"}
    await client.post(f"/api/v1/activities/{activity_id}/bookings", headers=headers, json={"seats": 1})
    other = await client.post(
        f"/api/v1/activities/{activity_id}/bookings", headers=headers, json={"seats": 3}
    )
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"


async def test_the_stored_events_of_a_staff_command_carry_the_caller_s_sub_and_purpose(client) -> None:
    headers = {**staff(UPPSALA, subject=ANNA), "X-Access-Purpose": "recruiting a home"}
    body = {"register_id": "UPP-FH-7", "kind": "recruited", "capacity": 1, "age_min": 0, "age_max": 5}
    home_id = await created(await client.post("/api/v1/family-homes", headers=headers, json=body), "home_id")
    events = [event for _, event in stored_events(client) if not isinstance(event, CaseAccess.Recorded)]
    assert str(home_id) in {str(event.originator_id) for event in events}
    assert {Attribution.of(event, "?") for event in events} == {Attribution(ANNA, "recruiting a home")}


async def _fixtures(client: httpx.AsyncClient) -> dict[str, str]:
    activity_id = await activity(client)
    booked = {**staff(VASTERAS, "case_worker"), "Idempotency-Key": "bk"}
    await client.post(f"/api/v1/activities/{activity_id}/bookings", headers=booked, json={"seats": 1})
    return {
        "home": await shared_home(client, UPPSALA, VASTERAS),
        "request": await matching_request(client, [VASTERAS]),
        "activity": activity_id,
        "booking": (await client.get("/api/v1/activities", headers=staff(VASTERAS))).json()["items"][0][
            "bookings"
        ][0]["booking_id"],
    }


# (method, path, body, a municipality that may not touch the object, a role that otherwise could)
HIDDEN: list[tuple[str, str, Any, str, str]] = [
    ("GET", "/api/v1/family-homes/{home}", None, GAVLE, "family_home_consultant"),
    (
        "PUT",
        "/api/v1/family-homes/{home}/availability",
        {"available": False},
        VASTERAS,
        "family_home_consultant",
    ),
    ("GET", "/api/v1/matching-requests/{request}", None, GAVLE, "case_worker"),
    ("POST", "/api/v1/matching-requests/{request}/withdraw", None, VASTERAS, "case_worker"),
    ("POST", "/api/v1/matching-requests/{request}/accept", {"offer_id": "o-1"}, GAVLE, "case_worker"),
    ("POST", "/api/v1/activities/{activity}/cancel", None, VASTERAS, "coordinator"),
    ("DELETE", "/api/v1/activities/{activity}/bookings/{booking}", None, GAVLE, "case_worker"),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "hidden_from", "role"), HIDDEN, ids=[f"{m} {p}" for m, p, *_ in HIDDEN]
)
async def test_another_municipality_s_object_answers_exactly_like_an_absent_one(
    client, method: str, path: str, body: Any, hidden_from: str, role: str
) -> None:
    ids = await _fixtures(client)
    absent_ids = {name: str(uuid.uuid4()) for name in ids}
    headers = staff(hidden_from, role)
    denied = await client.request(method, path.format(**ids), json=body, headers=headers)
    absent = await client.request(method, path.format(**absent_ids), json=body, headers=headers)
    assert denied.status_code == absent.status_code == 404
    assert denied.content == absent.content
    assert _without_correlation(denied.headers) == _without_correlation(absent.headers)


def _without_correlation(headers: httpx.Headers) -> dict[str, str]:
    return {name: value for name, value in headers.items() if name != "x-correlation-id"}


async def test_only_the_requester_s_view_of_a_matching_request_is_logged_as_a_read_of_its_case(
    client,
) -> None:
    request_id = await matching_request(client, [VASTERAS], subject=ANNA)
    await client.get(f"/api/v1/matching-requests/{request_id}", headers=staff(VASTERAS, subject=VIDAR))
    await client.get(f"/api/v1/matching-requests/{request_id}", headers=staff(UPPSALA, subject=ANNA))
    logged = [
        (event.actor, event.resource.split()[0], event.outcome)
        for _, event in stored_events(client)
        if isinstance(event, CaseAccess.Recorded)
    ]
    assert logged == [(ANNA, "POST", "granted"), (ANNA, "GET", "granted")]


async def test_partner_topic_envelopes_carry_a_municipality_and_never_a_staff_member_s_sub(client) -> None:
    home_id = await shared_home(client, VASTERAS, UPPSALA, subject=VIDAR)
    request_id = await matching_request(client, [VASTERAS, GAVLE], subject=ANNA)
    offered = await client.post(
        f"/api/v1/matching-requests/{request_id}/offers",
        headers=staff(VASTERAS, subject=VIDAR),
        json={"home_id": home_id},
    )
    await client.post(
        f"/api/v1/matching-requests/{request_id}/accept",
        headers=staff(UPPSALA, "case_worker", ANNA),
        json={"offer_id": offered.json()["offer_id"]},
    )
    activity_id = await activity(client, subject=ANNA)
    await client.post(
        f"/api/v1/activities/{activity_id}/bookings",
        headers=staff(GAVLE, "case_worker", GUDRUN),
        json={"seats": 2},
    )
    envelopes = _publish_everything(client)
    to_partners = [envelope for topic, envelope in envelopes if topic in PARTNER_TOPICS]
    assert {envelope.type.split(".")[3] for envelope in to_partners} == {
        "family_home",
        "matching_request",
        "offer",
        "activity",
        "seat_booking",
    }
    assert {envelope.extension("actor") for envelope in to_partners} <= {
        f"municipality:{m}" for m in (UPPSALA, VASTERAS, GAVLE)
    }
    for subject in (ANNA, VIDAR, GUDRUN):
        assert all(subject not in json.dumps(envelope.model_dump(mode="json")) for envelope in to_partners)
    # The internal topic still names who acted: the stamp is there, partners just never see it.
    assert ANNA in {
        envelope.extension("actor") for topic, envelope in envelopes if topic not in PARTNER_TOPICS
    }


def _publish_everything(client: httpx.AsyncClient) -> list[tuple[str, Any]]:
    app = store(client)
    table = build_publication_table(
        lambda aggregate_id, version: app.repository.get(aggregate_id, version=version), lambda _: None
    )
    return [pair for position, event in stored_events(client) for pair in table.cloud_events(event, position)]


async def test_an_unknown_offer_answers_not_found_without_echoing_it(client) -> None:
    request_id = await matching_request(client, [VASTERAS])
    accepted = await client.post(
        f"/api/v1/matching-requests/{request_id}/accept",
        headers=staff(UPPSALA, "case_worker"),
        json={"offer_id": "offer-echo-me"},
    )
    absent = await client.get(f"/api/v1/matching-requests/{uuid.uuid4()}", headers=staff(UPPSALA))
    assert accepted.status_code == 404 and accepted.content == absent.content
    assert "echo-me" not in accepted.text
