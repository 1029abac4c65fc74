"""The case's memory of its waits in an emergency home takes placement records as a case system
sends them (ADR 0022, addendum "a wait known before the match", its review), through the kit's real
tracking consumer and HTTP with a JWT: a CloudEvent ``time`` without a UTC offset is refused at
the edge, so it never stops a later record of the case nor an acceptance; and a start arriving after its placement's end says nothing, so it never takes the held place from the
wait the child is in now."""

from __future__ import annotations

from typing import Any

import pytest

from tests.component.test_collaboration_case_protection_http import changed, collaboration
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

__all__ = ["collaboration"]  # the fixture that feeds its placements consumer

NO_OFFSET = "2026-11-01T10:00:00"  # a case system's clock that names no zone
IN_THE_POOL, OUTSIDE = "UPP-JH-1", None  # where the child waited first: Uppsala's pool home, or not


def at(record: dict[str, Any], time: str) -> dict[str, Any]:
    return {**record, "time": time}


def lasting(placement_id: str, time: str) -> dict[str, Any]:
    """The wait ``placement_id`` becomes the lasting placement (outside the pool)."""
    record = changed(CASE, placement_id, municipality=UPPSALA, placement_type="familjehem")
    return at(record, time)


async def test_a_placement_record_whose_time_has_no_offset_is_refused_and_the_cases_later_records_still_apply(
    collaboration,
) -> None:
    """A ``time`` without an offset is ambiguous by an hour or two, and compared with times that
    have one it failed every attempt of the case's later records: the envelope refuses it now (the
    topic's owner dead-letters it with its reason), so it never reaches the case's memory."""
    home = await emergency_home(collaboration, UPPSALA, "UPP-JH-1", [])
    await collaboration.feed(at(started(CASE, "P-1", "UPP-JH-1", "jourhem"), NO_OFFSET))
    assert await occupied(collaboration, UPPSALA, home) == 0
    await collaboration.feed(started(CASE, "P-1", "UPP-JH-1", "jourhem"))  # sent again, with its zone
    assert await occupied(collaboration, UPPSALA, home) == 1
    await collaboration.feed(placement_ended(CASE, "P-1", "home_return", family_home_id="UPP-JH-1"))
    assert await occupied(collaboration, UPPSALA, home) == 0


@pytest.mark.parametrize("first_wait_in", [IN_THE_POOL, OUTSIDE])
async def test_a_late_start_of_an_ended_emergency_placement_does_not_take_the_held_place_from_the_childs_current_wait(
    collaboration, first_wait_in: str | None
) -> None:
    """The child waited in P-1, then in P-2; the case system sends P-1's end first and its start
    only after the match.  Before: the late start was remembered as a wait and re-keyed the held
    place to P-1, so P-2 becoming lasting freed nothing (in order, it freed the place)."""
    await emergency_home(collaboration, UPPSALA, "UPP-JH-1", [])
    first_start = at(started(CASE, "P-1", first_wait_in, "jourhem"), "2026-11-01T10:00:00Z")
    first_end = placement_ended(CASE, "P-1", "re_placement", family_home_id=first_wait_in)
    await collaboration.feed(at(first_end, "2026-11-10T10:00:00Z"))
    await collaboration.feed(at(started(CASE, "P-2", OUTSIDE, "jourhem"), "2026-11-10T12:00:00Z"))
    held_home = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA], capacity=1)
    await matched_for(collaboration, held_home)
    await collaboration.feed(first_start)  # late
    assert await free_places(collaboration, held_home) == 0
    await collaboration.feed(lasting("P-2", "2026-11-25T10:00:00Z"))
    assert await free_places(collaboration, held_home) == 1


async def test_a_late_start_of_a_wait_already_become_lasting_does_not_keep_the_place_it_no_longer_waits_for(
    collaboration,
) -> None:
    """A change sent before its placement's start is remembered too: P-1 became lasting before the
    match (a planned move from it), so its late jourhem start keeps nothing, and its end with the
    care over frees nothing that no wait kept."""
    await collaboration.feed(lasting("P-1", "2026-11-10T10:00:00Z"))
    held_home = await register(collaboration, VASTERAS, "VAS-FH-1", [UPPSALA], capacity=1)
    await matched_for(collaboration, held_home)
    await collaboration.feed(at(started(CASE, "P-1", OUTSIDE, "jourhem"), "2026-11-01T10:00:00Z"))
    await collaboration.feed(at(placement_ended(CASE, "P-1", "home_return"), "2026-11-30T10:00:00Z"))
    assert await free_places(collaboration, held_home) == 0
