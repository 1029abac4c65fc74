"""A place an accepted offer holds for a case whose child has a protected identity comes free at a
time that says nothing of the child (ADR 0022, addendum "a protected case's held place comes free
at its own time"), through the kit's real tracking consumer and HTTP with a JWT.  Before, the case's
own record that ended its wait (its end with the care over, a lasting change, a start in a lasting
home) released the held place at once, and every partner the home is shared with heard the place
come free, and could read it, at the very moment of the protected child's placement record.  Now
no partner hears or reads anything at that moment: the place stays held until the hold lapses
after its 336 hours (a time set by the acceptance, which partners knew of already)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.component.conftest import service_app
from tests.component.test_collaboration_case_protection_http import (
    changed,
    collaboration,
    partner_envelopes,
)
from tests.component.test_collaboration_holds_for_their_case import CASE, matched_for, started
from tests.component.test_collaboration_http import GAVLE, UPPSALA, VASTERAS, as_, register
from tests.support.events import placement_ended, placement_started

__all__ = ["collaboration"]  # the fixture that feeds its placements consumer

OWN_LASTING_HOME = "UPP-FH-9"  # Uppsala's own home of the pool, shared with no one

# The case's records that end the child's wait in an emergency home (outside the pool), each
# saying the child has a protected identity (or not: ``protected``), that freed the held place.
FREEING: dict[str, Callable[[bool], dict[str, Any]]] = {
    "its end with the care over": lambda protected: placement_ended(
        CASE, "P-1", "home_return", municipality=UPPSALA, protected_identity=protected
    ),
    "a change making the wait lasting": lambda protected: changed(
        CASE, "P-1", municipality=UPPSALA, placement_type="familjehem", protected_identity=protected
    ),
    "a start in a lasting home of its own municipality": lambda protected: placement_started(
        CASE,
        "P-2",
        municipality=UPPSALA,
        placement_type="familjehem",
        family_home_id=OWN_LASTING_HOME,
        protected_identity=protected,
    ),
}


async def waiting_with_a_place_held(client: httpx.AsyncClient) -> str:
    """Västerås's one-place home, shared with Uppsala and Gävle, matched for Uppsala's CASE while
    the child waits in an emergency home outside the pool.  The held home's pool id."""
    await register(client, UPPSALA, OWN_LASTING_HOME, [])
    held_home = await register(client, VASTERAS, "VAS-FH-1", [UPPSALA, GAVLE], capacity=1)
    await client.feed(started(CASE, "P-1", None, "jourhem"))
    await matched_for(client, held_home)
    return held_home


async def what_partners_read(client: httpx.AsyncClient, home_id: str) -> list[Any]:
    """What the home's owner (Västerås) and its other partner (Gävle) can read of it over HTTP."""
    read = []
    for partner in (VASTERAS, GAVLE):
        home = await client.get(f"/api/v1/family-homes/{home_id}", headers=as_(partner))
        listed = await client.get("/api/v1/family-homes", headers=as_(partner))
        read += [home.status_code, home.json(), listed.json()]
    return read


@pytest.mark.parametrize("record", list(FREEING))
@pytest.mark.parametrize("said_by", ["the freeing record itself", "an earlier record of the case"])
async def test_a_protected_case_s_record_that_ends_its_wait_tells_partners_nothing_at_that_moment(
    collaboration, record: str, said_by: str
) -> None:
    held_home = await waiting_with_a_place_held(collaboration)
    if said_by == "an earlier record of the case":
        protecting = changed(CASE, "P-1", municipality=UPPSALA, protected_identity=True, school_change=True)
        await collaboration.feed(protecting)  # still waiting in the emergency home
    told_before = len(partner_envelopes(collaboration))
    read_before = await what_partners_read(collaboration, held_home)
    await collaboration.feed(FREEING[record](said_by == "the freeing record itself"))
    assert partner_envelopes(collaboration)[told_before:] == []
    assert await what_partners_read(collaboration, held_home) == read_before


async def test_a_protected_case_s_held_place_comes_free_when_its_hold_lapses(collaboration) -> None:
    held_home = await waiting_with_a_place_held(collaboration)
    await collaboration.feed(FREEING["its end with the care over"](True))
    pool = service_app(collaboration)
    pool.clock = lambda: datetime.now(UTC) + timedelta(hours=337)
    pool.lapse_holds()
    told = [envelope for topic, envelope in partner_envelopes(collaboration) if topic == "partner.2180.v1"]
    assert (told[-1]["subject"], told[-1]["data"]["free_places"]) == (held_home, 1)
    home = await collaboration.get(f"/api/v1/family-homes/{held_home}", headers=as_(GAVLE))
    assert home.json()["free_places"] == 1


@pytest.mark.parametrize("record", list(FREEING))
async def test_an_unprotected_case_s_record_that_ends_its_wait_still_frees_the_held_place_at_once(
    collaboration, record: str
) -> None:
    held_home = await waiting_with_a_place_held(collaboration)
    await collaboration.feed(FREEING[record](False))
    home = await collaboration.get(f"/api/v1/family-homes/{held_home}", headers=as_(GAVLE))
    assert home.json()["free_places"] == 1
