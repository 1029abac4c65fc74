"""A place an accepted offer holds while the child waits in an emergency home (jourhem) comes free
once the case's placement is no longer such a wait (ADR 0022, addendum "a wait in an emergency home
keeps it"), through the kit's real tracking consumer and HTTP with a JWT: a start or change that
is not a jourhem, whatever its home (the same one, one outside the pool), releases it; an end that
says the child's care is over (home, aged out) releases it; an end a new placement follows leaves
it to that placement, which may take it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.component.test_collaboration_case_protection_http import changed, collaboration
from tests.component.test_collaboration_holds_for_their_case import (
    CASE,
    emergency_home,
    matched_for,
    occupied,
    started,
)
from tests.component.test_collaboration_http import UPPSALA, VASTERAS, as_, register
from tests.component.test_collaboration_partner_homes import free_places
from tests.support.events import placement_ended

__all__ = ["collaboration"]  # the fixture that feeds its placements consumer


async def waiting_in_an_emergency_home(client: Any, home_ref: Any = "UPP-JH-1") -> str:
    """Uppsala's emergency home; a Västerås home of one place matched for CASE; the child waits
    in the emergency home (``home_ref``; None: one outside the pool).  The held home's pool id."""
    await emergency_home(client, UPPSALA, "UPP-JH-1", [])
    held_home = await register(client, VASTERAS, "VAS-FH-1", [UPPSALA], capacity=1)
    await matched_for(client, held_home)
    await client.feed(started(CASE, "P-1", home_ref, "jourhem"))
    assert await free_places(client, held_home) == 0  # kept while the child waits
    return held_home


def lasting(home_ref: str | None) -> dict[str, Any]:
    return changed(CASE, "P-1", municipality=UPPSALA, placement_type="familjehem", family_home_id=home_ref)


async def test_an_emergency_placement_that_becomes_lasting_in_its_own_home_frees_the_place_held_elsewhere(
    collaboration,
) -> None:
    held_home = await waiting_in_an_emergency_home(collaboration)
    await collaboration.feed(lasting("UPP-JH-1"))  # the emergency home keeps the child for good
    assert await free_places(collaboration, held_home) == 1


async def test_a_child_moved_from_an_emergency_home_to_a_home_outside_the_pool_frees_the_place_held_for_it(
    collaboration,
) -> None:
    held_home = await waiting_in_an_emergency_home(collaboration)
    await collaboration.feed(lasting(None))
    assert await free_places(collaboration, held_home) == 1


async def test_a_lasting_change_of_a_placement_never_in_the_pool_keeps_the_place_held_for_the_case(
    collaboration,
) -> None:
    """Nothing tells whether the child waits there (an HVB while the matched home gets ready): a
    place freed wrongly loses the child its match, one kept wrongly lapses.  (A jourhem outside the
    pool is a wait, and its end frees the place: ``test_collaboration_waits_before_the_match.py``.)"""
    held_home = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA], capacity=1)
    await matched_for(collaboration, held_home)
    await collaboration.feed(started(CASE, "P-1", None, "hvb"))
    await collaboration.feed(lasting("NOT-IN-THE-POOL"))
    assert await free_places(collaboration, held_home) == 0


async def test_a_change_that_keeps_the_child_waiting_in_its_emergency_home_keeps_the_held_place(
    collaboration,
) -> None:
    held_home = await waiting_in_an_emergency_home(collaboration)
    still_waiting = changed(
        CASE,
        "P-1",
        municipality=UPPSALA,
        placement_type="jourhem",
        family_home_id="UPP-JH-1",
        school_change=True,
    )
    await collaboration.feed(still_waiting)
    assert await free_places(collaboration, held_home) == 0


@pytest.mark.parametrize("end_reason", ["home_return", "age_out"])
async def test_an_emergency_placement_ended_with_the_childs_care_over_frees_the_place_held_for_it(
    collaboration, end_reason: str
) -> None:
    held_home = await waiting_in_an_emergency_home(collaboration)
    ended = placement_ended(CASE, "P-1", end_reason, family_home_id="UPP-JH-1")
    await collaboration.feed(ended)
    assert await free_places(collaboration, held_home) == 1


@pytest.mark.parametrize("end_reason", ["re_placement", "breakdown", "other"])
async def test_an_emergency_placement_ended_for_the_next_placement_leaves_the_held_place_for_it(
    collaboration, end_reason: str
) -> None:
    held_home = await waiting_in_an_emergency_home(collaboration)
    unshared = await collaboration.put(  # only the hold lets the case in now
        f"/api/v1/family-homes/{held_home}/sharing", headers=as_(VASTERAS), json={"shared_with": []}
    )
    assert unshared.status_code == 200, unshared.text
    await collaboration.feed(placement_ended(CASE, "P-1", end_reason, family_home_id="UPP-JH-1"))
    assert await free_places(collaboration, held_home) == 0
    await collaboration.feed(started(CASE, "P-2", held_home, "familjehem"))  # the matched home, at last
    assert await occupied(collaboration, VASTERAS, held_home) == 1
