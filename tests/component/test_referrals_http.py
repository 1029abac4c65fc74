"""The referrals HTTP API through the app factory: validation, roles, municipalities, idempotency."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from tests.support.events import valid_pin
from tests.support.tokens import bearer

CASE_WORKER = bearer("0380", ("case_worker",))
COORDINATOR = bearer("0380", ("coordinator",))
PIN = valid_pin(11)


def new_referral(**overrides: object) -> dict:
    body = {
        "case_id": f"0380-{uuid.uuid4().hex[:6]}",
        "target": "network_centre",
        "child": {"pin": PIN, "protected_identity": False},
        "child_status": "placement_near",
        "case_worker_id": "cw-12",
        "reason": "network strengthening",
    }
    body.update(overrides)
    return body


async def create(
    client: httpx.AsyncClient, headers: dict | None = None, **overrides: object
) -> httpx.Response:
    return await client.post(
        "/api/v1/referrals", json=new_referral(**overrides), headers=headers or CASE_WORKER
    )


async def test_a_case_worker_creates_a_referral_that_is_received_and_never_shows_the_pin(referrals) -> None:
    response = await create(referrals)
    assert response.status_code == 201
    assert response.json()["status"] == "received"
    assert PIN not in response.text


async def test_the_coordinator_accepts_then_closes_a_referral(referrals) -> None:
    referral_id = (await create(referrals)).json()["id"]
    accepted = await referrals.post(f"/api/v1/referrals/{referral_id}/accept", headers=COORDINATOR)
    closed = await referrals.post(f"/api/v1/referrals/{referral_id}/close", headers=COORDINATOR)
    assert (accepted.json()["status"], closed.json()["status"]) == ("accepted", "closed")


async def test_an_illegal_transition_is_a_409_with_a_named_error(referrals) -> None:
    referral_id = (await create(referrals)).json()["id"]
    response = await referrals.post(f"/api/v1/referrals/{referral_id}/close", headers=COORDINATOR)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "transition_not_allowed"


async def test_declining_without_a_reason_is_refused(referrals) -> None:
    referral_id = (await create(referrals)).json()["id"]
    response = await referrals.post(f"/api/v1/referrals/{referral_id}/decline", json={}, headers=COORDINATOR)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "body.reason"


async def test_an_invalid_body_names_the_fields_without_echoing_the_pin(referrals) -> None:
    bad_pin = PIN[:-1] + str((int(PIN[-1]) + 1) % 10)
    response = await create(
        referrals, child={"pin": bad_pin, "protected_identity": False}, target="elsewhere"
    )
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["error"]["details"]}
    assert fields == {"body.child.pin", "body.target"}
    assert bad_pin not in response.text


async def test_only_case_workers_create_referrals(referrals) -> None:
    response = await create(referrals, headers=bearer("0380", ("auditor",)))
    assert response.status_code == 403


async def test_a_request_without_a_valid_token_is_401(referrals) -> None:
    assert (await referrals.get("/api/v1/referrals")).status_code == 401
    response = await referrals.get("/api/v1/referrals", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_another_municipality_gets_404_and_does_not_see_the_referral_in_lists(referrals) -> None:
    referral_id = (await create(referrals)).json()["id"]
    other = bearer("1980", ("coordinator",))
    assert (await referrals.get(f"/api/v1/referrals/{referral_id}", headers=other)).status_code == 404
    assert (await referrals.post(f"/api/v1/referrals/{referral_id}/accept", headers=other)).status_code == 404
    assert (await referrals.get("/api/v1/referrals", headers=other)).json() == {
        "items": [],
        "next_cursor": None,
    }


async def test_the_same_idempotency_key_creates_one_referral(referrals) -> None:
    headers = {**CASE_WORKER, "Idempotency-Key": "req-1"}
    body = new_referral()
    first = await referrals.post("/api/v1/referrals", json=body, headers=headers)
    second = await referrals.post("/api/v1/referrals", json=body, headers=headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] == second.json()["id"]
    listed = await referrals.get(
        "/api/v1/referrals", params={"case_id": body["case_id"]}, headers=COORDINATOR
    )
    assert len(listed.json()["items"]) == 1


async def test_an_idempotency_key_reused_for_another_request_is_refused(referrals) -> None:
    headers = {**CASE_WORKER, "Idempotency-Key": "req-2"}
    await referrals.post("/api/v1/referrals", json=new_referral(), headers=headers)
    response = await referrals.post("/api/v1/referrals", json=new_referral(), headers=headers)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"


async def test_a_repeated_accept_with_its_key_is_not_an_illegal_transition(referrals) -> None:
    referral_id = (await create(referrals)).json()["id"]
    headers = {**COORDINATOR, "Idempotency-Key": "accept-1"}
    first = await referrals.post(f"/api/v1/referrals/{referral_id}/accept", headers=headers)
    second = await referrals.post(f"/api/v1/referrals/{referral_id}/accept", headers=headers)
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["version"] == first.json()["version"]


async def test_an_oversized_body_gets_413(referrals) -> None:
    response = await create(referrals, reason="x" * 10_000)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


async def test_every_response_with_case_data_is_recorded_with_its_reader(referrals) -> None:
    referral_id = (await create(referrals)).json()["id"]
    await referrals.get(f"/api/v1/referrals/{referral_id}", headers=COORDINATOR)
    await referrals.get(
        f"/api/v1/referrals/{referral_id}", headers=bearer("2180", ("coordinator",), subject="gavle-1")
    )
    store = referrals.app.state.runtime.app
    recorded = [
        (e.actor, e.resource.split()[0], e.outcome, e.municipality)
        for n in store.recorder.select_notifications(1, 1000)
        if type(e := store.mapper.to_domain_event(n)).__name__ == "Recorded" and hasattr(e, "outcome")
    ]
    assert recorded == [
        ("staff-1", "POST", "granted", "0380"),  # the creation's response carries the referral
        ("staff-1", "GET", "granted", "0380"),
        ("gavle-1", "GET", "denied", "0380"),  # logged in the case's own access log
    ]


async def test_an_unknown_query_parameter_is_refused_instead_of_ignored(referrals) -> None:
    response = await referrals.get("/api/v1/referrals", params={"caseid": "0380-1"}, headers=COORDINATOR)
    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "query"
    assert "caseid" not in response.text  # a parameter's name is the caller's input: never echoed


async def test_authentication_comes_before_the_body_is_read(referrals) -> None:
    response = await referrals.post(
        "/api/v1/referrals", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 401


async def test_an_unsupported_method_names_every_allowed_one(referrals) -> None:
    response = await referrals.request("PUT", "/api/v1/referrals", headers=COORDINATOR)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


async def test_a_declined_referral_can_be_closed_and_then_nothing_more(referrals) -> None:
    referral_id = (await create(referrals)).json()["id"]
    declined = await referrals.post(
        f"/api/v1/referrals/{referral_id}/decline",
        json={"reason": "not our target group"},
        headers=COORDINATOR,
    )
    assert declined.status_code == 200
    closed = await referrals.post(f"/api/v1/referrals/{referral_id}/close", headers=COORDINATOR)
    assert (closed.status_code, closed.json()["status"]) == (200, "closed")
    again = await referrals.post(f"/api/v1/referrals/{referral_id}/accept", headers=COORDINATOR)
    assert again.status_code == 409


async def test_referrals_of_one_case_to_one_target_sent_together_make_one_open_referral(referrals) -> None:
    """Ten identical referrals under ten idempotency keys, at once: one is received, the others
    are refused with 409; once it is closed, a new one may be made."""
    body = new_referral(case_id="0380-DUP-1")
    answers = await asyncio.gather(
        *(
            referrals.post(
                "/api/v1/referrals", json=body, headers={**CASE_WORKER, "Idempotency-Key": f"k-{n}"}
            )
            for n in range(10)
        )
    )
    assert sorted(a.status_code for a in answers) == [201] + [409] * 9
    listed = await referrals.get("/api/v1/referrals", params={"case_id": "0380-DUP-1"}, headers=COORDINATOR)
    [open_one] = listed.json()["items"]
    elsewhere = await create(referrals, case_id="0380-DUP-1", target="safety_team")
    assert elsewhere.status_code == 201  # another target is another referral
    declined = await referrals.post(
        f"/api/v1/referrals/{open_one['id']}/decline", json={"reason": "not now"}, headers=COORDINATOR
    )
    assert declined.status_code == 200
    assert (await create(referrals, case_id="0380-DUP-1")).status_code == 201
