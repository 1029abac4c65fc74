"""A case's protection as a referral says it (ADR 0032), through the kit's real tracking consumer of
every topic collaboration subscribes to, and HTTP with a JWT.  A case worker ticks "protected
identity" on a referral before, or without, the case system marking a placement: the referral's
``received`` or ``child_placed`` saying so protects the case as a placement record would (an
unticked matching request is refused, open ones are withdrawn, the pool home the child lives in
is offered no more, while partners read it as before), one way, in the referral's municipality only."""

from __future__ import annotations

import itertools
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import PLACEMENTS, REFERRALS
from services.collaboration.app import create_app
from services.collaboration.domain.open_request import OpenRequest
from services.collaboration.inbound import consumers
from services.kit.consumer import TrackingConsumer
from services.kit.domain.case_protection import CaseProtection
from services.kit.metrics import ServiceMetrics
from tests.component.test_collaboration_http import GAVLE, UPPSALA, VASTERAS, as_, new_request, register
from tests.component.test_collaboration_resident_protection import (
    in_home,
    owner_sees,
    partners_read,
    shared_home,
)
from tests.conftest import make_settings
from tests.support.events import encode, placement_started
from tests.support.fetched import CapturingBroker, FakeMessage, FakeRecord
from tests.support.referral_records import child_placed, referral_received
from tests.support.tokens import bearer

CASE = "0380-C-1"
CASE_WORKER = bearer(UPPSALA, ("case_worker",), "anna@uppsala.se")


def consumer_of(store: Any) -> Callable[[str, bytes], Awaitable[None]]:
    """The service's one tracking consumer of all its subscriptions; ``deliver`` hands it a record
    of a topic, as the broker would: only of the topics it subscribes to."""
    consumer = TrackingConsumer(
        store, CapturingBroker(), "collaboration", consumers(store), ServiceMetrics("collab"), retry_pause=0
    )  # type: ignore[arg-type]
    offsets = itertools.count(1)

    async def deliver(topic: str, value: bytes) -> None:
        if topic in consumer.specs_topics():
            record = FakeRecord(value, offset=next(offsets), topic=topic)
            await consumer.handle([value], FakeMessage((record,)))  # type: ignore[arg-type]

    return deliver


@pytest.fixture
async def collaboration(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    store = app.state.runtime.app
    deliver = consumer_of(store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://collab") as client:
        client.placement = lambda event: deliver(PLACEMENTS, encode(event))  # type: ignore[attr-defined]
        client.referral = lambda record: deliver(REFERRALS, record)  # type: ignore[attr-defined]
        client.store = store  # type: ignore[attr-defined]
        yield client
    store.close()


def manual_referral(sequence: int, protected_identity: bool, municipality: str = UPPSALA) -> bytes:
    """A case worker's own referral of the case (no placement yet), as the referrals relay publishes it."""
    record = json.loads(
        referral_received(
            CASE, str(uuid.uuid4()), sequence, "placement_near", municipality, protected_identity
        )
    )
    record["data"] |= {"origin": "manual", "placement_id": None, "case_worker_id": "anna"}
    return json.dumps(record).encode()


PROTECTING_REFERRALS = {
    "a referral received with the box ticked": lambda: manual_referral(1, protected_identity=True),
    "a child placed on a referral that says so": lambda: child_placed(
        CASE, str(uuid.uuid4()), 1, "P-1", protected_identity=True
    ),
}


async def ask(client: httpx.AsyncClient, partners: list[str], ticked: bool = False) -> httpx.Response:
    body = new_request(partners, CASE, protected=ticked)
    return await client.post("/api/v1/matching-requests", headers=CASE_WORKER, json=body)


@pytest.mark.parametrize("referral", list(PROTECTING_REFERRALS))
async def test_a_request_for_a_case_a_referral_said_is_protected_is_refused_as_a_ticked_box(
    collaboration, referral: str
) -> None:
    await collaboration.referral(PROTECTING_REFERRALS[referral]())
    unticked = await ask(collaboration, [VASTERAS, GAVLE])
    assert unticked.status_code == 422, unticked.text
    ticked = await ask(collaboration, [VASTERAS], ticked=True)
    assert unticked.json() == ticked.json()
    assert (await collaboration.get("/api/v1/matching-requests", headers=as_(VASTERAS))).json()["items"] == []


async def test_an_open_request_of_a_case_a_referral_says_is_protected_is_withdrawn_at_once(
    collaboration,
) -> None:
    request_id = (await ask(collaboration, [VASTERAS, GAVLE])).json()["request_id"]
    await collaboration.referral(manual_referral(1, protected_identity=True))
    for partner in (VASTERAS, GAVLE):
        seen = await collaboration.get(f"/api/v1/matching-requests/{request_id}", headers=as_(partner))
        assert seen.json()["status"] == "withdrawn"
    slots = [
        collaboration.store.repository.get(OpenRequest.id_for(UPPSALA, CASE, p)) for p in (VASTERAS, GAVLE)
    ]
    assert [(slot.holder, slot.barred) for slot in slots] == [(None, True), (None, True)]


async def test_a_child_a_referral_says_is_protected_is_no_longer_offered_where_it_lives_unseen_by_partners(
    collaboration,
) -> None:
    home_id = await shared_home(collaboration)
    await collaboration.placement(placement_started(CASE, "P-1", **in_home()))
    before = await partners_read(collaboration, home_id)
    await collaboration.referral(child_placed(CASE, str(uuid.uuid4()), 1, "P-1", protected_identity=True))
    assert await partners_read(collaboration, home_id) == before
    assert await owner_sees(collaboration, home_id) == (200, 1, False)


async def test_a_placement_after_a_referral_said_the_child_is_protected_moves_in_unseen_by_partners(
    collaboration,
) -> None:
    home_id = await shared_home(collaboration)
    await collaboration.referral(manual_referral(1, protected_identity=True))
    before = await partners_read(collaboration, home_id)
    await collaboration.placement(placement_started(CASE, "P-1", **in_home(protected_identity=False)))
    assert await partners_read(collaboration, home_id) == before
    assert await owner_sees(collaboration, home_id) == (200, 1, False)


async def test_a_referral_protects_the_case_of_its_own_municipality_only(collaboration) -> None:
    """Never across municipalities: the same case id in Uppsala is another case."""
    await collaboration.referral(manual_referral(1, protected_identity=True, municipality=VASTERAS))
    in_vasteras = await collaboration.post(
        "/api/v1/matching-requests",
        headers=bearer(VASTERAS, ("case_worker",)),
        json=new_request([GAVLE], CASE),
    )
    assert in_vasteras.status_code == 422, in_vasteras.text
    assert (await ask(collaboration, [VASTERAS])).status_code == 201


async def test_a_referral_saying_the_child_is_not_protected_undoes_nothing(collaboration) -> None:
    await collaboration.placement(placement_started(CASE, "P-1", protected_identity=True))
    await collaboration.referral(manual_referral(1, protected_identity=False))
    await collaboration.referral(child_placed(CASE, str(uuid.uuid4()), 2, "P-1", protected_identity=False))
    assert (await ask(collaboration, [VASTERAS])).status_code == 422


async def test_a_referral_saying_the_child_is_not_protected_protects_nothing(collaboration) -> None:
    await collaboration.referral(manual_referral(1, protected_identity=False))
    await collaboration.referral(child_placed(CASE, str(uuid.uuid4()), 2, "P-1"))  # relayed before the field
    assert (await ask(collaboration, [VASTERAS])).status_code == 201


async def test_a_referral_saying_the_child_is_protected_protects_it_in_a_home_it_moved_into_before_cases_had_a_gate(
    collaboration,
) -> None:
    """A store older than the case's ``MoveInGate`` holds the child's move-in and no gate: the
    referral still finds the home and marks the child protected there (the home is offered no more),
    and in a home a later placement moves into too; partners read both homes as before."""
    home_id, other_id = (
        await shared_home(collaboration),
        await register(collaboration, UPPSALA, "UPP-FH-2", [VASTERAS, GAVLE]),
    )
    older = collaboration.store.repository.get(uuid.UUID(home_id))
    older.occupy("P-1", CASE, UPPSALA, False)
    collaboration.store.save(older)
    before = [await partners_read(collaboration, home) for home in (home_id, other_id)]
    await collaboration.referral(manual_referral(1, protected_identity=True))
    await collaboration.placement(placement_started(CASE, "P-2", **in_home(family_home_id="UPP-FH-2")))
    assert [await partners_read(collaboration, home) for home in (home_id, other_id)] == before
    for home in (home_id, other_id):
        assert await owner_sees(collaboration, home) == (200, 1, False)


async def test_a_placement_of_a_case_protected_before_cases_had_a_gate_moves_in_unseen_by_partners(
    collaboration,
) -> None:
    """A store older than the case's ``MoveInGate`` holds the case's protection and no gate."""
    home_id = await shared_home(collaboration)
    collaboration.store.save(CaseProtection(municipality=UPPSALA, case_id=CASE, identity=True, housing=False))
    before = await partners_read(collaboration, home_id)
    await collaboration.placement(placement_started(CASE, "P-1", **in_home(protected_identity=False)))
    assert await partners_read(collaboration, home_id) == before
    assert await owner_sees(collaboration, home_id) == (200, 1, False)
