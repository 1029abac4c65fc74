"""A child's protection said by a placement record after the start (ADR 0032): a later record of
the case that says the child has a protected identity, or is in protected housing, concludes the
placement's open network-placement inquiry (asking the network would tell it where the child is),
is kept when a later record says nothing of it, and keeps any new inquiry of the case shut.
Through the kit's real tracking consumer, read over HTTP with a JWT."""

from __future__ import annotations

from typing import Any

import pytest

from contracts.topics import PLACEMENTS
from services.network_support.inbound import consumers
from tests.component.test_network_support_placement_records_http import (
    changed,
    network_support,
    placement,
    worklist,
)
from tests.support.events import cloud_event, encode, placement_data, placement_ended, placement_started
from tests.support.fetched import FakeMessage, FakeRecord, in_process_consumer
from tests.support.worklists import published

__all__ = ["network_support"]  # the fixture, shared with the placement-record tests
INQUIRY_CHANGED = "se.natverk.network_placement_inquiry.changed.v1"
LATER_PROTECTION = {
    "a change saying the child has a protected identity": (
        lambda: changed("C-1", "P-1", placement_type="familjehem", protected_identity=True),
        (True, False),
    ),
    "a change to protected housing": (
        lambda: changed("C-1", "P-1", placement_type="skyddat_boende"),
        (False, True),
    ),
    "the start sent again saying the child has a protected identity": (
        lambda: placement_started("C-1", "P-1", placement_type="familjehem", protected_identity=True),
        (True, False),
    ),
}


async def inquiries(client: Any) -> list[tuple[str, str | None]]:
    return [(e.change, e.outcome) for e in published(client, INQUIRY_CHANGED)]


@pytest.mark.parametrize("record", list(LATER_PROTECTION))
async def test_a_child_protected_after_the_start_has_the_open_inquiry_concluded_and_shows_protected(
    network_support, record: str
) -> None:
    later, (identity, housing) = LATER_PROTECTION[record]
    await network_support.feed(placement_started("C-1", "P-1", placement_type="familjehem"))
    await network_support.feed(later())
    shown = await placement(network_support, "P-1")
    assert shown["inquiry"] == {"outcome": "child_protected", "candidates": []}
    assert (shown["protected_identity"], shown["protected_housing"]) == (identity, housing)
    assert await inquiries(network_support) == [("opened", None), ("concluded", "child_protected")]
    assert ("C-1", "network_placement_inquiry") not in await worklist(network_support)


async def test_a_protection_once_said_is_kept_when_a_later_record_does_not_say_it(network_support) -> None:
    await network_support.feed(placement_started("C-1", "P-1", placement_type="familjehem"))
    await network_support.feed(changed("C-1", "P-1", placement_type="familjehem", protected_identity=True))
    await network_support.feed(changed("C-1", "P-1", placement_type="familjehem", protected_identity=False))
    await network_support.feed(placement_started("C-1", "P-1", placement_type="familjehem"))
    shown = await placement(network_support, "P-1")
    assert (shown["protected_identity"], shown["inquiry"]["outcome"]) == (True, "child_protected")


async def test_a_new_placement_of_a_case_whose_child_was_protected_opens_no_inquiry(network_support) -> None:
    """The case system left the box unticked on the next placement: the case's protection stands."""
    await network_support.feed(placement_started("C-1", "P-1", placement_type="familjehem"))
    await network_support.feed(changed("C-1", "P-1", placement_type="skyddat_boende"))
    await network_support.feed(placement_ended("C-1", "P-1", end_reason="re_placement"))
    await network_support.feed(placement_started("C-1", "P-2", placement_type="familjehem"))
    shown = await placement(network_support, "P-2")
    assert (shown["inquiry"], shown["protected_housing"]) == (None, True)
    assert await inquiries(network_support) == [("opened", None), ("concluded", "child_protected")]


async def test_a_protected_child_in_another_municipality_is_not_protected_here(network_support) -> None:
    """Never across municipalities: the same case id in 1980 is another case."""
    await network_support.feed(
        placement_started(
            "C-1", "P-9", municipality="1980", placement_type="familjehem", protected_identity=True
        )
    )
    await network_support.feed(placement_started("C-1", "P-1", placement_type="familjehem"))
    assert (await placement(network_support, "P-1"))["inquiry"] == {"outcome": None, "candidates": []}


async def test_an_end_saying_the_child_is_protected_shows_the_ended_placement_protected(
    network_support,
) -> None:
    await network_support.feed(placement_started("C-1", "P-1", placement_type="familjehem"))
    ended = placement_data(
        "C-1", "P-1", protected_identity=True, end_date="2026-12-20", end_reason="breakdown"
    )
    await network_support.feed(cloud_event("se.placement.ended.v1", ended))
    shown = await placement(network_support, "P-1")
    assert (shown["protected_identity"], shown["inquiry"]["outcome"]) == (True, "placement_ended")


PROTECTED_INQUIRY = {"outcome": "child_protected", "candidates": []}
SAID_OF_ANOTHER_PLACEMENT = {name: record for name, (record, _) in LATER_PROTECTION.items()} | {
    "an end saying the child has a protected identity": lambda: placement_ended(
        "C-1", "P-1", end_reason="breakdown", placement_type="familjehem", protected_identity=True
    ),
}


@pytest.mark.parametrize("record", list(SAID_OF_ANOTHER_PLACEMENT))
async def test_a_record_saying_the_child_is_protected_concludes_the_open_inquiry_of_the_cases_other_placement(
    network_support, record: str
) -> None:
    """The protection is the case's: a record of placement P-1 shuts P-2's inquiry too."""
    await network_support.feed(placement_started("C-1", "P-1", placement_type="familjehem"))
    await network_support.feed(placement_started("C-1", "P-2", placement_type="familjehem"))
    await network_support.feed(SAID_OF_ANOTHER_PLACEMENT[record]())
    assert (await placement(network_support, "P-2"))["inquiry"] == PROTECTED_INQUIRY
    assert ("C-1", "network_placement_inquiry") not in await worklist(network_support)


async def test_a_record_saying_the_child_is_protected_concludes_an_inquiry_opened_earlier_in_its_batch(
    network_support,
) -> None:
    """One fetched batch is one transaction: the inquiry its first record opened is not stored yet
    when its second says the case's child is protected."""
    [spec] = [spec for spec in consumers(network_support.store) if spec.topic == PLACEMENTS]
    consumer, _ = in_process_consumer(network_support.store, spec, "placement-batch")
    batch = [
        encode(placement_started("C-1", "P-1", placement_type="familjehem")),
        encode(changed("C-1", "P-2", placement_type="familjehem", protected_identity=True)),
    ]
    records = tuple(FakeRecord(value, offset=n) for n, value in enumerate(batch))
    await consumer.handle(batch, FakeMessage(records))  # type: ignore[arg-type]
    assert (await placement(network_support, "P-1"))["inquiry"] == PROTECTED_INQUIRY
    assert await inquiries(network_support) == [("opened", None), ("concluded", "child_protected")]
