"""A protection a case worker said on a referral is the case's and the child's like one a placement
record said (ADR 0032): a referral made with the protected box ticked makes the earlier referrals of
its case, and of its child, read protected, and an automatic referral (or a placement recorded on
an open one) made after it is published protected, though the placement record said nothing of it.
Referrals made over HTTP with a JWT, placement records through the kit's real tracking consumer."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.topics import PLACEMENTS
from services.referrals.app import create_app
from services.referrals.inbound import placement_consumer
from tests.component.conftest import in_process
from tests.component.test_referrals_http import create
from tests.component.test_referrals_later_protection_http import shown
from tests.conftest import make_settings
from tests.support.events import encode, placement_started, valid_pin
from tests.support.fetched import FakeMessage, FakeRecord, in_process_consumer
from tests.support.tokens import bearer
from tests.support.worklists import published

PIN = valid_pin(71)
CHILD = {"pin": PIN, "protected_identity": False}
PROTECTED_CHILD = {**CHILD, "protected_identity": True}
RECEIVED = "se.natverk.referral.received.v1"
CHILD_PLACED = "se.natverk.referral.child_placed.v1"


@pytest.fixture
async def referrals(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The service, with ``feed`` handing its placements consumer one CloudEvent at a time."""
    app = create_app(make_settings(tmp_path), start_runtime=False)
    store = app.state.runtime.app
    consumer, _ = in_process_consumer(store, placement_consumer(store), "placement-records")
    offsets = itertools.count(1)

    async def feed(event: dict[str, Any]) -> None:
        value = encode(event)
        record = FakeRecord(value, offset=next(offsets), topic=PLACEMENTS)
        await consumer.handle([value], FakeMessage((record,)))  # type: ignore[arg-type]

    async with in_process(app, "http://referrals") as client:
        client.feed = feed  # type: ignore[attr-defined]
        yield client


async def made(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await create(client, **body)
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_referral_made_with_the_protected_box_ticked_makes_the_earlier_referrals_of_its_case_read_protected(
    referrals,
) -> None:
    await made(referrals, case_id="0380-RT-1", target="network_centre", child=CHILD)
    await made(referrals, case_id="0380-RT-1", target="safety_team", child=PROTECTED_CHILD)
    assert await shown(referrals, "0380-RT-1") == [("network_centre", True), ("safety_team", True)]


async def test_a_referral_made_with_the_protected_box_ticked_makes_the_earlier_referrals_of_its_child_read_protected(
    referrals,
) -> None:
    """Another case of the same child (by personal identity number), whatever its status."""
    earlier = await made(referrals, case_id="0380-RT-2", target="safety_team", child=CHILD)
    await referrals.post(
        f"/api/v1/referrals/{earlier['id']}/revoke", headers=bearer("0380", ("case_worker",))
    )
    await made(referrals, case_id="0380-RT-3", target="safety_team", child=PROTECTED_CHILD)
    assert await shown(referrals, "0380-RT-2") == [("safety_team", True)]


async def test_a_referral_made_with_the_protected_box_ticked_publishes_nothing_of_the_referrals_it_protects(
    referrals,
) -> None:
    """The earlier referrals read protected; no public contract says it on its own (ADR 0032)."""
    await made(referrals, case_id="0380-RT-4", target="network_centre", child=CHILD)
    runtime = referrals.app.state.runtime  # type: ignore[attr-defined]
    before = runtime.app.max_notification_id()
    await made(referrals, case_id="0380-RT-4", target="safety_team", child=PROTECTED_CHILD)
    later = runtime.app.recorder.select_notifications(before + 1, 100)
    told = [o for n in later for o in runtime.publication.translate(runtime.app.mapper.to_domain_event(n))]
    about_referrals = [o for o in told if o.event_type != "se.natverk.case.accessed.v1"]
    assert [(o.event_type, o.data.target) for o in about_referrals] == [(RECEIVED, "safety_team")]


@pytest.mark.usefixtures("every_municipality_offers_every_target")
async def test_a_referral_ticked_protected_in_one_municipality_leaves_another_municipalitys_referrals_as_they_were(
    referrals,
) -> None:
    vasteras = bearer("1980", ("case_worker", "coordinator"))
    await made(referrals, headers=vasteras, case_id="0380-RT-5", target="safety_team", child=CHILD)
    await made(referrals, case_id="0380-RT-5", target="safety_team", child=PROTECTED_CHILD)
    assert await shown(referrals, "0380-RT-5", headers=vasteras) == [("safety_team", False)]


async def test_an_automatic_referral_of_a_case_a_ticked_referral_said_protected_is_published_protected(
    referrals,
) -> None:
    await made(referrals, case_id="0380-RT-6", target="safety_team", child=PROTECTED_CHILD)
    await referrals.feed(placement_started("0380-RT-6", "P-RT-6", pin=valid_pin(72)))
    assert [(e.placement_id, e.protected_identity) for e in published(referrals, RECEIVED)] == [
        (None, True),
        ("P-RT-6", True),
    ]


async def test_an_automatic_referral_of_a_child_a_ticked_referral_of_another_case_said_protected_is_published_protected(
    referrals,
) -> None:
    await made(referrals, case_id="0380-RT-7", target="safety_team", child=PROTECTED_CHILD)
    await referrals.feed(placement_started("0380-RT-8", "P-RT-8", pin=PIN))
    assert await shown(referrals, "0380-RT-8") == [("network_centre", True)]
    assert [(e.placement_id, e.protected_identity) for e in published(referrals, RECEIVED)] == [
        (None, True),
        ("P-RT-8", True),
    ]


async def test_a_placement_recorded_on_an_open_referral_after_a_ticked_referral_of_its_case_is_published_protected(
    referrals,
) -> None:
    await made(referrals, case_id="0380-RT-9", target="network_centre", child=CHILD)
    await made(referrals, case_id="0380-RT-9", target="safety_team", child=PROTECTED_CHILD)
    await referrals.feed(placement_started("0380-RT-9", "P-RT-9", pin=PIN))
    assert [(e.placement_id, e.protected_identity) for e in published(referrals, CHILD_PLACED)] == [
        ("P-RT-9", True)
    ]


async def test_a_referral_made_with_the_protected_box_ticked_reaches_every_referral_linked_to_it_by_a_case_or_a_child(
    referrals,
) -> None:
    """The earlier referral of the case names another number: that number's other case reads
    protected too, as it would had the box been ticked first (the order things were said in does
    not matter)."""
    other_number = {"pin": valid_pin(73), "protected_identity": False}
    await made(referrals, case_id="0380-RT-10", target="safety_team", child=other_number)
    await made(referrals, case_id="0380-RT-11", target="safety_team", child=other_number)
    await made(referrals, case_id="0380-RT-11", target="network_centre", child=PROTECTED_CHILD)
    assert await shown(referrals, "0380-RT-10") == [("safety_team", True)]


async def test_an_automatic_referral_protected_by_what_a_referral_said_makes_the_earlier_referrals_of_its_case_read_protected(
    referrals,
) -> None:
    await made(referrals, case_id="0380-RT-12", target="safety_team", child={**CHILD, "pin": valid_pin(74)})
    await made(referrals, case_id="0380-RT-13", target="safety_team", child=PROTECTED_CHILD)
    await referrals.feed(placement_started("0380-RT-12", "P-RT-12", pin=PIN))
    assert await shown(referrals, "0380-RT-12") == [("safety_team", True), ("network_centre", True)]


async def test_a_referral_made_after_a_ticked_one_reads_protected_when_only_another_referral_links_them(
    referrals,
) -> None:
    """The earlier referral of the ticked one's child, in another case, was marked when the box was
    ticked; a later referral of that case, naming another number, reads it: the same outcome as
    when the box is ticked last (above), since a new referral asks the referrals it shares a key
    with, which every protection said has marked as far as it follows."""
    await made(referrals, case_id="0380-RT-14", target="safety_team", child=CHILD)
    await made(referrals, case_id="0380-RT-15", target="safety_team", child=PROTECTED_CHILD)
    await made(
        referrals, case_id="0380-RT-14", target="network_centre", child={**CHILD, "pin": valid_pin(75)}
    )
    assert await shown(referrals, "0380-RT-14") == [("safety_team", True), ("network_centre", True)]
