"""A partner reads a shared home exactly as its topic last told it (ADR 0009, addendum "partners read
what they were told"), through the kit's real tracking consumer and HTTP with partner JWTs.

Before, a protected-identity child moving into a shared home turned the partners' reads of it from
200 to 404 and took it off their lists, and its move-out brought it back: a partner polling the
reads learnt that, and when, a protected child came to live at that family home, though its topic
stayed silent.  Now the home stays visible, byte for byte as it was, and the protected child's
place is left out of what partners are told and read, consistently, whatever else happens."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.component.test_collaboration_case_protection_http import changed, collaboration, partner_envelopes
from tests.component.test_collaboration_holds_for_their_case import CASE, matched_for
from tests.component.test_collaboration_http import GAVLE, UPPSALA, VASTERAS, as_, register
from tests.component.test_collaboration_partner_homes import accept, ask, offer
from tests.support.events import placement_ended, placement_started

__all__ = ["collaboration"]  # the fixture that feeds its placements consumer

HOME = "UPP-FH-1"  # Uppsala's own register id, as its case system names the home
OTHER_CASE = "0380-C-2"  # a child without a protected identity
PARTNERS = (VASTERAS, GAVLE)  # of Uppsala's home
THEIRS = (UPPSALA, GAVLE)  # of Västerås's home


def in_home(**data: Any) -> dict[str, Any]:
    return {"municipality": UPPSALA, "placement_type": "familjehem", "family_home_id": HOME, **data}


# Records that move a protected-identity child into Uppsala's shared home (the last one does it).
MOVING_IN = {
    "its start saying so": lambda: [placement_started(CASE, "P-1", **in_home(protected_identity=True))],
    "its start, after an earlier record of the case said so": lambda: [
        placement_started(CASE, "P-0", protected_identity=True),  # outside the pool
        placement_started(CASE, "P-1", **in_home(protected_identity=False)),
    ],
    "a change moving it in from a home outside the pool": lambda: [
        placement_started(CASE, "P-1", protected_identity=True),
        changed(CASE, "P-1", **in_home(protected_identity=True)),
    ],
}


async def partner_reads(
    client: httpx.AsyncClient, home_id: str, partners: tuple[str, ...] = PARTNERS
) -> list[tuple[int, bytes]]:
    """Every partner's read of the home and of its list, as the bytes it receives."""
    reads = []
    for partner in partners:
        for path in (f"/api/v1/family-homes/{home_id}", "/api/v1/family-homes"):
            response = await client.get(path, headers=as_(partner))
            reads.append((response.status_code, response.content))
    return reads


def last_told(client: httpx.AsyncClient, partner: str, home_id: str) -> dict[str, Any]:
    """The data of the last message about the home on the partner's topic."""
    told = [
        envelope["data"]
        for topic, envelope in partner_envelopes(client)
        if topic == f"partner.{partner}.v1" and envelope["subject"] == home_id
    ]
    return told[-1]


async def read_as_told(
    client: httpx.AsyncClient, home_id: str, partners: tuple[str, ...] = PARTNERS
) -> dict[str, Any]:
    """What every partner reads of the home (item and list), checked against its topic's last message
    (all but ``change``: a read answers ``shared``); the one read they share."""
    reads = []
    for partner in partners:
        item = await client.get(f"/api/v1/family-homes/{home_id}", headers=as_(partner))
        listed = await client.get("/api/v1/family-homes", headers=as_(partner))
        assert item.status_code == listed.status_code == 200, item.text
        [in_list] = [home for home in listed.json()["items"] if home["home_id"] == home_id]
        told = {**last_told(client, partner, home_id), "change": "shared"}
        assert item.json() == in_list == told, partner
        reads.append(told)
    assert reads[0] == reads[1]
    return reads[0]


async def shared_home(client: httpx.AsyncClient, capacity: int = 3) -> str:
    return await register(client, UPPSALA, HOME, list(PARTNERS), capacity=capacity)


async def own_view(client: httpx.AsyncClient, home_id: str) -> tuple[int, int, bool]:
    """(occupied places, free places, offerable) as the owner, Uppsala, reads its home."""
    own = (await client.get(f"/api/v1/family-homes/{home_id}", headers=as_(UPPSALA))).json()
    return own["occupied_places"], own["free_places"], own["offerable"]


async def change_capacity(client: httpx.AsyncClient, home_id: str, capacity: int) -> None:
    profile = {
        "capacity": capacity,
        "age_min": 0,
        "age_max": 17,
        "specialisations": ["reinforced"],
        "languages": ["sv", "ar"],
    }
    changed_profile = await client.put(
        f"/api/v1/family-homes/{home_id}/profile", headers=as_(UPPSALA), json=profile
    )
    assert changed_profile.status_code == 200, changed_profile.text


@pytest.mark.parametrize("moving_in", list(MOVING_IN))
async def test_partners_read_a_shared_home_byte_for_byte_the_same_before_during_and_after_a_protected_child_s_stay(
    collaboration, moving_in: str
) -> None:
    home_id = await shared_home(collaboration)
    await collaboration.feed(placement_started(OTHER_CASE, "P-9", **in_home()))  # one place taken, told
    before, told_before = await partner_reads(collaboration, home_id), len(partner_envelopes(collaboration))
    for record in MOVING_IN[moving_in]():
        await collaboration.feed(record)
    assert await own_view(collaboration, home_id) == (2, 1, False)
    assert await partner_reads(collaboration, home_id) == before
    await collaboration.feed(placement_ended(CASE, "P-1", **in_home(protected_identity=True)))
    assert await partner_reads(collaboration, home_id) == before
    assert partner_envelopes(collaboration)[told_before:] == []
    assert (await read_as_told(collaboration, home_id))["free_places"] == 2


async def test_partners_are_told_of_a_child_beside_a_protected_one_by_free_places_that_leave_it_out(
    collaboration,
) -> None:
    home_id = await shared_home(collaboration)
    await collaboration.feed(placement_started(CASE, "P-1", **in_home(protected_identity=True)))
    await collaboration.feed(placement_started(OTHER_CASE, "P-9", **in_home()))
    assert (await read_as_told(collaboration, home_id))["free_places"] == 2
    assert await own_view(collaboration, home_id) == (2, 1, False)
    before = await partner_reads(collaboration, home_id)
    await collaboration.feed(placement_ended(CASE, "P-1", **in_home()))
    assert await partner_reads(collaboration, home_id) == before
    await collaboration.feed(placement_ended(OTHER_CASE, "P-9", **in_home()))
    assert (await read_as_told(collaboration, home_id))["free_places"] == 3


async def test_the_owner_s_change_of_capacity_while_a_protected_child_lives_there_is_told_without_its_place(
    collaboration,
) -> None:
    home_id = await shared_home(collaboration)
    await collaboration.feed(placement_started(CASE, "P-1", **in_home(protected_identity=True)))
    await change_capacity(collaboration, home_id, 4)
    told = await read_as_told(collaboration, home_id)
    assert (told["capacity"], told["free_places"], told["available"]) == (4, 4, True)
    assert await own_view(collaboration, home_id) == (1, 3, False)


async def test_a_child_who_becomes_protected_where_it_lives_keeps_its_place_taken_for_partners_until_it_leaves(
    collaboration,
) -> None:
    """Partners were told its place was taken; leaving it out now, or keeping it once the child left,
    would tell them it became protected (ADR 0009, second addendum, decision 4)."""
    home_id = await shared_home(collaboration)
    await collaboration.feed(placement_started(CASE, "P-1", **in_home()))
    before, told_before = await partner_reads(collaboration, home_id), len(partner_envelopes(collaboration))
    await collaboration.feed(changed(CASE, "P-1", **in_home(protected_identity=True)))
    assert await partner_reads(collaboration, home_id) == before
    await change_capacity(collaboration, home_id, 4)
    assert (await read_as_told(collaboration, home_id))["free_places"] == 3
    await collaboration.feed(placement_ended(CASE, "P-1", **in_home()))
    assert (await read_as_told(collaboration, home_id))["free_places"] == 4
    told = [(data["capacity"], data["free_places"]) for _, data in told_since(collaboration, told_before)]
    assert told == [(4, 3), (4, 3), (4, 4), (4, 4)]


def told_since(client: httpx.AsyncClient, count: int) -> list[tuple[str, dict[str, Any]]]:
    return [(topic, envelope["data"]) for topic, envelope in partner_envelopes(client)[count:]]


async def test_a_protected_case_moving_into_the_place_held_for_it_changes_nothing_partners_read(
    collaboration,
) -> None:
    """Västerås's home, matched for Uppsala's case, whose child a later record says is protected."""
    held_home = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA, GAVLE], capacity=2)
    await matched_for(collaboration, held_home)
    await collaboration.feed(placement_started(CASE, "P-1", protected_identity=True))  # outside the pool
    before, told_before = (
        await partner_reads(collaboration, held_home, THEIRS),
        len(partner_envelopes(collaboration)),
    )
    where = {"municipality": UPPSALA, "placement_type": "familjehem", "family_home_id": held_home}
    await collaboration.feed(changed(CASE, "P-1", **where, protected_identity=True))
    assert await partner_reads(collaboration, held_home, THEIRS) == before
    await collaboration.feed(placement_ended(CASE, "P-1", **where, protected_identity=True))
    assert await partner_reads(collaboration, held_home, THEIRS) == before
    assert told_since(collaboration, told_before) == []


async def test_accepting_an_offer_of_a_home_a_protected_child_moved_into_since_is_answered_as_partners_read_it(
    collaboration,
) -> None:
    """Refusing it (the home is full) would tell the requester what its reads and topic do not."""
    home_id = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA, GAVLE], capacity=1)
    request_id = await ask(collaboration, OTHER_CASE)
    offered = await offer(collaboration, request_id, home_id)
    assert offered.status_code == 201, offered.text
    before = await partner_reads(collaboration, home_id, THEIRS)
    vasteras_child = {"municipality": VASTERAS, "placement_type": "familjehem", "family_home_id": "VAS-FH-1"}
    await collaboration.feed(placement_started("1980-C-1", "P-1", **vasteras_child, protected_identity=True))
    assert await partner_reads(collaboration, home_id, THEIRS) == before
    accepted = await accept(collaboration, request_id, offered.json()["offer_id"])
    assert accepted.status_code == 200, accepted.text
    told = await read_as_told(collaboration, home_id, THEIRS)
    assert (told["free_places"], told["available"]) == (0, False)
