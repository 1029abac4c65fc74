"""A child's protection said by a placement record after the start (ADR 0032): a later record of
the case that says the child has a protected identity, or is in protected housing, concludes the
placement's open network-placement inquiry (asking the network would tell it where the child is),
is kept when a later record says nothing of it, and keeps any new inquiry of the case shut.
Through the kit's real tracking consumer, read over HTTP with a JWT."""

from __future__ import annotations

from typing import Any

import pytest

from tests.component.test_network_support_placement_records_http import (
    changed,
    network_support,
    placement,
    worklist,
)
from tests.support.events import cloud_event, placement_data, placement_ended, placement_started
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
