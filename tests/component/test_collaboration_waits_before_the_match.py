"""A place an accepted offer holds for a lasting placement is kept by the child's wait in an
emergency home (jourhem) whichever came first, the wait or the acceptance, and whether the
emergency home is in the pool or not (ADR 0022, addendum "a wait known before the match"),
through the kit's real tracking consumer and HTTP with a JWT: the wait's end (a lasting record of
the same placement, or its end saying the care is over) frees the place; an end the next placement
follows leaves it to that placement.  A wait that ended before the acceptance keeps nothing, and
no re-sent record of it makes it a wait again."""

from __future__ import annotations

from typing import Any

import pytest

from tests.component.test_collaboration_case_protection_http import (
    changed,
    collaboration,
    partner_envelopes,
)
from tests.component.test_collaboration_holds_for_their_case import (
    CASE,
    emergency_home,
    matched_for,
    occupied,
    started,
)
from tests.component.test_collaboration_http import UPPSALA, VASTERAS, register
from tests.component.test_collaboration_partner_homes import free_places
from tests.support.events import placement_ended
from tests.support.tokens import bearer

__all__ = ["collaboration"]  # the fixture that feeds its placements consumer

IN_THE_POOL, OUTSIDE = "UPP-JH-1", None  # where the child waits: Uppsala's home of the pool, or not
WAIT_FIRST, MATCH_FIRST = "the wait, then the match", "the match, then the wait"


async def matched_and_waiting(client: Any, order: str, home_ref: str | None = IN_THE_POOL) -> str:
    """The child waits in an emergency home (``home_ref``) and Uppsala has accepted Västerås's
    one-place home for CASE, in ``order``.  The held home's pool id."""
    await emergency_home(client, UPPSALA, "UPP-JH-1", [])
    held_home = await register(client, VASTERAS, "VAS-FH-1", [UPPSALA], capacity=1)
    if order == WAIT_FIRST:
        await client.feed(started(CASE, "P-1", home_ref, "jourhem"))
    await matched_for(client, held_home)
    if order == MATCH_FIRST:
        await client.feed(started(CASE, "P-1", home_ref, "jourhem"))
    assert await free_places(client, held_home) == 0  # kept while the child waits
    return held_home


def lasting(home_ref: str | None, **envelope: Any) -> dict[str, Any]:
    record = changed(CASE, "P-1", municipality=UPPSALA, placement_type="familjehem", family_home_id=home_ref)
    return {**record, **envelope}


both_orders = pytest.mark.parametrize("order", [WAIT_FIRST, MATCH_FIRST])


@both_orders
@pytest.mark.parametrize(
    ("home_ref", "lasting_in"), [(IN_THE_POOL, IN_THE_POOL), (OUTSIDE, "NOT-IN-THE-POOL")]
)
async def test_a_wait_in_an_emergency_home_that_becomes_lasting_frees_the_held_place_whichever_came_first(
    collaboration, order: str, home_ref: str | None, lasting_in: str
) -> None:
    held_home = await matched_and_waiting(collaboration, order, home_ref)
    await collaboration.feed(lasting(lasting_in))
    assert await free_places(collaboration, held_home) == 1


@both_orders
@pytest.mark.parametrize("home_ref", [IN_THE_POOL, OUTSIDE])
@pytest.mark.parametrize("end_reason", ["home_return", "age_out"])
async def test_a_wait_in_an_emergency_home_ended_with_the_care_over_frees_the_held_place_whichever_came_first(
    collaboration, order: str, home_ref: str | None, end_reason: str
) -> None:
    held_home = await matched_and_waiting(collaboration, order, home_ref)
    await collaboration.feed(placement_ended(CASE, "P-1", end_reason, family_home_id=home_ref))
    assert await free_places(collaboration, held_home) == 1


@both_orders
async def test_a_wait_ended_for_the_next_placement_leaves_the_held_place_to_it_whichever_came_first(
    collaboration, order: str
) -> None:
    held_home = await matched_and_waiting(collaboration, order, OUTSIDE)
    await collaboration.feed(placement_ended(CASE, "P-1", "re_placement"))
    assert await free_places(collaboration, held_home) == 0
    await collaboration.feed(started(CASE, "P-2", held_home, "familjehem"))  # the matched home, at last
    assert await occupied(collaboration, VASTERAS, held_home) == 1


@pytest.mark.parametrize("home_ref", [IN_THE_POOL, OUTSIDE])
async def test_a_wait_ended_before_the_match_keeps_nothing_for_a_re_sent_record_of_it_to_free(
    collaboration, home_ref: str | None
) -> None:
    """The match is for a planned move from the lasting placement: no wait keeps it, so records of
    the earlier wait sent again (new ids; the change with its own, earlier time) free nothing."""
    await emergency_home(collaboration, UPPSALA, "UPP-JH-1", [])
    wait = started(CASE, "P-1", home_ref, "jourhem")
    became_jourhem = changed(
        CASE,
        "P-1",
        municipality=UPPSALA,
        placement_type="jourhem",
        family_home_id=home_ref,
        school_change=True,
    )
    await collaboration.feed(wait)
    await collaboration.feed({**became_jourhem, "time": "2026-11-21T10:00:00Z"})
    await collaboration.feed(lasting(home_ref, time="2026-11-25T10:00:00Z"))  # over before the match
    held_home = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA], capacity=1)
    await matched_for(collaboration, held_home)
    await collaboration.feed({**wait, "id": "re-sent-start"})
    await collaboration.feed({**became_jourhem, "id": "re-sent-change", "time": "2026-11-21T10:00:00Z"})
    await collaboration.feed(lasting(home_ref, id="re-sent-lasting", time="2026-11-25T10:00:00Z"))
    assert await free_places(collaboration, held_home) == 0


async def test_a_match_for_an_emergency_placement_is_not_kept_by_the_emergency_home_the_child_is_in(
    collaboration,
) -> None:
    """The request asked for another emergency home: the one the child is in is no wait for it, so
    its end leaves the place to be taken, given back or lapse."""
    await collaboration.feed(started(CASE, "P-1", OUTSIDE, "jourhem"))
    held_home = await emergency_home(collaboration, VASTERAS, "VAS-JH-1", [UPPSALA])
    await matched_for(collaboration, held_home, placement_type="jourhem")
    await collaboration.feed(placement_ended(CASE, "P-1", "home_return"))
    assert await free_places(collaboration, held_home) == 0


async def test_partners_hear_nothing_of_a_wait_known_before_the_match_but_the_place_it_frees(
    collaboration,
) -> None:
    """The wait is the municipality's own: kept in the pool's store, never on a partner topic."""
    before = len(partner_envelopes(collaboration))
    held_home = await matched_and_waiting(collaboration, WAIT_FIRST, OUTSIDE)
    await collaboration.feed(placement_ended(CASE, "P-1", "home_return"))
    told = [envelope for _, envelope in partner_envelopes(collaboration)[before:]]
    assert all(CASE not in str(envelope) and "P-1" not in str(envelope) for envelope in told)
    assert told[-1]["subject"] == held_home and told[-1]["data"]["free_places"] == 1


async def test_the_registerutdrag_names_the_case_s_placements_the_pool_remembers_as_emergency_ones(
    collaboration,
) -> None:
    """What the pool keeps of a case, it shows its registrar: even a wait outside the pool alone."""
    await collaboration.feed(started(CASE, "P-1", OUTSIDE, "jourhem"))
    await collaboration.feed(started(CASE, "P-2", OUTSIDE, "hvb"))  # never a wait: not kept
    await collaboration.feed(placement_ended(CASE, "P-3", placement_type="hvb"))  # before its start: kept
    registrar = bearer(UPPSALA, ("registrar",), subject="registrar-1")
    answer = await collaboration.post("/api/v1/subject-access", json={"case_ids": [CASE]}, headers=registrar)
    assert answer.status_code == 200, answer.text
    [case] = answer.json()["cases"]
    assert (case["case_id"], case["emergency_placements"], case["other_placements"]) == (
        CASE,
        ["P-1"],
        ["P-3"],
    )
