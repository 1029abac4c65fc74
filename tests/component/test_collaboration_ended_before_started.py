"""A placement whose end arrives before its start (a case system's records out of order) takes no
place in the pool on its late start or change (ADR 0022, addendum "a protected case's held place",
its last point), through the kit's real tracking consumer and HTTP with a JWT.  Before, only an end
that freed a home of the pool counted as ended, so a placement ended before it was ever in the pool
moved into the home its late start named, for good (no end was left to free it), and every partner
the home is shared with saw it taken."""

from __future__ import annotations

from typing import Any

import pytest

from tests.component.test_collaboration_case_protection_http import (
    changed,
    collaboration,
    partner_envelopes,
)
from tests.component.test_collaboration_http import GAVLE, UPPSALA, VASTERAS, as_, register
from tests.support.events import placement_ended, placement_started

__all__ = ["collaboration"]  # the fixture that feeds its placements consumer

CASE = "0380-C-1"
HOME = "UPP-FH-1"  # Uppsala's own home, shared with both partners


def in_home(**data: Any) -> dict[str, Any]:
    return {"municipality": UPPSALA, "placement_type": "familjehem", "family_home_id": HOME, **data}


LATE = {
    "its start": lambda: placement_started(CASE, "P-1", **in_home()),
    "a change of it": lambda: changed(CASE, "P-1", **in_home(school_change=True)),
}


@pytest.mark.parametrize("late", list(LATE))
async def test_a_placement_ended_before_its_start_arrived_takes_no_place_on_its_late_records(
    collaboration, late: str
) -> None:
    home_id = await register(collaboration, UPPSALA, HOME, [VASTERAS, GAVLE], capacity=1)
    await collaboration.feed(placement_ended(CASE, "P-1", "home_return", **in_home()))
    told_before = len(partner_envelopes(collaboration))
    await collaboration.feed(LATE[late]())
    own = await collaboration.get(f"/api/v1/family-homes/{home_id}", headers=as_(UPPSALA))
    assert (own.json()["occupied_places"], own.json()["free_places"]) == (0, 1)
    assert partner_envelopes(collaboration)[told_before:] == []
