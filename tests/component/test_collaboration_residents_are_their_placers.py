"""A resident of a pool home is the pair (placing municipality, placement id) (ADR 0022, addendum "a
resident is its placer's"), through the kit's real tracking consumer and HTTP with a JWT: each case
system names placements by its own ids, so two municipalities may both send "P-1" for different
children, and no record of one municipality admits, moves or frees another municipality's child."""

from __future__ import annotations

import uuid
from typing import Any

import httpx

from services.collaboration.domain.family_home import FamilyHome
from tests.component.test_collaboration_case_protection_http import changed, collaboration
from tests.component.test_collaboration_http import GAVLE, UPPSALA, VASTERAS, as_, register
from tests.support.events import placement_ended, placement_started
from tests.support.tokens import bearer

__all__ = ["collaboration"]  # the fixture that feeds its placements consumer

SAME_ID = "P-1"  # each municipality's case system numbers its own placements
CASES = {UPPSALA: "0380-C-1", GAVLE: "2180-C-1"}


def start(municipality: str, home_ref: str, **data: Any) -> dict[str, Any]:
    return placement_started(
        CASES[municipality],
        SAME_ID,
        municipality=municipality,
        placement_type="familjehem",
        family_home_id=home_ref,
        **data,
    )


def end(municipality: str, home_ref: str) -> dict[str, Any]:
    return placement_ended(
        CASES[municipality],
        SAME_ID,
        municipality=municipality,
        placement_type="familjehem",
        family_home_id=home_ref,
    )


async def places(client: httpx.AsyncClient, home_id: str, partner: str = UPPSALA) -> tuple[int, int]:
    """(occupied places as the owner sees them, free places as ``partner`` sees them)."""
    own = await client.get(f"/api/v1/family-homes/{home_id}", headers=as_(VASTERAS))
    seen = await client.get(f"/api/v1/family-homes/{home_id}", headers=as_(partner))
    assert (own.status_code, seen.status_code) == (200, 200), seen.text
    return own.json()["occupied_places"], seen.json()["free_places"]


async def residences(client: httpx.AsyncClient, municipality: str) -> list[tuple[str, str, bool]]:
    """(home id, placement id, moved out) of the municipality's case, as its registerutdrag names them."""
    registrar = bearer(municipality, ("registrar",), "reg-1")
    body = {"case_ids": [CASES[municipality]]}
    part = await client.post("/api/v1/subject-access", headers=registrar, json=body)
    assert part.status_code == 200, part.text
    return [
        (r["home_id"], r["placement_id"], r["moved_out"] is not None)
        for case in part.json()["cases"]
        for r in case["residences"]
    ]


async def test_an_end_from_another_municipality_frees_no_place_of_a_placement_with_the_same_id(
    collaboration,
) -> None:
    """Gävle's case system names, by its pool id, a Västerås home not shared with Gävle."""
    home_id = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA], capacity=2)
    await collaboration.feed(start(UPPSALA, home_id))
    await collaboration.feed(end(GAVLE, home_id))
    assert await places(collaboration, home_id) == (1, 1)
    assert await residences(collaboration, UPPSALA) == [(home_id, SAME_ID, False)]


async def test_placements_of_two_municipalities_with_the_same_id_each_take_a_place_and_leave_on_their_own_end(
    collaboration,
) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA, GAVLE], capacity=2)
    await collaboration.feed(start(UPPSALA, home_id))
    await collaboration.feed(start(GAVLE, home_id))
    assert await places(collaboration, home_id) == (2, 0)
    await collaboration.feed(end(GAVLE, home_id))
    assert await places(collaboration, home_id) == (1, 1)
    await collaboration.feed(end(UPPSALA, home_id))
    assert await places(collaboration, home_id) == (0, 2)


async def test_each_municipality_s_registerutdrag_names_its_own_placement_s_residence_under_the_same_id(
    collaboration,
) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA, GAVLE], capacity=2)
    await collaboration.feed(start(UPPSALA, home_id))
    await collaboration.feed(start(GAVLE, home_id))
    await collaboration.feed(end(GAVLE, home_id))
    assert await residences(collaboration, UPPSALA) == [(home_id, SAME_ID, False)]
    assert await residences(collaboration, GAVLE) == [(home_id, SAME_ID, True)]


async def test_a_late_start_of_an_ended_placement_takes_no_place_after_another_s_with_the_same_id_moved_through(
    collaboration,
) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA, GAVLE], capacity=2)
    await register(collaboration, GAVLE, "GAV-FH-1", [])
    await collaboration.feed(start(UPPSALA, home_id))
    await collaboration.feed(end(UPPSALA, home_id))
    await collaboration.feed(start(GAVLE, home_id))
    await collaboration.feed(changed(CASES[GAVLE], SAME_ID, municipality=GAVLE, family_home_id="GAV-FH-1"))
    await collaboration.feed(start(UPPSALA, home_id))  # Uppsala's start, sent again late
    assert await places(collaboration, home_id) == (0, 2)


async def offerable(client: httpx.AsyncClient, home_id: str) -> bool:
    """Whether the owner, Västerås, may offer the home."""
    own = await client.get(f"/api/v1/family-homes/{home_id}", headers=as_(VASTERAS))
    return own.json()["offerable"]


async def test_a_partner_s_protected_child_is_an_occupied_place_to_the_owner_as_partners_were_told(
    collaboration,
) -> None:
    """Gävle's child becomes protected where it lives beside Uppsala's with the same placement id:
    the owner, Västerås, may offer the home's free place throughout, as it may beside any child
    (telling it "not offerable" would tell it Gävle's child is protected: ADR 0009, second addendum).
    The owner and partners read the place Gävle's child took as taken while it lives there: they were
    told so before its protection; its move-out frees it as any child's (ADR 0009, decision 4)."""
    home_id = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA, GAVLE], capacity=3)
    await collaboration.feed(start(UPPSALA, home_id))
    await collaboration.feed(start(GAVLE, home_id))
    await collaboration.feed(start(GAVLE, home_id, protected_identity=True))
    assert (await places(collaboration, home_id), await offerable(collaboration, home_id)) == ((2, 1), True)
    await collaboration.feed(end(GAVLE, home_id))
    assert (await places(collaboration, home_id), await offerable(collaboration, home_id)) == ((1, 2), True)


def protects(client: httpx.AsyncClient, home_id: str, placer: str) -> bool:
    """Whether the stored home, loaded from its events, has a protected child of ``placer``'s."""
    return client.store.repository.get(uuid.UUID(home_id)).hosts_protected_child_of(placer)  # type: ignore[attr-defined]


def saved_as_before(client: httpx.AsyncClient, home: FamilyHome) -> None:
    """Store the home's new events as they were stored before a freed or protected resident was
    named with its placer: by its placement id alone."""
    for event in home.pending_events:
        if not isinstance(event, FamilyHome.Occupied):
            vars(event).pop("placing_municipality", None)
    client.store.save(home)  # type: ignore[attr-defined]


async def test_a_resident_freed_and_protected_in_events_stored_before_they_named_the_placer_reads_as_before(
    collaboration,
) -> None:
    home_id = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA, GAVLE], capacity=2)
    stored = collaboration.store.repository.get(uuid.UUID(home_id))
    stored.occupy(SAME_ID, CASES[UPPSALA], UPPSALA, False)
    stored.protect_residents_of(UPPSALA, CASES[UPPSALA])
    saved_as_before(collaboration, stored)
    assert await places(collaboration, home_id, GAVLE) == (1, 1) and protects(collaboration, home_id, UPPSALA)
    stored = collaboration.store.repository.get(uuid.UUID(home_id))
    stored.free(SAME_ID, UPPSALA)
    saved_as_before(collaboration, stored)
    assert await places(collaboration, home_id, GAVLE) == (
        0,
        2,
    )  # told as any counted child's, to the owner too
    assert not protects(collaboration, home_id, UPPSALA)
    assert await residences(collaboration, UPPSALA) == [(home_id, SAME_ID, True)]
