"""What a municipality other than a protected child's own could still tell of the child, and no longer
can (ADR 0009, addendum "partners read what they were told", and its second addendum; ADR 0022),
through the kit's real tracking consumer, the publication table and HTTP with JWTs.

Before: a partner's own case timeline counted the true free places of a partner home where a hidden
protected child lives; a protected case moving into the place held for it was the one fate of a
hold partners never heard of; a home's owner read a partner's protected child in it as "not
offerable"; and a partner could time a now-protected child's silent departure by placing a child
of its own in the home before and after it (since decision 4 is amended, that departure is told as
it happens, as any child's it was told of)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from contracts.topics import COLLABORATION
from tests.component.conftest import service_app
from tests.component.test_collaboration_case_protection_http import changed, collaboration, partner_envelopes
from tests.component.test_collaboration_http import GAVLE, UPPSALA, VASTERAS, as_, new_request, register
from tests.component.test_collaboration_partner_homes import accept, offer
from tests.support.events import placement_ended, placement_started

__all__ = ["collaboration"]  # the fixture that feeds its placements consumer

IN_UPPSALA_S_HOME = {"placement_type": "familjehem", "family_home_id": "UPP-FH-1"}


def internal_messages(client: httpx.AsyncClient) -> list[dict[str, Any]]:
    """The data of every message the publication table makes for ``natverk.collaboration.v1``."""
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    store = runtime.app
    return [
        envelope.model_dump(mode="json")["data"]
        for notification in store.recorder.select_notifications(1, 10_000)
        for topic, envelope in runtime.publication.cloud_events(
            store.mapper.to_domain_event(notification), notification.id
        )
        if topic == COLLABORATION
    ]


async def partner_free_places(client: httpx.AsyncClient, partner: str, home_id: str) -> int:
    return (await client.get(f"/api/v1/family-homes/{home_id}", headers=as_(partner))).json()["free_places"]


async def owner_view(client: httpx.AsyncClient, owner: str, home_id: str) -> dict[str, Any]:
    own = (await client.get(f"/api/v1/family-homes/{home_id}", headers=as_(owner))).json()
    return {key: own[key] for key in ("free_places", "available", "offerable", "occupied_places")}


async def test_a_partner_s_own_case_timeline_counts_a_shared_home_s_free_places_as_its_partner_read_does(
    collaboration,
) -> None:
    """Gävle places its child in Uppsala's home, where a protected Uppsala child lives: the internal
    record of Gävle's case (its timeline: "Family home occupied (N place(s) free)") says N as Gävle's
    read of the home does, else the difference is the protected child."""
    home_id = await register(collaboration, UPPSALA, "UPP-FH-1", [VASTERAS, GAVLE], capacity=3)
    protected = {"municipality": UPPSALA, **IN_UPPSALA_S_HOME}
    await collaboration.feed(placement_started("0380-C-1", "P-1", **protected, protected_identity=True))
    gavle_child = {"municipality": GAVLE, "placement_type": "familjehem", "family_home_id": home_id}
    await collaboration.feed(placement_started("2180-C-7", "G-1", **gavle_child))
    [gavle_s_record] = [m for m in internal_messages(collaboration) if m.get("municipality") == GAVLE]
    assert gavle_s_record["free_places"] == await partner_free_places(collaboration, GAVLE, home_id) == 2


async def matched(client: httpx.AsyncClient, case_id: str, home_id: str) -> str:
    """Uppsala's case matched (asked of Västerås and Gävle) into Västerås's ``home_id``."""
    opened = await client.post(
        "/api/v1/matching-requests",
        headers=as_(UPPSALA, "case_worker"),
        json=new_request([VASTERAS, GAVLE], case_id),
    )
    assert opened.status_code == 201, opened.text
    request_id = opened.json()["request_id"]
    offered = await offer(client, request_id, home_id)
    assert offered.status_code == 201, offered.text
    assert (await accept(client, request_id, offered.json()["offer_id"])).status_code == 200
    return request_id


def told_to_gavle(client: httpx.AsyncClient, home_id: str) -> list[tuple[Any, Any, Any]]:
    return [
        (envelope["data"]["change"], envelope["data"]["free_places"], envelope["data"]["available"])
        for topic, envelope in partner_envelopes(client)
        if topic == f"partner.{GAVLE}.v1" and envelope["subject"] == home_id
    ]


async def three_matched_homes(client: httpx.AsyncClient) -> tuple[dict[str, str], dict[str, str]]:
    """Three of Uppsala's cases matched into three of Västerås's two-place homes: (a) placed there,
    unprotected; (b) never placed; (c) placed there by a record saying the child is protected.
    The homes' pool ids and the requests' ids."""
    homes = {k: await register(client, VASTERAS, f"VAS-FH-{k}", [UPPSALA, GAVLE]) for k in "abc"}
    requests = {k: await matched(client, f"0380-C-{k}", homes[k]) for k in "abc"}
    where = {"municipality": UPPSALA, "placement_type": "familjehem"}
    await client.feed(placement_started("0380-C-a", "P-a", **where, family_home_id=homes["a"]))
    await client.feed(
        placement_started("0380-C-c", "P-c", **where, family_home_id=homes["c"], protected_identity=True)
    )
    return homes, requests


async def test_a_protected_case_moving_into_its_held_place_is_told_to_partners_as_a_hold_that_lapsed(
    collaboration,
) -> None:
    homes, _ = await three_matched_homes(collaboration)
    pool = service_app(collaboration)
    pool.clock = lambda: datetime.now(UTC) + timedelta(hours=337)
    pool.lapse_holds()
    assert told_to_gavle(collaboration, homes["c"]) == told_to_gavle(collaboration, homes["b"])
    assert await partner_free_places(collaboration, GAVLE, homes["c"]) == 2


async def test_the_owner_reads_a_partner_s_protected_child_in_its_held_place_as_a_hold_whose_case_never_came(
    collaboration,
) -> None:
    """As it moves in, and as it leaves (before its hold's time), (c) reads to Västerås as (b) does:
    for the owner, another municipality, the protected child's stay does not exist (ADR 0009)."""
    homes, _ = await three_matched_homes(collaboration)
    assert await owner_view(collaboration, VASTERAS, homes["c"]) == await owner_view(
        collaboration, VASTERAS, homes["b"]
    )
    where = {"municipality": UPPSALA, "placement_type": "familjehem"}
    await collaboration.feed(placement_ended("0380-C-c", "P-c", **where, family_home_id=homes["c"]))
    assert await owner_view(collaboration, VASTERAS, homes["c"]) == await owner_view(
        collaboration, VASTERAS, homes["b"]
    )


async def test_a_matched_request_whose_protected_child_took_its_held_place_is_not_withdrawn_as_any_other(
    collaboration,
) -> None:
    """Giving back a place its child lives in would tell the owner (its offer withdrawn) and every
    partner (a place come free) what no unprotected case's request could do."""
    _, requests = await three_matched_homes(collaboration)
    withdrawn = [
        await collaboration.post(
            f"/api/v1/matching-requests/{requests[k]}/withdraw", headers=as_(UPPSALA, "case_worker")
        )
        for k in "ac"
    ]
    unprotected, protected = withdrawn
    assert (protected.status_code, protected.json()) == (unprotected.status_code, unprotected.json())
    assert protected.status_code == 409, protected.text


async def test_the_owner_reads_and_offers_a_home_with_a_partner_s_protected_child_as_one_nobody_moved_into(
    collaboration,
) -> None:
    homes = [await register(collaboration, VASTERAS, f"VAS-FH-{i}", [UPPSALA, GAVLE]) for i in (1, 2)]
    where = {"municipality": UPPSALA, "placement_type": "familjehem"}
    await collaboration.feed(
        placement_started("0380-C-2", "P-2", **where, family_home_id=homes[1], protected_identity=True)
    )
    assert await owner_view(collaboration, VASTERAS, homes[0]) == await owner_view(
        collaboration, VASTERAS, homes[1]
    )
    body = new_request([VASTERAS], "0380-C-9")
    opened = await collaboration.post(
        "/api/v1/matching-requests", headers=as_(UPPSALA, "case_worker"), json=body
    )
    request_id = opened.json()["request_id"]
    assert [(await offer(collaboration, request_id, home_id)).status_code for home_id in homes] == [201, 201]


async def test_a_partner_is_told_a_now_protected_child_s_departure_as_it_happens_so_has_nothing_to_time(
    collaboration,
) -> None:
    """Uppsala's child, told to partners as it moved in, becomes protected and leaves.  Gävle places a
    child of its own in the home before and after that, and ends it each time: the place the child
    left is free from the moment it left, told then, as for any child Gävle was told of; before, it
    came free silently, later, which Gävle could time, and so learn that the child became protected."""
    home_id = await register(collaboration, UPPSALA, "UPP-FH-1", [VASTERAS, GAVLE], capacity=3)
    uppsala = {"municipality": UPPSALA, **IN_UPPSALA_S_HOME}
    await collaboration.feed(placement_started("0380-C-1", "P-1", **uppsala))
    await collaboration.feed(changed("0380-C-1", "P-1", **uppsala, protected_identity=True))

    async def probe(n: int) -> int:
        gavle = {"municipality": GAVLE, "placement_type": "familjehem", "family_home_id": home_id}
        await collaboration.feed(placement_started(f"2180-C-{n}", f"G-{n}", **gavle))
        seen = await partner_free_places(collaboration, GAVLE, home_id)
        await collaboration.feed(placement_ended(f"2180-C-{n}", f"G-{n}", **gavle))
        return seen

    before, told = await probe(1), len(partner_envelopes(collaboration))
    await collaboration.feed(placement_ended("0380-C-1", "P-1", **uppsala))
    at_departure = [
        (e["data"]["change"], e["data"]["free_places"])
        for topic, e in partner_envelopes(collaboration)[told:]
        if topic == f"partner.{GAVLE}.v1"
    ]
    assert at_departure == [("updated", 3)]
    assert await probe(2) == before + 1 == 2
