"""A place held for a case comes free at the end of a wait in an emergency home only if that wait
kept it (ADR 0022, amendment "review of 47d90db"), through the kit's real tracking consumer and HTTP
with a JWT: a record that keeps a lasting placement where it lives (a change of school, a re-sent
start) leaves a place held for its planned move, and a late end of an earlier placement leaves the
place the child, waiting in an emergency home, holds."""

from __future__ import annotations

import pytest

from tests.component.test_collaboration_case_protection_http import changed, collaboration
from tests.component.test_collaboration_holds_for_their_case import CASE, matched_for, started
from tests.component.test_collaboration_http import UPPSALA, VASTERAS, register
from tests.component.test_collaboration_kept_holds_released import waiting_in_an_emergency_home
from tests.component.test_collaboration_partner_homes import free_places
from tests.support.events import placement_ended

__all__ = ["collaboration"]  # the fixture that feeds its placements consumer


async def matched_for_a_planned_move(client) -> str:
    """The child lives in Uppsala's lasting home UPP-FH-1 (P-1); a Västerås home of one place is
    matched for its planned move.  The held home's pool id."""
    await register(client, UPPSALA, "UPP-FH-1", [], capacity=1)
    await client.feed(started(CASE, "P-1", "UPP-FH-1", "familjehem"))
    held_home = await register(client, VASTERAS, "VAS-FH-1", [UPPSALA], capacity=1)
    await matched_for(client, held_home)
    assert await free_places(client, held_home) == 0
    return held_home


async def test_a_change_of_school_in_a_lasting_home_keeps_the_place_held_for_the_planned_move(
    collaboration,
) -> None:
    held_home = await matched_for_a_planned_move(collaboration)
    school = changed(
        CASE,
        "P-1",
        municipality=UPPSALA,
        placement_type="familjehem",
        family_home_id="UPP-FH-1",
        school_change=True,
    )
    await collaboration.feed(school)
    assert await free_places(collaboration, held_home) == 0


async def test_a_re_sent_start_of_a_lasting_placement_keeps_the_place_held_for_the_planned_move(
    collaboration,
) -> None:
    held_home = await matched_for_a_planned_move(collaboration)
    await collaboration.feed(started(CASE, "P-1", "UPP-FH-1", "familjehem"))
    assert await free_places(collaboration, held_home) == 0


@pytest.mark.parametrize("end_reason", ["home_return", "age_out"])
async def test_a_late_end_of_an_earlier_placement_keeps_the_place_held_for_the_waiting_child(
    collaboration, end_reason: str
) -> None:
    """P-0 (an HVB, never in the pool) ended before the wait in the emergency home (P-1) began; its
    record arrives late, or is re-sent: the child still waits in P-1."""
    held_home = await waiting_in_an_emergency_home(collaboration)
    await collaboration.feed(placement_ended(CASE, "P-0", end_reason, municipality=UPPSALA))
    assert await free_places(collaboration, held_home) == 0
