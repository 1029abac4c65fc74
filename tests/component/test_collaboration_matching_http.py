"""Matching requests through HTTP with a JWT: one open request per case and partner, also when
several arrive at once, and a request past its expiry reads expired and takes no offer, no
acceptance and no withdrawal even before the periodic sweep has marked it expired."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx

from services.collaboration.domain.matching_request import MatchingRequest
from tests.component.test_collaboration_http import (
    GAVLE,
    UPPSALA,
    VASTERAS,
    as_,
    collaboration,
    new_request,
    open_request,
    register,
    service_app,
)

__all__ = ["collaboration"]  # the fixture, shared with the collaboration HTTP tests
CASE_WORKER = as_(UPPSALA, "case_worker")


async def post_request(
    client: httpx.AsyncClient, partners: list[str], key: str | None = None, case_id: str = "0380-C-1"
) -> httpx.Response:
    headers = {**CASE_WORKER, **({"Idempotency-Key": key} if key else {})}
    return await client.post(
        "/api/v1/matching-requests", headers=headers, json=new_request(partners, case_id)
    )


async def offer(client: httpx.AsyncClient, request_id: str, partner: str, home_id: str) -> httpx.Response:
    return await client.post(
        f"/api/v1/matching-requests/{request_id}/offers", headers=as_(partner), json={"home_id": home_id}
    )


async def accept(client: httpx.AsyncClient, request_id: str, offer_id: str) -> httpx.Response:
    return await client.post(
        f"/api/v1/matching-requests/{request_id}/accept", headers=CASE_WORKER, json={"offer_id": offer_id}
    )


async def test_requests_for_one_case_to_one_partner_sent_together_make_one_open_request(
    collaboration,
) -> None:
    """Ten for each of five cases, under ten idempotency keys each, at once: one per case is sent."""
    cases = [f"0380-TOGETHER-{n}" for n in range(5)]
    answers = await asyncio.gather(
        *(
            post_request(collaboration, [VASTERAS], f"{case_id}-{n}", case_id)
            for n in range(10)
            for case_id in cases
        )
    )
    assert sorted(a.status_code for a in answers) == [201] * 5 + [409] * 45
    listed = await collaboration.get("/api/v1/matching-requests", headers=CASE_WORKER)
    assert sorted((r["case_id"], r["status"]) for r in listed.json()["items"]) == [(c, "open") for c in cases]


async def test_a_withdrawn_request_lets_a_new_one_for_the_case_go_to_that_partner(collaboration) -> None:
    request_id = await open_request(collaboration, [VASTERAS, GAVLE])
    withdrawn = await collaboration.post(
        f"/api/v1/matching-requests/{request_id}/withdraw", headers=CASE_WORKER
    )
    assert withdrawn.status_code == 200
    assert (await post_request(collaboration, [GAVLE])).status_code == 201
    assert (await post_request(collaboration, [VASTERAS])).status_code == 201


async def test_a_matched_request_lets_a_new_one_for_the_case_go_to_that_partner(collaboration) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-FH-M1", [UPPSALA])
    request_id = await open_request(collaboration, [VASTERAS])
    offered = await offer(collaboration, request_id, VASTERAS, home_id)
    assert (await accept(collaboration, request_id, offered.json()["offer_id"])).status_code == 200
    assert (await post_request(collaboration, [VASTERAS])).status_code == 201


async def test_a_request_stored_before_requests_held_their_slot_still_keeps_a_second_one_out(
    collaboration,
) -> None:
    app = service_app(collaboration)
    now = datetime.now(UTC)
    legacy = MatchingRequest.open(
        UPPSALA,
        "0380-C-1",
        (VASTERAS,),
        "6-12",
        "familjehem",
        (),
        datetime.now(UTC).date(),
        now + timedelta(hours=72),
        now,
    )
    app.save(legacy)  # as it was stored then: the request alone
    again = await post_request(collaboration, [VASTERAS, GAVLE])
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "duplicate_request"
    withdrawn = await collaboration.post(
        f"/api/v1/matching-requests/{legacy.id}/withdraw", headers=CASE_WORKER
    )
    assert withdrawn.status_code == 200
    assert (await post_request(collaboration, [VASTERAS])).status_code == 201


async def test_a_request_past_its_expiry_takes_no_offer_before_the_sweep(collaboration) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-FH-E1", [UPPSALA])
    request_id = await open_request(collaboration, [VASTERAS])
    service_app(collaboration).clock = lambda: datetime.now(UTC) + timedelta(hours=73)
    late = await offer(collaboration, request_id, VASTERAS, home_id)
    assert late.status_code == 409
    assert late.json()["error"] == {
        "code": "request_closed",
        "message": "the request is expired",
        "details": [],
    }


async def test_a_request_past_its_expiry_takes_no_acceptance_before_the_sweep(collaboration) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-FH-E2", [UPPSALA])
    request_id = await open_request(collaboration, [VASTERAS])
    offer_id = (await offer(collaboration, request_id, VASTERAS, home_id)).json()["offer_id"]
    service_app(collaboration).clock = lambda: datetime.now(UTC) + timedelta(hours=73)
    late = await accept(collaboration, request_id, offer_id)
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "request_closed"
    assert late.json()["error"]["message"] == "the request is expired"
    home = await collaboration.get(f"/api/v1/family-homes/{home_id}", headers=as_(VASTERAS))
    assert home.json()["free_places"] == 2  # no place was held for it


async def test_a_request_past_its_expiry_lets_a_new_one_go_to_that_partner_before_the_sweep(
    collaboration,
) -> None:
    """The case worker asks again once the first went unanswered: the first is expired then."""
    first = await open_request(collaboration, [VASTERAS, GAVLE])
    service_app(collaboration).clock = lambda: datetime.now(UTC) + timedelta(hours=73)
    again = await post_request(collaboration, [VASTERAS])
    assert again.status_code == 201, again.text
    expired = await collaboration.get(f"/api/v1/matching-requests/{first}", headers=CASE_WORKER)
    assert expired.json()["status"] == "expired"
    assert (await post_request(collaboration, [GAVLE])).status_code == 201  # its other slot is free too
    assert service_app(collaboration).expire_requests() == []  # nothing left for the sweep


async def shown_everywhere(client: httpx.AsyncClient, request_id: str) -> list[tuple[str, str, list[str]]]:
    """(status, change, its offers' statuses) as the requester and the partner see the request, alone
    and in their lists."""
    seen = []
    for headers in (CASE_WORKER, as_(VASTERAS)):
        alone = (await client.get(f"/api/v1/matching-requests/{request_id}", headers=headers)).json()
        listed = (await client.get("/api/v1/matching-requests", headers=headers)).json()["items"]
        views = (alone, *(r for r in listed if r["request_id"] == request_id))
        seen += [(v["status"], v["change"], [o["status"] for o in v["offers"]]) for v in views]
    return seen


async def test_a_request_past_its_expiry_reads_expired_before_the_sweep(collaboration) -> None:
    """Read at any moment, it says what the sweep will record: expired, its offers withdrawn."""
    home_id = await register(collaboration, VASTERAS, "VAS-FH-E3", [UPPSALA])
    request_id = await open_request(collaboration, [VASTERAS])
    assert (await offer(collaboration, request_id, VASTERAS, home_id)).status_code == 201
    service_app(collaboration).clock = lambda: datetime.now(UTC) + timedelta(hours=73)
    before_the_sweep = await shown_everywhere(collaboration, request_id)
    assert before_the_sweep == [("expired", "expired", ["withdrawn"])] * 4
    assert service_app(collaboration).expire_requests() == [UPPSALA]  # the reads recorded nothing
    assert await shown_everywhere(collaboration, request_id) == before_the_sweep


async def test_a_request_past_its_expiry_is_not_withdrawn_before_the_sweep(collaboration) -> None:
    request_id = await open_request(collaboration, [VASTERAS])
    service_app(collaboration).clock = lambda: datetime.now(UTC) + timedelta(hours=73)
    late = await collaboration.post(f"/api/v1/matching-requests/{request_id}/withdraw", headers=CASE_WORKER)
    assert late.status_code == 409, late.text
    assert late.json()["error"] == {
        "code": "request_closed",
        "message": "the request is expired",
        "details": [],
    }
    assert service_app(collaboration).expire_requests() == [UPPSALA]  # the refusal recorded nothing


async def test_an_expired_request_is_not_withdrawn(collaboration) -> None:
    request_id = await open_request(collaboration, [VASTERAS])
    service_app(collaboration).clock = lambda: datetime.now(UTC) + timedelta(hours=73)
    assert service_app(collaboration).expire_requests() == [UPPSALA]
    late = await collaboration.post(f"/api/v1/matching-requests/{request_id}/withdraw", headers=CASE_WORKER)
    assert (late.status_code, late.json()["error"]["code"]) == (409, "request_closed")
    shown = await collaboration.get(f"/api/v1/matching-requests/{request_id}", headers=CASE_WORKER)
    assert shown.json()["status"] == "expired"
