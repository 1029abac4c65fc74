"""A place an accepted offer holds is its case's (ADR 0022, addendum "a hold is its case's"),
through the kit's real tracking consumer and HTTP with a JWT: it lets no other case of the placer
into a home the placer may not otherwise place in, and it outlasts the case's wait in an emergency
home (jourhem), the usual step before the matched family home; a place held for an emergency
placement does not."""

from __future__ import annotations

from typing import Any

import httpx

from tests.component.test_collaboration_case_protection_http import changed, collaboration
from tests.component.test_collaboration_http import UPPSALA, VASTERAS, as_, register
from tests.component.test_collaboration_partner_homes import accept, ask, free_places, offer
from tests.support.events import placement_started

__all__ = ["collaboration"]  # the fixture that feeds its placements consumer

CASE = "0380-C-1"


def started(case_id: str, placement_id: str, home_ref: str, placement_type: str) -> dict[str, Any]:
    return placement_started(
        case_id, placement_id, municipality=UPPSALA, placement_type=placement_type, family_home_id=home_ref
    )


async def emergency_home(
    client: httpx.AsyncClient, municipality: str, register_id: str, shared: list[str]
) -> str:
    """A home whose specialisation is emergency care (jourhem)."""
    home_id = await register(client, municipality, register_id, shared, capacity=1)
    profile = {"capacity": 1, "age_min": 0, "age_max": 17, "specialisations": ["emergency"], "languages": []}
    changed_profile = await client.put(
        f"/api/v1/family-homes/{home_id}/profile", headers=as_(municipality), json=profile
    )
    assert changed_profile.status_code == 200, changed_profile.text
    return home_id


async def matched_for(client: httpx.AsyncClient, home_id: str, placement_type: str = "familjehem") -> str:
    """Uppsala asks Västerås for a home for CASE; Västerås offers ``home_id``; Uppsala accepts."""
    request_id = await ask(client, CASE, placement_type=placement_type)
    offered = await offer(client, request_id, home_id)
    assert offered.status_code == 201, offered.text
    assert (await accept(client, request_id, offered.json()["offer_id"])).status_code == 200
    return request_id


async def occupied(client: httpx.AsyncClient, municipality: str, home_id: str) -> int:
    home = await client.get(f"/api/v1/family-homes/{home_id}", headers=as_(municipality))
    return home.json()["occupied_places"]


async def test_a_place_held_for_one_case_lets_no_other_case_of_the_placer_into_a_home_not_shared_with_it(
    collaboration,
) -> None:
    held_home = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA], capacity=2)
    await matched_for(collaboration, held_home)
    unshared = await collaboration.put(
        f"/api/v1/family-homes/{held_home}/sharing", headers=as_(VASTERAS), json={"shared_with": []}
    )
    assert unshared.status_code == 200, unshared.text
    await collaboration.feed(started("0380-C-2", "P-2", held_home, "familjehem"))
    assert (
        await occupied(collaboration, VASTERAS, held_home),
        await free_places(collaboration, held_home),
    ) == (
        0,
        1,  # two places: one still held for the matched case, one free
    )
    await collaboration.feed(started(CASE, "P-1", held_home, "familjehem"))  # the case it is held for
    assert await occupied(collaboration, VASTERAS, held_home) == 1


async def test_another_case_placed_in_a_shared_held_home_leaves_the_hold_and_shows_the_home_full(
    collaboration,
) -> None:
    held_home = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA], capacity=1)
    request_id = await matched_for(collaboration, held_home)
    await collaboration.feed(started("0380-C-2", "P-2", held_home, "familjehem"))  # shared: it may
    seen_by_partner = await collaboration.get(f"/api/v1/family-homes/{held_home}", headers=as_(UPPSALA))
    assert (await occupied(collaboration, VASTERAS, held_home), seen_by_partner.json()["free_places"]) == (
        1,
        0,
    )
    own = await collaboration.get(
        f"/api/v1/matching-requests/{request_id}", headers=as_(UPPSALA, "case_worker")
    )
    assert own.json()["status"] == "matched"
    given_back = await collaboration.post(
        f"/api/v1/matching-requests/{request_id}/withdraw", headers=as_(UPPSALA, "case_worker")
    )
    assert given_back.status_code == 200, given_back.text  # the hold was still its case's to give back
    assert await free_places(collaboration, held_home) == 0  # the other case lives there


async def test_a_case_waiting_in_its_own_emergency_home_keeps_the_place_its_accepted_offer_holds(
    collaboration,
) -> None:
    own_emergency = await emergency_home(collaboration, UPPSALA, "UPP-JH-1", [])
    held_home = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA], capacity=1)
    await matched_for(collaboration, held_home)
    await collaboration.feed(started(CASE, "P-1", "UPP-JH-1", "jourhem"))  # while the home gets ready
    assert await free_places(collaboration, held_home) == 0
    again = await offer(collaboration, await ask(collaboration, "0380-C-2"), held_home)
    assert again.status_code == 409, again.text
    moved = changed(CASE, "P-1", municipality=UPPSALA, placement_type="familjehem", family_home_id=held_home)
    await collaboration.feed(moved)
    assert (
        await occupied(collaboration, UPPSALA, own_emergency),
        await occupied(collaboration, VASTERAS, held_home),
    ) == (0, 1)


async def test_a_case_placed_in_an_emergency_home_frees_a_place_held_for_an_emergency_placement(
    collaboration,
) -> None:
    await emergency_home(collaboration, UPPSALA, "UPP-JH-1", [])
    held_home = await emergency_home(collaboration, VASTERAS, "VAS-JH-1", [UPPSALA])
    await matched_for(collaboration, held_home, placement_type="jourhem")
    await collaboration.feed(started(CASE, "P-1", "UPP-JH-1", "jourhem"))  # found one nearer home
    assert await free_places(collaboration, held_home) == 1
