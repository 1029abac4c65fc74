"""A child who becomes protected while living in a home of the pool (ADR 0022, ADR 0032), through the
kit's real tracking consumer and HTTP with a JWT: the record that says so finds the child where it
already lives, and from then on the home is not offered to partners, and they hear nothing of its
protection and read the home exactly as before; as it moves out they are told so as of any child
they were told of at its move-in (ADR 0009, second addendum, decision 4); nothing about the
protection itself is published.  Until ADR 0009's addendum "partners read what they were
told", the home answered partners 404 and left their lists at that moment, which told them."""

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
PARTNER_TOPICS = ("partner.1980.v1", "partner.2180.v1")  # Västerås's and Gävle's
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


async def partners_read(client: httpx.AsyncClient, home_id: str) -> list[tuple[int, bytes]]:
    """For each partner: its read of the home and of its list, as the bytes it receives."""
    read = []
    for partner in (VASTERAS, GAVLE):
        for path in (f"/api/v1/family-homes/{home_id}", "/api/v1/family-homes"):
            response = await client.get(path, headers=as_(partner))
            read.append((response.status_code, response.content))
    return read


async def owner_sees(client: httpx.AsyncClient, home_id: str) -> tuple[int, int, bool]:
    """(status, occupied places, offerable) as the owner, Uppsala, reads its home."""
    own = await client.get(f"/api/v1/family-homes/{home_id}", headers=as_(UPPSALA))
    return own.status_code, own.json()["occupied_places"], own.json()["offerable"]


@pytest.mark.parametrize("record", list(PROTECTING))
async def test_a_child_who_becomes_protected_where_it_lives_changes_nothing_partners_read_and_ends_offers(
    collaboration, record: str
) -> None:
    home_id = await shared_home(collaboration)
    await collaboration.feed(placement_started(CASE, "P-1", **in_home()))
    assert await owner_sees(collaboration, home_id) == (200, 1, True)
    before, told = await partners_read(collaboration, home_id), len(partner_envelopes(collaboration))
    await collaboration.feed(PROTECTING[record]())
    assert await partners_read(collaboration, home_id) == before
    assert partner_envelopes(collaboration)[told:] == []
    assert await owner_sees(collaboration, home_id) == (200, 1, False)


async def test_partners_hear_nothing_of_a_resident_s_protection_and_of_its_move_out_as_of_any_child_s(
    collaboration,
) -> None:
    """The owner's change is told as any other, and still counts the place partners were told the
    child took; its move-out frees that place as any child's: else they would learn it was protected."""
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
    told_since = [
        (topic, e["data"]["capacity"], e["data"]["free_places"])
        for topic, e in partner_envelopes(collaboration)[before:]
    ]
    profile_told, departure_told = [(p, 4, 3) for p in PARTNER_TOPICS], [(p, 4, 4) for p in PARTNER_TOPICS]
    assert told_since == [*profile_told, *departure_told]
    told = json.dumps(partner_envelopes(collaboration)).lower()
    assert home_id in told and "protect" not in told and "skydd" not in told


async def test_a_partner_home_whose_partner_s_child_became_protected_is_offered_as_any_occupied_home(
    collaboration,
) -> None:
    """Västerås's home, shared with Uppsala and Gävle, houses Uppsala's child; Gävle then asks.
    Refusing Västerås's offer would tell it Uppsala's child is protected (ADR 0009, second
    addendum): living beside it is Uppsala's to manage, which knows; partners read the home as before."""
    home_id = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA, GAVLE], capacity=3)
    where = {"municipality": UPPSALA, "placement_type": "familjehem", "family_home_id": home_id}
    await collaboration.feed(placement_started(CASE, "P-1", **where))
    before = await collaboration.get(f"/api/v1/family-homes/{home_id}", headers=as_(GAVLE))
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
    assert offered.status_code == 201, offered.text
    seen = await collaboration.get(f"/api/v1/family-homes/{home_id}", headers=as_(GAVLE))
    assert (seen.status_code, seen.content) == (200, before.content)


async def test_a_placement_of_a_case_known_protected_moves_in_unseen_whatever_its_own_record_says(
    collaboration,
) -> None:
    """One way, and the case's (ADR 0032): the box left unticked on a later record protects nothing less."""
    home_id = await shared_home(collaboration)
    await collaboration.feed(placement_started(CASE, "P-0", protected_identity=True))  # not in the pool
    before, told = await partners_read(collaboration, home_id), len(partner_envelopes(collaboration))
    await collaboration.feed(placement_started(CASE, "P-1", **in_home(protected_identity=False)))
    assert await partners_read(collaboration, home_id) == before
    assert partner_envelopes(collaboration)[told:] == []
    assert await owner_sees(collaboration, home_id) == (200, 1, False)


async def test_a_child_told_of_at_its_move_in_whose_placement_s_end_says_it_is_protected_is_told_leaving(
    collaboration,
) -> None:
    """As any child partners were told of: staying silent would tell them it had become protected."""
    await shared_home(collaboration)
    await collaboration.feed(placement_started(CASE, "P-1", **in_home()))
    before = len(partner_envelopes(collaboration))
    await collaboration.feed(placement_ended(CASE, "P-1", **in_home(protected_identity=True)))
    told = [
        (topic, e["data"]["change"], e["data"]["free_places"])
        for topic, e in partner_envelopes(collaboration)
    ]
    assert told[before:] == [("partner.1980.v1", "updated", 3), ("partner.2180.v1", "updated", 3)]
