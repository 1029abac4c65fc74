"""A case's protection as its placement records say it (ADR 0032), through the kit's real tracking
consumer and HTTP with a JWT: a matching request for a case whose child a placement record of the
same municipality said has a protected identity, or lives in protected housing, is refused as if
the box were ticked; an open one of a case that becomes protected is withdrawn at once, partners
being told only that it was withdrawn; never across municipalities."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import PARTNER_TOPICS
from services.collaboration.app import create_app
from services.collaboration.domain.open_request import OpenRequest
from services.collaboration.inbound import consumers
from services.kit.domain.case_access import CaseAccess
from services.kit.domain.case_protection import CaseProtection
from tests.component.conftest import placements_fed
from tests.component.test_collaboration_http import (
    GAVLE,
    UPPSALA,
    VASTERAS,
    as_,
    inbound,
    new_request,
    register,
)
from tests.conftest import make_settings
from tests.support.events import cloud_event, placement_data, placement_ended, placement_started
from tests.support.tokens import bearer

CASE = "0380-C-1"
ANNA = "anna@uppsala.se"
CASE_WORKER = bearer(UPPSALA, ("case_worker",), ANNA)


@pytest.fixture
async def collaboration(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The service, with ``feed`` handing its placements consumer a CloudEvent."""
    app = create_app(make_settings(tmp_path), start_runtime=False)
    async with placements_fed(app, consumers, "http://collab") as client:
        yield client


def changed(case_id: str, placement_id: str, **data: Any) -> dict[str, Any]:
    return cloud_event("se.placement.changed.v1", placement_data(case_id, placement_id, **data))


PROTECTING_RECORDS = {
    "a start saying the child has a protected identity (no home of the pool)": lambda: placement_started(
        CASE, "P-1", protected_identity=True
    ),
    "a change to protected housing": lambda: changed(CASE, "P-1", placement_type="skyddat_boende"),
    "an end saying the child has a protected identity": lambda: placement_ended(
        CASE, "P-1", protected_identity=True
    ),
}


async def ask(client: httpx.AsyncClient, partners: list[str], ticked: bool = False) -> httpx.Response:
    body = new_request(partners, CASE, protected=ticked)
    return await client.post("/api/v1/matching-requests", headers=CASE_WORKER, json=body)


async def ticked_box_refusal(client: httpx.AsyncClient) -> dict[str, Any]:
    refused = await ask(client, [VASTERAS], ticked=True)
    assert refused.status_code == 422
    return refused.json()


def partner_envelopes(client: httpx.AsyncClient) -> list[tuple[str, dict[str, Any]]]:
    """(topic, envelope) of everything the relay would publish to a partner topic, in store order."""
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    store = runtime.app
    return [
        (topic, envelope.model_dump(mode="json"))
        for notification in store.recorder.select_notifications(1, 10_000)
        for topic, envelope in runtime.publication.cloud_events(
            store.mapper.to_domain_event(notification), notification.id
        )
        if topic in PARTNER_TOPICS
    ]


@pytest.mark.parametrize("record", list(PROTECTING_RECORDS))
async def test_a_request_for_a_case_a_placement_record_said_is_protected_is_refused_as_a_ticked_box(
    collaboration, record: str
) -> None:
    await collaboration.feed(PROTECTING_RECORDS[record]())
    unticked = await ask(collaboration, [VASTERAS, GAVLE])
    assert unticked.status_code == 422, unticked.text
    assert unticked.json() == await ticked_box_refusal(collaboration)
    assert CASE not in unticked.text
    listed = await collaboration.get("/api/v1/matching-requests", headers=as_(VASTERAS))
    assert listed.json()["items"] == []


async def test_a_protection_once_said_is_kept_when_a_later_record_does_not_say_it(collaboration) -> None:
    await collaboration.feed(placement_started(CASE, "P-1", protected_identity=True))
    await collaboration.feed(changed(CASE, "P-1", placement_type="familjehem", protected_identity=False))
    await collaboration.feed(placement_started(CASE, "P-2", placement_type="familjehem"))
    assert (await ask(collaboration, [VASTERAS])).status_code == 422


async def test_a_child_protected_in_another_municipality_protects_that_municipality_s_case_only(
    collaboration,
) -> None:
    """Never across municipalities: the same case id in Västerås is another case."""
    await collaboration.feed(placement_started(CASE, "P-9", municipality=VASTERAS, protected_identity=True))
    in_vasteras = await collaboration.post(
        "/api/v1/matching-requests",
        headers=bearer(VASTERAS, ("case_worker",)),
        json=new_request([GAVLE], CASE),
    )
    assert in_vasteras.status_code == 422, in_vasteras.text
    assert (await ask(collaboration, [VASTERAS])).status_code == 201


async def test_the_refusal_for_a_case_known_protected_is_logged_as_a_read_of_the_case(collaboration) -> None:
    """It tells the caller something of the case: that its child is protected."""
    await collaboration.feed(changed(CASE, "P-1", placement_type="skyddat_boende"))
    assert (await ask(collaboration, [VASTERAS])).status_code == 422
    store = collaboration.store
    logged = [
        (event.case_id, event.actor, event.outcome)
        for notification in store.recorder.select_notifications(1, 10_000)
        if isinstance(event := store.mapper.to_domain_event(notification), CaseAccess.Recorded)
    ]
    assert logged == [(CASE, ANNA, "granted")]


async def test_an_open_request_of_a_case_that_becomes_protected_is_withdrawn_at_once(collaboration) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-FH-P1", [UPPSALA])
    opened = await ask(collaboration, [VASTERAS, GAVLE])
    request_id = opened.json()["request_id"]
    offered = await collaboration.post(
        f"/api/v1/matching-requests/{request_id}/offers", headers=as_(VASTERAS), json={"home_id": home_id}
    )
    assert offered.status_code == 201, offered.text
    await collaboration.feed(changed(CASE, "P-1", placement_type="familjehem", protected_identity=True))
    for partner in (VASTERAS, GAVLE):
        seen = await collaboration.get(f"/api/v1/matching-requests/{request_id}", headers=as_(partner))
        assert seen.json()["status"] == "withdrawn"
    own = await collaboration.get(f"/api/v1/matching-requests/{request_id}", headers=CASE_WORKER)
    assert (own.json()["status"], [o["status"] for o in own.json()["offers"]]) == ("withdrawn", ["withdrawn"])
    late = await collaboration.post(
        f"/api/v1/matching-requests/{request_id}/offers", headers=as_(VASTERAS), json={"home_id": home_id}
    )
    assert (late.status_code, late.json()["error"]["code"]) == (409, "request_closed")
    slots = [
        collaboration.store.repository.get(OpenRequest.id_for(UPPSALA, CASE, p)) for p in (VASTERAS, GAVLE)
    ]
    assert [slot.holder for slot in slots] == [None, None]


async def test_partners_are_told_the_request_was_withdrawn_and_nothing_of_why(collaboration) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-FH-P2", [UPPSALA])
    request_id = (await ask(collaboration, [VASTERAS, GAVLE])).json()["request_id"]
    await collaboration.post(
        f"/api/v1/matching-requests/{request_id}/offers", headers=as_(VASTERAS), json={"home_id": home_id}
    )
    before = len(partner_envelopes(collaboration))
    await collaboration.feed(changed(CASE, "P-1", placement_type="skyddat_boende"))
    told = partner_envelopes(collaboration)[before:]
    assert sorted((topic, e["type"].split(".")[3], e["data"]["change"]) for topic, e in told) == [
        ("partner.1980.v1", "matching_request", "withdrawn"),
        ("partner.1980.v1", "offer", "withdrawn"),
        ("partner.2180.v1", "matching_request", "withdrawn"),
    ]
    for _, envelope in told:
        text = json.dumps(envelope).lower()
        assert "protect" not in text and "skydd" not in text and CASE.lower() not in text


async def test_a_request_opened_while_a_record_says_the_case_is_protected_is_refused(collaboration) -> None:
    """The record is stored by another thread between the request's look at the case's protection
    and its holding the partners' slots: the barred slots refuse it, as the protection would."""
    store = collaboration.store
    looked_up = store.exists
    recorded: list[threading.Thread] = []

    def exists_then_protected(aggregate_id: Any) -> bool:
        answer = looked_up(aggregate_id)
        # Once, and only for the request: the record's own handling looks the protection up too.
        if aggregate_id == CaseProtection.id_for(UPPSALA, CASE) and not recorded:
            record = placement_started(CASE, "P-1", protected_identity=True)
            recorded.append(threading.Thread(target=store.placement_started, args=(inbound(record),)))
            recorded[0].start()
            recorded[0].join()
        return answer

    store.exists = exists_then_protected
    refused = await ask(collaboration, [VASTERAS])
    assert refused.status_code == 422, refused.text
    assert refused.json() == await ticked_box_refusal(collaboration)
    assert (await collaboration.get("/api/v1/matching-requests", headers=as_(VASTERAS))).json()["items"] == []


async def test_the_registerutdrag_part_says_what_the_case_s_placement_records_said_of_its_protection(
    collaboration,
) -> None:
    """The pool keeps the case's protection (no home of the pool need be involved): it is what the
    pool holds about the child, so its part of a registerutdrag says it, and marks the bundle."""
    await collaboration.feed(changed(CASE, "P-1", placement_type="skyddat_boende"))
    registrar = bearer(UPPSALA, ("registrar",), "reg-1")
    part = await collaboration.post("/api/v1/subject-access", headers=registrar, json={"case_ids": [CASE]})
    assert part.status_code == 200, part.text
    [case] = part.json()["cases"]
    assert (case["case_id"], case["protected_identity"], case["protected_housing"]) == (CASE, False, True)
