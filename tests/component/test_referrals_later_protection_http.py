"""A case protected after its referral was made (ADR 0032): a later placement record of the case (a
change, an end, the start sent again) saying the child has a protected identity or lives in
protected housing makes every referral of the case, and of the child, read protected from then on,
one way; what referrals publishes of the case afterwards says so where its contract can.  Records
through the kit's real tracking consumer, read over HTTP with a JWT."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import PLACEMENTS
from services.referrals.app import create_app
from services.referrals.inbound import placement_consumer
from tests.component.conftest import in_process
from tests.component.test_referrals_http import COORDINATOR, create
from tests.conftest import make_settings
from tests.support.events import (
    cloud_event,
    encode,
    placement_data,
    placement_ended,
    placement_started,
    valid_pin,
)
from tests.support.fetched import FakeMessage, FakeRecord, in_process_consumer
from tests.support.tokens import bearer
from tests.support.worklists import published

PIN = valid_pin(51)
CHILD = {"pin": PIN, "protected_identity": False}
RECEIVED = "se.natverk.referral.received.v1"
CHILD_PLACED = "se.natverk.referral.child_placed.v1"


def changed(case_id: str, placement_id: str, **data: Any) -> dict[str, Any]:
    return cloud_event("se.placement.changed.v1", placement_data(case_id, placement_id, pin=PIN, **data))


LATER_PROTECTION: dict[str, Callable[[], dict[str, Any]]] = {
    "a change saying the child has a protected identity": lambda: changed(
        "0380-LP", "P-1", protected_identity=True
    ),
    "a change to protected housing": lambda: changed("0380-LP", "P-1", placement_type="skyddat_boende"),
    "an end saying the child has a protected identity": lambda: placement_ended(
        "0380-LP", "P-1", pin=PIN, protected_identity=True
    ),
    "the start sent again saying the child has a protected identity": lambda: placement_started(
        "0380-LP", "P-1", pin=PIN, protected_identity=True
    ),
}


@pytest.fixture
async def referrals(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The service, with ``feed`` handing its placements consumer a batch of CloudEvents (one
    fetched batch: one unit of work)."""
    app = create_app(make_settings(tmp_path), start_runtime=False)
    store = app.state.runtime.app
    consumer, _ = in_process_consumer(store, placement_consumer(store), "placement-records")
    offsets = itertools.count(1)

    async def feed(*events: dict[str, Any]) -> None:
        values = [encode(event) for event in events]
        records = tuple(FakeRecord(value, offset=next(offsets), topic=PLACEMENTS) for value in values)
        await consumer.handle(values, FakeMessage(records))  # type: ignore[arg-type]

    async with in_process(app, "http://referrals") as client:
        client.feed = feed  # type: ignore[attr-defined]
        yield client


async def shown(
    client: httpx.AsyncClient, case_id: str, headers: dict = COORDINATOR
) -> list[tuple[str, bool]]:
    """(target, protected_identity) of each referral of the case, oldest first, each read on its own."""
    listed = await client.get("/api/v1/referrals", params={"case_id": case_id}, headers=headers)
    views = [
        (await client.get(f"/api/v1/referrals/{item['id']}", headers=headers)).json()
        for item in listed.json()["items"]
    ]
    return [(view["target"], view["protected_identity"]) for view in views]


@pytest.mark.parametrize("record", list(LATER_PROTECTION))
async def test_the_referrals_of_a_case_protected_by_a_later_placement_record_read_protected(
    referrals, record: str
) -> None:
    await referrals.feed(placement_started("0380-LP", "P-1", pin=PIN, placement_type="familjehem"))
    await create(referrals, case_id="0380-LP", target="safety_team", child=CHILD)
    assert await shown(referrals, "0380-LP") == [("network_centre", False), ("safety_team", False)]
    await referrals.feed(LATER_PROTECTION[record]())
    assert await shown(referrals, "0380-LP") == [("network_centre", True), ("safety_team", True)]


async def test_a_referral_made_protected_later_stays_protected_when_a_later_record_says_nothing_of_it(
    referrals,
) -> None:
    await referrals.feed(placement_started("0380-LP", "P-1", pin=PIN, placement_type="familjehem"))
    await referrals.feed(changed("0380-LP", "P-1", protected_identity=True))
    await referrals.feed(changed("0380-LP", "P-1", placement_type="familjehem"))
    await referrals.feed(placement_ended("0380-LP", "P-1", pin=PIN))
    assert await shown(referrals, "0380-LP") == [("network_centre", True)]


async def test_a_placement_recorded_on_a_referral_after_its_case_was_protected_is_published_protected(
    referrals,
) -> None:
    await referrals.feed(placement_started("0380-LP", "P-1", pin=PIN, placement_type="familjehem"))
    await referrals.feed(changed("0380-LP", "P-1", placement_type="skyddat_boende"))
    await referrals.feed(placement_started("0380-LP", "P-2", pin=PIN, placement_type="jourhem"))
    assert [(e.placement_id, e.protected_identity) for e in published(referrals, CHILD_PLACED)] == [
        ("P-2", True)
    ]


async def test_a_new_automatic_referral_of_a_case_protected_by_an_earlier_record_is_published_protected(
    referrals,
) -> None:
    await referrals.feed(placement_started("0380-LP", "P-1", pin=PIN, placement_type="familjehem"))
    await referrals.feed(changed("0380-LP", "P-1", protected_identity=True))
    [first] = (
        await referrals.get("/api/v1/referrals", params={"case_id": "0380-LP"}, headers=COORDINATOR)
    ).json()["items"]
    await referrals.post(f"/api/v1/referrals/{first['id']}/revoke", headers=COORDINATOR)
    await referrals.feed(placement_started("0380-LP", "P-2", pin=PIN, placement_type="jourhem"))
    assert await shown(referrals, "0380-LP") == [("network_centre", True), ("network_centre", True)]
    assert [(e.placement_id, e.protected_identity) for e in published(referrals, RECEIVED)] == [
        ("P-1", False),
        ("P-2", True),
    ]


async def test_a_referral_made_by_a_start_in_the_batch_that_protects_the_case_reads_protected(
    referrals,
) -> None:
    await referrals.feed(
        placement_started("0380-LP", "P-1", pin=PIN, placement_type="familjehem"),
        changed("0380-LP", "P-1", protected_identity=True),
    )
    assert await shown(referrals, "0380-LP") == [("network_centre", True)]


async def test_the_referral_of_another_case_of_the_same_child_reads_protected_too(referrals) -> None:
    """Protection is decided for the person: a new referral of the child would be protected, so is
    the open one (ADR 0032, "the case's, and the child's")."""
    await create(referrals, case_id="0380-OTHER", target="safety_team", child=CHILD)
    await referrals.feed(changed("0380-LP", "P-1", protected_identity=True))
    assert await shown(referrals, "0380-OTHER") == [("safety_team", True)]


@pytest.mark.usefixtures("every_municipality_offers_every_target")
async def test_a_protection_said_in_one_municipality_leaves_another_municipalitys_referrals_as_they_were(
    tmp_path: Path,
) -> None:
    app = create_app(make_settings(tmp_path), start_runtime=False)
    store = app.state.runtime.app
    consumer, _ = in_process_consumer(store, placement_consumer(store), "placement-records")
    vasteras = bearer("1980", ("case_worker", "coordinator"))
    async with in_process(app, "http://referrals") as client:
        await create(client, headers=vasteras, case_id="0380-LP", target="safety_team", child=CHILD)
        value = encode(changed("0380-LP", "P-1", protected_identity=True))
        await consumer.handle([value], FakeMessage((FakeRecord(value, offset=1),)))  # type: ignore[arg-type]
        assert await shown(client, "0380-LP", headers=vasteras) == [("safety_team", False)]


async def test_a_case_protected_later_publishes_no_new_kind_of_event(referrals) -> None:
    """The protection is the referral's own to show; no public contract says it on its own (the
    others read the placement records themselves: ADR 0032)."""
    await referrals.feed(placement_started("0380-LP", "P-1", pin=PIN, placement_type="familjehem"))
    runtime = referrals.app.state.runtime  # type: ignore[attr-defined]
    before = runtime.app.max_notification_id()
    await referrals.feed(changed("0380-LP", "P-1", protected_identity=True))
    later = runtime.app.recorder.select_notifications(before + 1, 100)
    assert [
        o for n in later for o in runtime.publication.translate(runtime.app.mapper.to_domain_event(n))
    ] == []


async def test_a_referral_made_after_a_record_protected_the_child_reads_protected_when_only_another_referral_links_them(
    referrals,
) -> None:
    """The child's referral in another case was marked when the record said it; a later referral of
    that case naming another number reads protected, as it would had it been made first."""
    await create(referrals, case_id="0380-OTHER", target="safety_team", child=CHILD)
    await referrals.feed(changed("0380-LP", "P-1", protected_identity=True))
    another_number = {"pin": valid_pin(52), "protected_identity": False}
    await create(referrals, case_id="0380-OTHER", target="network_centre", child=another_number)
    assert await shown(referrals, "0380-OTHER") == [("safety_team", True), ("network_centre", True)]
