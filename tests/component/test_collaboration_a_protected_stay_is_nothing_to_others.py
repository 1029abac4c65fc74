"""For every municipality but a protected child's own, the child's stay does not exist beyond what
partners were told; the home's owner, when it is another municipality, reads it exactly as partners
do (ADR 0009, addendum "nothing tells a protected child's protection to another municipality").

Before: the owner's offers were decided on the home as it is, a requester's acceptance on the larger
of that and partners' view, so one side's answer could go against what the other side read:
  1. the owner learnt a partner's child in its home was protected from an acceptance that went
     through where, beside an unprotected child, it was refused;
  2. a requester was offered a home it read as full and not available, once a child it was told of
     had become protected and left (since decision 4 is amended, that departure is told as any
     child's, and the home is read and offered as one any child left);
  3. a third municipality was offered a home it read as full, once one matched case's child had
     moved in protected and left (the owner counted neither the child nor its hold).
Each protected case here reads, and is answered, byte for byte as its "nothing happened"
counterpart, to the owner and to the requester; its unprotected counterpart is told, and differs."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.component.test_collaboration_case_protection_http import changed, collaboration
from tests.component.test_collaboration_http import GAVLE, UPPSALA, VASTERAS, as_, new_request, register
from tests.component.test_collaboration_partner_homes import accept, offer
from tests.support.events import placement_ended, placement_started

__all__ = ["collaboration"]  # the fixture that feeds its placements consumer


def anonymous(response: httpx.Response, *ids: str) -> tuple[int, str]:
    """Status and body with what differs between homes and requests made one after another blanked:
    the pool's, the owner's and the cases' ids, and points in time."""
    text = re.sub(r'"register_id":"[^"]*"', '"register_id":"<register id>"', response.text)
    text = re.sub(r'"\d{4}-\d\d-\d\dT[^"]*"', '"<time>"', text)
    for n, id_ in enumerate(ids):
        text = text.replace(id_, f"<id {n}>")
    return response.status_code, text


async def read(client: httpx.AsyncClient, who: str, home_id: str) -> tuple[int, str]:
    return anonymous(await client.get(f"/api/v1/family-homes/{home_id}", headers=as_(who)), home_id)


async def ask(client: httpx.AsyncClient, who: str, case_id: str, partners: list[str]) -> str:
    opened = await client.post(
        "/api/v1/matching-requests", headers=as_(who, "case_worker"), json=new_request(partners, case_id)
    )
    assert opened.status_code == 201, opened.text
    return opened.json()["request_id"]


def in_home(municipality: str, home_id: str) -> dict[str, Any]:
    return {"municipality": municipality, "placement_type": "familjehem", "family_home_id": home_id}


async def test_the_owner_cannot_tell_a_partner_s_child_in_its_home_is_protected_from_an_acceptance(
    collaboration,
) -> None:
    """Västerås offered its one-place homes A, B and C to Uppsala; Gävle's child then moves into A
    unprotected, into B protected; nobody into C.  Uppsala accepts all three offers."""
    homes = {
        k: await register(collaboration, VASTERAS, f"VAS-{k}", [UPPSALA, GAVLE], capacity=1) for k in "ABC"
    }
    requests = {k: await ask(collaboration, UPPSALA, f"0380-C-{k}", [VASTERAS]) for k in "ABC"}
    offers = {}
    for k in "ABC":
        made = await offer(collaboration, requests[k], homes[k])
        assert made.status_code == 201, made.text
        offers[k] = made.json()["offer_id"]
    await collaboration.feed(placement_started("2180-C-A", "G-A", **in_home(GAVLE, homes["A"])))
    await collaboration.feed(
        placement_started("2180-C-B", "G-B", **in_home(GAVLE, homes["B"]), protected_identity=True)
    )
    for who in (VASTERAS, UPPSALA):
        assert await read(collaboration, who, homes["B"]) == await read(collaboration, who, homes["C"])
    answers = {k: await accept(collaboration, requests[k], offers[k]) for k in "ABC"}
    ids = {k: (homes[k], requests[k], offers[k], f"0380-C-{k}") for k in "ABC"}
    assert anonymous(answers["B"], *ids["B"]) == anonymous(answers["C"], *ids["C"])
    assert (answers["A"].status_code, answers["C"].status_code) == (409, 200)
    for who in (VASTERAS, UPPSALA):
        assert await read(collaboration, who, homes["B"]) == await read(collaboration, who, homes["C"])
        seen = {
            k: anonymous(
                await collaboration.get(f"/api/v1/matching-requests/{requests[k]}", headers=as_(who)), *ids[k]
            )
            for k in "BC"
        }
        assert seen["B"] == seen["C"]


async def test_a_requester_is_offered_a_home_a_child_it_was_told_of_left_protected_as_one_any_child_left(
    collaboration,
) -> None:
    """Gävle's children, told to partners, live in Västerås's one-place homes a, b and c; c's child
    becomes protected; a's and c's leave, b's stays.  Uppsala asks Västerås for a home."""
    homes = {
        k: await register(collaboration, VASTERAS, f"VAS-{k}", [UPPSALA, GAVLE], capacity=1) for k in "abc"
    }
    for k in "abc":
        await collaboration.feed(placement_started(f"2180-C-{k}", f"G-{k}", **in_home(GAVLE, homes[k])))
    await collaboration.feed(
        changed("2180-C-c", "G-c", **in_home(GAVLE, homes["c"]), protected_identity=True)
    )
    for k in "ac":
        await collaboration.feed(placement_ended(f"2180-C-{k}", f"G-{k}", **in_home(GAVLE, homes[k])))
    request_id = await ask(collaboration, UPPSALA, "0380-C-9", [VASTERAS])
    for who in (VASTERAS, UPPSALA):
        assert await read(collaboration, who, homes["c"]) == await read(collaboration, who, homes["a"])
    answers = {k: anonymous(await offer(collaboration, request_id, homes[k]), homes[k]) for k in "abc"}
    assert answers["c"][0] == answers["a"][0] == 201 and answers["b"][0] != 201


async def test_a_third_municipality_cannot_tell_a_matched_case_s_child_moved_in_protected_and_left(
    collaboration,
) -> None:
    """Uppsala's cases a, b and c matched (asked of Västerås and Gävle) into Västerås's one-place
    homes; a's child placed there unprotected, c's protected; both leave; b's never comes.  Gävle
    then asks Västerås for a home."""
    homes = {
        k: await register(collaboration, VASTERAS, f"VAS-{k}", [UPPSALA, GAVLE], capacity=1) for k in "abc"
    }
    for k in "abc":
        matched = await ask(collaboration, UPPSALA, f"0380-C-{k}", [VASTERAS, GAVLE])
        made = await offer(collaboration, matched, homes[k])
        assert made.status_code == 201, made.text
        assert (await accept(collaboration, matched, made.json()["offer_id"])).status_code == 200
    await collaboration.feed(placement_started("0380-C-a", "P-a", **in_home(UPPSALA, homes["a"])))
    await collaboration.feed(
        placement_started("0380-C-c", "P-c", **in_home(UPPSALA, homes["c"]), protected_identity=True)
    )
    for k in "ac":
        await collaboration.feed(placement_ended(f"0380-C-{k}", f"P-{k}", **in_home(UPPSALA, homes[k])))
    request_id = await ask(collaboration, GAVLE, "2180-C-9", [VASTERAS])
    for who in (VASTERAS, GAVLE):
        assert await read(collaboration, who, homes["c"]) == await read(collaboration, who, homes["b"])
    answers = {k: anonymous(await offer(collaboration, request_id, homes[k]), homes[k]) for k in "abc"}
    assert answers["c"] == answers["b"] and answers["b"][0] != 201
    assert answers["a"][0] == 201
