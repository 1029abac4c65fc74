"""A return home among placement records the case system corrects (ADR 0033 addendum, 2026-12-05,
corrections): a later record for the same placement with another start or end date is the one
that counts (the last told wins, as for a start dated anew), and whether the follow-up is open is
decided from the placements' dates as stored, so every order of the records ends the same, also
when a break-off was made on a date corrected since.  Placement records through the kit's real
tracking consumer; the processes and the worklist read over HTTP with a JWT."""

from __future__ import annotations

from datetime import date
from itertools import permutations
from typing import Any

import pytest

from tests.component.conftest import service_app
from tests.component.test_network_support_home_return_records_in_any_order_http import (
    BROKEN_ON_THE_NEW_START,
    BROKEN_ON_THE_RETURN,
    FOLLOWED_UP,
    HOMES,
    OVERDUE,
    PLACED_AGAIN,
    WENT_HOME,
    WORKER,
    ended,
    home_from_p1,
    network_support,
    outcome,
    p2_ended,
    p2_started,
)
from tests.support.events import placement_started
from tests.support.worklists import published

__all__ = ["network_support"]


def corrected_after_the_first(records: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Every order of ``records`` in which the last one (a correction) comes after the one before it
    (the record it corrects): the case system corrects what it told."""
    first, correction = len(records) - 2, len(records) - 1
    orders = (o for o in permutations(range(len(records))) if o.index(first) < o.index(correction))
    return [[records[n] for n in order] for order in orders]


def in_every_order(records: list[dict[str, Any]]) -> Any:
    orders = corrected_after_the_first(records)
    return pytest.mark.parametrize("records", orders, ids=[f"order{n}" for n in range(len(orders))])


async def outcome_of(client: Any, records: list[dict[str, Any]]) -> tuple[Any, ...]:
    for record in records:
        await client.feed(record)
    return await outcome(client)


# P-2 (begun 2026-11-01) ended the day P-1 sent the child home, then corrected to a week later:
# the child was in P-2 across the return, never home.
END_CORRECTED_PAST_THE_RETURN = [
    home_from_p1(),
    p2_started("2026-11-01"),
    p2_ended("2026-11-01", WENT_HOME),
    p2_ended("2026-11-01", "2026-12-02"),
]


@in_every_order(END_CORRECTED_PAST_THE_RETURN)
async def test_an_end_date_corrected_to_run_past_the_return_breaks_the_follow_up_off_in_every_order(
    network_support, records: list[dict[str, Any]]
) -> None:
    assert await outcome_of(network_support, records) == BROKEN_ON_THE_RETURN


# The other way round: told as running past the return, corrected to have ended by it.
END_CORRECTED_TO_THE_RETURN = [
    home_from_p1(),
    p2_started("2026-11-01"),
    p2_ended("2026-11-01", "2026-12-02"),
    p2_ended("2026-11-01", WENT_HOME),
]


@in_every_order(END_CORRECTED_TO_THE_RETURN)
async def test_an_end_date_corrected_to_the_day_of_the_return_leaves_the_follow_up_open_in_every_order(
    network_support, records: list[dict[str, Any]]
) -> None:
    assert await outcome_of(network_support, records) == FOLLOWED_UP


# P-2 told as begun after the return, then corrected to have begun before it, its end not told:
# an older placement told late (the rule for an earlier start), so the return stands.
START_CORRECTED_TO_BEFORE_THE_RETURN = [home_from_p1(), p2_started("2026-12-01"), p2_started("2026-11-01")]


@in_every_order(START_CORRECTED_TO_BEFORE_THE_RETURN)
async def test_a_start_date_corrected_to_before_the_return_leaves_the_follow_up_open_in_every_order(
    network_support, records: list[dict[str, Any]]
) -> None:
    assert await outcome_of(network_support, records) == FOLLOWED_UP


# As above, with P-3 begun 2026-12-02: the follow-up back open is broken off by P-3.
START_CORRECTED_WITH_A_LATER_PLACEMENT = [
    home_from_p1(),
    placement_started("C-1", "P-3", start_date="2026-12-02"),
    p2_started("2026-12-01"),
    p2_started("2026-11-01"),
]
BROKEN_ON_P3 = ([("broken_off", "broken_off", "2026-12-02", PLACED_AGAIN)], [])


@in_every_order(START_CORRECTED_WITH_A_LATER_PLACEMENT)
async def test_a_start_date_corrected_away_leaves_the_follow_up_broken_off_by_another_placement_in_every_order(
    network_support, records: list[dict[str, Any]]
) -> None:
    assert await outcome_of(network_support, records) == BROKEN_ON_P3


@in_every_order([home_from_p1(), p2_started("2026-11-01"), p2_started("2026-12-01")])
async def test_a_start_date_corrected_to_after_the_return_breaks_the_follow_up_off_in_every_order(
    network_support, records: list[dict[str, Any]]
) -> None:
    assert await outcome_of(network_support, records) == BROKEN_ON_THE_NEW_START


async def test_a_follow_up_staff_broke_off_stays_broken_off_whatever_a_start_is_corrected_to(
    network_support,
) -> None:
    """Staff's judgement is theirs: only a break-off a placement record made is reconsidered."""
    await network_support.feed(home_from_p1())
    moved = await network_support.post(
        "/api/v1/cases/C-1/home-return",
        headers=WORKER,
        json={"phase": "broken_off", "on": "2026-12-01", "reason": "The parents moved away"},
    )
    assert moved.status_code == 200, moved.text
    await network_support.feed(p2_started("2026-12-01"))
    await network_support.feed(p2_started("2026-11-01"))
    [process] = (await network_support.get(HOMES, headers=WORKER)).json()["processes"]
    assert (process["outcome"], process["reason"]) == ("broken_off", "The parents moved away")
    assert (await outcome(network_support))[1] == []


def p_ended(placement_id: str, start: str, end: str, reason: str = "home_return") -> dict[str, Any]:
    return ended(placement_id, start, end, reason)


# P-0 sent the child home on 2026-11-10; P-1 (begun 2026-11-15) sent them home again on 11-25; P-2
# told as begun 12-01, corrected to 11-01 (before P-0's return, its end not told).  Told before the
# correction, P-2's start broke the first follow-up off on 12-01, so P-1's return, dated before that,
# was taken as followed already; the correction must bring it back as P-1's own follow-up.
RETURN_TOLD_WHILE_BROKEN_OFF = [
    p_ended("P-0", "2026-01-01", "2026-11-10"),
    p_ended("P-1", "2026-11-15", WENT_HOME),
    p2_started("2026-12-01"),
    p2_started("2026-11-01"),
]


@in_every_order(RETURN_TOLD_WHILE_BROKEN_OFF)
async def test_a_return_home_told_while_a_corrected_start_had_broken_the_follow_up_off_is_followed_up_in_every_order(
    network_support, records: list[dict[str, Any]]
) -> None:
    processes, dues = await outcome_of(network_support, records)
    assert (processes[-1], dues) == (("follow_up", "follow_up", WENT_HOME, None), ["2026-12-25"])


async def test_a_follow_up_noted_missed_then_broken_off_on_a_start_corrected_since_is_listed_again_and_not_noted_twice(
    network_support,
) -> None:
    """Reopened past its due day, it is overdue at once; the miss noted before stays the one noted."""
    app = service_app(network_support)
    await network_support.feed(home_from_p1())
    app.today = lambda: date(2027, 1, 30)  # long past the follow-up's due day, 2026-12-25
    assert app.check_home_return_follow_ups() == 1
    await network_support.feed(p2_started("2027-01-10"))
    assert (await outcome(network_support))[1] == []  # broken off: off the worklist
    await network_support.feed(p2_started("2026-11-01"))  # corrected: begun before the return
    assert await outcome(network_support) == FOLLOWED_UP
    assert app.check_home_return_follow_ups() == 0
    assert len(published(network_support, OVERDUE)) == 1
