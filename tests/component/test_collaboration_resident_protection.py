"""A child who becomes protected while living in a home of the pool (ADR 0022, ADR 0032), through the
kit's real tracking consumer and HTTP with a JWT: the record that says so finds the child where it
already lives, and from then on partners neither see the home nor hear anything of it (not even the
child moving out), and it is not offered to them; nothing about the protection itself is published."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.component.test_collaboration_case_protection_http import changed, collaboration, partner_envelopes
from tests.component.test_collaboration_http import GAVLE, UPPSALA, VASTERAS, as_, new_request, register
from tests.support.events import placement_ended, placement_started
from tests.support.tokens import bearer

__all__ = ["collaboration"]  # the fixture that feeds its placements consumer

CASE = "0380-C-1"
HOME = "UPP-FH-1"  # Uppsala's own register id, as its case system names the home


def in_home(**data: Any) -> dict[str, Any]:
    return {"municipality": UPPSALA, "placement_type": "familjehem", "family_home_id": HOME, **data}


# Records of the same placement in the same home that say, after it moved in, that the child is protected.
PROTECTING = {
    "a change saying the child has a protected identity": lambda: changed(
        CASE, "P-1", **in_home(protected_identity=True)
    ),
    "its start sent again saying so": lambda: placement_started(
        CASE, "P-1", **in_home(protected_identity=True)
    ),
    "a change to protected housing": lambda: changed(CASE, "P-1", **in_home(placement_type="skyddat_boende")),
}


async def shared_home(client: httpx.AsyncClient) -> str:
    return await register(client, UPPSALA, HOME, [VASTERAS, GAVLE], capacity=3)


async def partners_see(client: httpx.AsyncClient, home_id: str) -> list[bool]:
    """For each partner: whether it may read the home, and whether its list holds it."""
    seen = []
    for partner in (VASTERAS, GAVLE):
        read = await client.get(f"/api/v1/family-homes/{home_id}", headers=as_(partner))
        listed = await client.get("/api/v1/family-homes", headers=as_(partner))
        seen += [read.status_code == 200, home_id in listed.text]
    return seen


@pytest.mark.parametrize("record", list(PROTECTING))
async def test_a_child_who_becomes_protected_where_it_lives_hides_the_home_from_partners_at_once(
    collaboration, record: str
) -> None:
    home_id = await shared_home(collaboration)
    await collaboration.feed(placement_started(CASE, "P-1", **in_home()))
    assert await partners_see(collaboration, home_id) == [True] * 4
    await collaboration.feed(PROTECTING[record]())
    assert await partners_see(collaboration, home_id) == [False] * 4
    own = await collaboration.get(f"/api/v1/family-homes/{home_id}", headers=as_(UPPSALA))
    assert (own.status_code, own.json()["occupied_places"]) == (200, 1)


async def test_partners_hear_nothing_of_the_home_once_its_resident_is_protected_nor_of_the_move_out(
    collaboration,
) -> None:
    home_id = await shared_home(collaboration)
    await collaboration.feed(placement_started(CASE, "P-1", **in_home()))
    before = len(partner_envelopes(collaboration))
    await collaboration.feed(PROTECTING["a change saying the child has a protected identity"]())
    profile = {"capacity": 4, "age_min": 0, "age_max": 17, "specialisations": [], "languages": ["sv"]}
    changed_profile = await collaboration.put(
        f"/api/v1/family-homes/{home_id}/profile", headers=as_(UPPSALA), json=profile
    )
    assert changed_profile.status_code == 200, changed_profile.text
    await collaboration.feed(placement_ended(CASE, "P-1", **in_home()))
    assert partner_envelopes(collaboration)[before:] == []
    told = json.dumps(partner_envelopes(collaboration)).lower()
    assert home_id in told and "protect" not in told and "skydd" not in told


async def test_a_partner_home_whose_resident_became_protected_is_not_offered_to_partners(
    collaboration,
) -> None:
    """Västerås's home, shared with Uppsala and Gävle, houses Uppsala's child; Gävle then asks."""
    home_id = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA, GAVLE], capacity=3)
    where = {"municipality": UPPSALA, "placement_type": "familjehem", "family_home_id": home_id}
    await collaboration.feed(placement_started(CASE, "P-1", **where))
    await collaboration.feed(changed(CASE, "P-1", **where, protected_identity=True))
    asked = await collaboration.post(
        "/api/v1/matching-requests",
        headers=bearer(GAVLE, ("case_worker",)),
        json=new_request([VASTERAS], "2180-C-1"),
    )
    assert asked.status_code == 201, asked.text
    offered = await collaboration.post(
        f"/api/v1/matching-requests/{asked.json()['request_id']}/offers",
        headers=as_(VASTERAS),
        json={"home_id": home_id},
    )
    assert offered.status_code == 409, offered.text
    seen = await collaboration.get(f"/api/v1/family-homes/{home_id}", headers=as_(GAVLE))
    assert seen.status_code == 404


async def test_a_placement_of_a_case_known_protected_hides_its_home_whatever_its_own_record_says(
    collaboration,
) -> None:
    """One way, and the case's (ADR 0032): the box left unticked on a later record hides nothing less."""
    home_id = await shared_home(collaboration)
    await collaboration.feed(placement_started(CASE, "P-0", protected_identity=True))  # not in the pool
    await collaboration.feed(placement_started(CASE, "P-1", **in_home(protected_identity=False)))
    assert await partners_see(collaboration, home_id) == [False] * 4


async def test_a_child_its_placement_s_end_says_is_protected_moves_out_unheard_by_partners(
    collaboration,
) -> None:
    await shared_home(collaboration)
    await collaboration.feed(placement_started(CASE, "P-1", **in_home()))
    before = len(partner_envelopes(collaboration))
    await collaboration.feed(placement_ended(CASE, "P-1", **in_home(protected_identity=True)))
    assert partner_envelopes(collaboration)[before:] == []
