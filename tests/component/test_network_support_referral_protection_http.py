"""A child's protection said on a referral (ADR 0032): a case worker ticks "protected identity" on a
referral before, or without, the case system marking the placement.  network_support keeps it as
the case's, as it keeps what a placement record says: no network-placement inquiry opens for the
case (asking the network would tell it where the child is), an open one concludes as
``child_protected``, the placement shows the child protected; one way, and in the same
municipality only.  Referral records as the referrals relay writes them, placement records as a
case system sends them, each through the kit's real tracking consumer; read over HTTP with a JWT."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest

from contracts.topics import REFERRALS
from services.network_support.domain.network_placement_inquiry import NetworkPlacementInquiry
from services.network_support.domain.placement_follow_up import PlacementFollowUp
from services.network_support.inbound import consumers
from tests.component.test_network_support_later_protection_http import inquiries
from tests.component.test_network_support_placement_records_http import network_support, placement, worklist
from tests.support.events import cloud_event, encode, placement_started
from tests.support.fetched import FakeMessage, FakeRecord, fed_by_hand, in_process_consumer
from tests.support.referral_records import child_placed

__all__ = ["network_support"]  # the fixture, shared with the placement-record tests
OPEN_INQUIRY = {"outcome": None, "candidates": []}
PROTECTED_INQUIRY = {"outcome": "child_protected", "candidates": []}


def manual_referral(
    referral_id: str, sequence: int, protected_identity: bool = True, municipality: str = "0380"
) -> bytes:
    """A case worker's referral of case C-1, its "protected identity" box as ticked, as relayed."""
    data = {"referral_id": referral_id, "case_id": "C-1", "municipality": municipality}
    data |= {"target": "network_centre", "child_status": "placement_near", "origin": "manual"}
    data |= {"protected_identity": protected_identity, "case_worker_id": "cw-1"}
    event_id = f"{referral_id}.1"
    relayed = {"source": "/natverk/referrals", "sequence": str(sequence), "actor": "cw-1"}
    return encode(cloud_event("se.natverk.referral.received.v1", data, event_id, **relayed))


@pytest.fixture
def referral(network_support) -> Callable[[bytes], Awaitable[None]]:
    """Hands network_support's referrals consumer one relayed record at a time."""
    [spec] = [spec for spec in consumers(network_support.store) if spec.topic == REFERRALS]
    consumer, _ = in_process_consumer(network_support.store, spec, "referral-news")
    network_support.referrals = consumer
    return fed_by_hand(consumer, REFERRALS)


async def test_a_referral_saying_the_child_is_protected_keeps_the_later_placements_inquiry_shut(
    network_support, referral
) -> None:
    await referral(manual_referral("R-1", 1))
    await network_support.feed(placement_started("C-1", "P-1", placement_type="familjehem"))
    shown = await placement(network_support, "P-1")
    assert (shown["inquiry"], shown["protected_identity"]) == (None, True)
    assert await inquiries(network_support) == []
    assert ("C-1", "network_placement_inquiry") not in await worklist(network_support)


@pytest.mark.parametrize("said_by", ["received", "child_placed"])
async def test_a_referral_saying_the_child_is_protected_concludes_the_open_inquiry_as_child_protected(
    network_support, referral, said_by: str
) -> None:
    await network_support.feed(placement_started("C-1", "P-1", placement_type="familjehem"))
    record = manual_referral("R-1", 1)
    if said_by == "child_placed":
        await referral(manual_referral("R-1", 1, protected_identity=False))
        record = child_placed("C-1", "R-1", 2, "P-1", protected_identity=True)
    await referral(record)
    shown = await placement(network_support, "P-1")
    assert (shown["inquiry"], shown["protected_identity"]) == (PROTECTED_INQUIRY, True)
    assert await inquiries(network_support) == [("opened", None), ("concluded", "child_protected")]
    assert ("C-1", "network_placement_inquiry") not in await worklist(network_support)


async def test_a_referral_that_does_not_say_the_child_is_protected_leaves_the_inquiry_open(
    network_support, referral
) -> None:
    await network_support.feed(placement_started("C-1", "P-1", placement_type="familjehem"))
    await referral(manual_referral("R-1", 1, protected_identity=False))
    await referral(child_placed("C-1", "R-1", 2, "P-1", protected_identity=False))
    shown = await placement(network_support, "P-1")
    assert (shown["inquiry"], shown["protected_identity"]) == (OPEN_INQUIRY, False)


async def test_a_later_referral_that_does_not_say_the_child_is_protected_undoes_nothing(
    network_support, referral
) -> None:
    await referral(manual_referral("R-1", 1))
    await referral(manual_referral("R-2", 2, protected_identity=False))
    await referral(child_placed("C-1", "R-2", 3, "P-1"))  # relayed before the field was added
    await network_support.feed(placement_started("C-1", "P-1", placement_type="familjehem"))
    shown = await placement(network_support, "P-1")
    assert (shown["inquiry"], shown["protected_identity"]) == (None, True)


async def test_a_protected_referral_in_another_municipality_does_not_protect_the_case_here(
    network_support, referral
) -> None:
    """Never across municipalities: the same case id in 1980 is another case."""
    await referral(manual_referral("R-9", 1, municipality="1980"))
    await network_support.feed(placement_started("C-1", "P-1", placement_type="familjehem"))
    shown = await placement(network_support, "P-1")
    assert (shown["inquiry"], shown["protected_identity"]) == (OPEN_INQUIRY, False)


async def test_two_referral_records_saying_the_child_is_protected_in_one_batch_conclude_the_inquiry_once(
    network_support, referral
) -> None:
    await network_support.feed(placement_started("C-1", "P-1", placement_type="familjehem"))
    both = [manual_referral("R-1", 1), child_placed("C-1", "R-1", 2, "P-1", protected_identity=True)]
    await handed_together(network_support.referrals, both)
    await referral(manual_referral("R-2", 3))  # and a later one, in a batch of its own
    assert await inquiries(network_support) == [("opened", None), ("concluded", "child_protected")]
    assert (await placement(network_support, "P-1"))["protected_identity"] is True


async def handed_together(consumer: Any, values: list[bytes]) -> None:
    """One fetched batch of the referrals topic: its records share one transaction."""
    records = tuple(FakeRecord(value, offset=100 + n, topic=REFERRALS) for n, value in enumerate(values))
    await consumer.handle(list(values), FakeMessage(records))


async def test_a_referral_saying_the_child_is_protected_concludes_inquiries_stored_before_cases_had_a_gate(
    network_support, referral
) -> None:
    """A store older than the case's ``InquiryGate`` holds an open inquiry and no gate: the referral
    still finds and concludes it, and one a later placement opened (making the gate) too."""
    case = {"municipality": "0380", "case_id": "C-1", "placement_id": "P-1"}
    older = PlacementFollowUp(
        **case, placement_type="familjehem", started_on=date(2026, 11, 20), school_change=False
    )
    network_support.store.save(older, NetworkPlacementInquiry(**case))
    await network_support.feed(placement_started("C-1", "P-2", placement_type="familjehem"))
    await referral(manual_referral("R-1", 1))
    for placement_id in ("P-1", "P-2"):
        assert (await placement(network_support, placement_id))["inquiry"] == PROTECTED_INQUIRY
    assert ("C-1", "network_placement_inquiry") not in await worklist(network_support)
