"""network_support through the kit's one command path: idempotency, attribution, access log, 404s."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.kit.attribution import Attribution
from services.kit.domain.case_access import CaseAccess
from services.kit.domain.idempotency import IdempotencyRecord
from services.network_support.app import create_app
from tests.component.conftest import service_app
from tests.conftest import make_settings
from tests.support.tokens import bearer

WORKER = bearer("0380", ("case_worker",), subject="cw-17")
GAVLE = bearer("2180", ("case_worker",), subject="gavle-3")
MEMBER = {"name": "Kept Here", "relation": "aunt", "roles": ["support_person"], "contact_consent": True}
SESSION = {"on": "2026-11-05", "mode": "phone", "parent": "mother"}


@pytest.fixture
async def network_support(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://network-support"
    ) as client:
        client.app = app  # type: ignore[attr-defined]
        yield client
    app.state.runtime.app.close()


def stored_events(client: httpx.AsyncClient) -> list[Any]:
    app = service_app(client)
    return [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 1000)]


def case_events(client: httpx.AsyncClient) -> list[Any]:
    """The service's own domain events: neither access records nor idempotency records."""
    kit_records = (CaseAccess.Recorded, IdempotencyRecord.Recorded)
    return [e for e in stored_events(client) if not isinstance(e, kit_records)]


def accesses(client: httpx.AsyncClient) -> list[tuple[str, str, str, str]]:
    return [
        (e.actor, e.resource, e.case_id, e.outcome)
        for e in stored_events(client)
        if isinstance(e, CaseAccess.Recorded)
    ]


def start_placement(client: httpx.AsyncClient) -> None:
    service_app(client).placement_started("0380", "C-1", "P-1", "familjehem", date(2026, 11, 2), True)


def accept_referral(client: httpx.AsyncClient) -> None:
    service_app(client).referral_accepted("R-1", "C-1", "0380", "network_centre")


async def test_a_retried_member_addition_with_its_key_adds_one_member_and_answers_as_the_first(
    network_support,
) -> None:
    headers = {**WORKER, "Idempotency-Key": "add-aunt"}
    url = "/api/v1/cases/C-1/network-map/members"
    first = await network_support.post(url, headers=headers, json=MEMBER)
    again = await network_support.post(url, headers=headers, json=MEMBER)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json() == {"member_id": 1}
    assert again.headers["idempotent-replayed"] == "true"
    shown = (await network_support.get("/api/v1/cases/C-1/network-map", headers=WORKER)).json()
    assert [member["member_id"] for member in shown["members"]] == [1]


async def test_a_retried_parent_support_session_with_its_key_is_recorded_once(network_support) -> None:
    start_placement(network_support)
    headers = {**WORKER, "Idempotency-Key": "session-1"}
    url = "/api/v1/placements/P-1/parent-support/sessions"
    first = await network_support.post(url, headers=headers, json=SESSION)
    again = await network_support.post(url, headers=headers, json=SESSION)
    assert again.json() == first.json()
    assert first.json()["parent_support_sessions"] == 1
    shown = (await network_support.get("/api/v1/placements/P-1", headers=WORKER)).json()
    assert shown["parent_support_sessions"] == 1


async def test_a_retried_goal_with_its_key_is_added_once(network_support) -> None:
    accept_referral(network_support)
    headers = {**WORKER, "Idempotency-Key": "goal-1"}
    url = "/api/v1/cases/C-1/support-plan/goals"
    for _ in range(3):
        response = await network_support.post(url, headers=headers, json={"goal": "Home by spring"})
        assert response.status_code == 200
    assert response.json()["goals"] == ["Home by spring"]


async def test_the_same_key_with_another_body_is_refused_as_reused(network_support) -> None:
    headers = {**WORKER, "Idempotency-Key": "add-member"}
    url = "/api/v1/cases/C-1/network-map/members"
    await network_support.post(url, headers=headers, json=MEMBER)
    other = await network_support.post(url, headers=headers, json={**MEMBER, "relation": "uncle"})
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"


async def test_the_same_key_in_another_municipality_is_another_request(network_support) -> None:
    url = "/api/v1/cases/C-1/network-map/members"
    ours = await network_support.post(url, headers={**WORKER, "Idempotency-Key": "k"}, json=MEMBER)
    theirs = await network_support.post(url, headers={**GAVLE, "Idempotency-Key": "k"}, json=MEMBER)
    assert (ours.status_code, theirs.status_code) == (201, 201)
    assert "idempotent-replayed" not in theirs.headers


async def test_drafting_a_safety_plan_the_case_already_has_is_logged_as_a_read_by_its_caller(
    network_support,
) -> None:
    first = await network_support.post("/api/v1/cases/C-1/safety-plan", headers=WORKER)
    again = await network_support.post("/api/v1/cases/C-1/safety-plan", headers=WORKER)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    recorded = accesses(network_support)
    assert [(actor, case, outcome) for actor, _, case, outcome in recorded] == [
        ("cw-17", "C-1", "granted")
    ] * 2
    assert all(
        resource.startswith("POST ") and resource.endswith("/safety-plan") for _, resource, _, _ in recorded
    )


async def test_every_write_answer_that_carries_case_data_leaves_an_access_record_of_its_caller(
    network_support,
) -> None:
    accept_referral(network_support)
    start_placement(network_support)
    writes = [
        ("/api/v1/cases/C-1/support-plan/goals", {"goal": "Home by spring"}),
        ("/api/v1/cases/C-1/network-map/members", MEMBER),
        ("/api/v1/placements/P-1/parent-support/sessions", SESSION),
        ("/api/v1/placements/P-1/inquiry/candidates", None),
        ("/api/v1/cases/C-1/home-return", {"phase": "preparation", "on": "2026-11-20"}),
    ]
    for url, body in writes:
        response = await network_support.post(url, headers=WORKER, json=body)
        assert response.status_code in (200, 201), response.text
    recorded = accesses(network_support)
    assert {(actor, case, outcome) for actor, _, case, outcome in recorded} == {("cw-17", "C-1", "granted")}
    assert len(recorded) == len(writes)


async def test_the_stored_events_of_a_human_command_carry_the_callers_sub(network_support) -> None:
    await network_support.post("/api/v1/cases/C-1/network-map/members", headers=WORKER, json=MEMBER)
    await network_support.post("/api/v1/cases/C-1/safety-plan", headers=WORKER)
    events = case_events(network_support)
    assert [type(e).__name__ for e in events] == ["Started", "MemberAdded", "Drafted"]
    assert {Attribution.of(e, "?").actor for e in events} == {"cw-17"}


async def test_events_from_another_services_event_are_attributed_to_this_service(network_support) -> None:
    start_placement(network_support)
    assert {Attribution.of(e, "?").actor for e in case_events(network_support)} == {"system:network_support"}


def _comparable(response: httpx.Response) -> tuple[int, bytes, dict[str, str]]:
    headers = {k: v for k, v in response.headers.items() if k != "x-correlation-id"}
    return response.status_code, response.content, headers


@pytest.mark.parametrize(
    ("method", "ours", "absent", "body"),
    [
        ("GET", "/cases/C-1/network-map", "/cases/C-404/network-map", None),
        ("DELETE", "/cases/C-1/network-map/members/1", "/cases/C-404/network-map/members/1", None),
        ("GET", "/cases/C-1/safety-plan", "/cases/C-404/safety-plan", None),
        (
            "POST",
            "/cases/C-1/safety-plan/revisions",
            "/cases/C-404/safety-plan/revisions",
            {"on": "2026-12-01"},
        ),
        ("GET", "/cases/C-1/support-plan", "/cases/C-404/support-plan", None),
        ("POST", "/cases/C-1/support-plan/goals", "/cases/C-404/support-plan/goals", {"goal": "g"}),
        (
            "POST",
            "/cases/C-1/support-plan/actions/1/complete",
            "/cases/C-404/support-plan/actions/1/complete",
            None,
        ),
        ("GET", "/placements/P-1", "/placements/P-404", None),
        ("POST", "/placements/P-1/school-start", "/placements/P-404/school-start", {"on": "2026-11-05"}),
        (
            "POST",
            "/placements/P-1/inquiry/outcome",
            "/placements/P-404/inquiry/outcome",
            {"outcome": "declined", "reason": "r"},
        ),
        ("GET", "/cases/C-1/home-return", "/cases/C-404/home-return", None),
    ],
)
async def test_another_municipalitys_object_answers_exactly_like_an_absent_one(
    network_support, method: str, ours: str, absent: str, body: dict | None
) -> None:
    accept_referral(network_support)
    start_placement(network_support)
    await network_support.post("/api/v1/cases/C-1/network-map/members", headers=WORKER, json=MEMBER)
    await network_support.post("/api/v1/cases/C-1/safety-plan", headers=WORKER)
    await network_support.post(
        "/api/v1/cases/C-1/home-return", headers=WORKER, json={"phase": "preparation", "on": "2026-11-20"}
    )
    await network_support.post(
        "/api/v1/cases/C-1/support-plan/actions",
        headers=WORKER,
        json={"description": "Map the network", "owner_role": "coordinator", "due": "2026-12-01"},
    )
    denied = await network_support.request(method, f"/api/v1{ours}", headers=GAVLE, json=body)
    missing = await network_support.request(method, f"/api/v1{absent}", headers=GAVLE, json=body)
    assert denied.status_code == 404
    assert _comparable(denied) == _comparable(missing)
