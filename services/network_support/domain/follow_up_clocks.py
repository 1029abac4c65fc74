"""The follow-up clocks of a placement: which are open, when each falls due, which dates a fact
about the placement may carry, and which school change opens a school clock (one school change,
one clock: ADR 0033).  Pure rules over a follow-up's state (``PlacementFollowUp`` keeps the state
and its events); the temporary-care clock's own are ``temporary_care``'s."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

from services.network_support.domain import temporary_care as care
from services.network_support.domain.follow_up_errors import (
    AfterPlacement,
    BeforePlacement,
    NoSchoolChange,
    SchoolStartBeforeSchoolChange,
)

PARENT_SUPPORT_WITHIN = timedelta(days=7)
SCHOOL_START_WITHIN = timedelta(days=7)
EXAMINATIONS_WITHIN = timedelta(days=30)
FROM_THE_START = {  # the clocks that run from the placement's start, and how long each
    "parent_support": PARENT_SUPPORT_WITHIN,
    "health_examination": EXAMINATIONS_WITHIN,
    "dental_examination": EXAMINATIONS_WITHIN,
}


class FollowUpState(care.TypesSaid, Protocol):
    started_on: date
    start_seen: bool
    ended_on: date | None
    parent_support_offered_on: date | None
    school_change: bool
    school_started_on: date | None
    school_clock_from: date
    school_clock_by_start: bool  # the school clock is the one a start record opened
    school_change_said_on: date | None  # a change said a school change of its own while it was open
    examinations: dict[str, date]
    passed: set[str]  # the clocks noted passed


def open_clocks(follow_up: FollowUpState) -> dict[str, date]:
    """Open clocks and when each falls due: none once the placement ended, and those from the
    start only once its start was seen."""
    due: dict[str, date] = {}
    if follow_up.ended_on is not None:
        return due
    from_start = follow_up.start_seen
    if from_start and follow_up.parent_support_offered_on is None:
        due["parent_support"] = follow_up.started_on + PARENT_SUPPORT_WITHIN
    if follow_up.school_change and follow_up.school_started_on is None:
        due["school_start"] = follow_up.school_clock_from + SCHOOL_START_WITHIN
    for kind in ("health", "dental") if from_start else ():
        if kind not in follow_up.examinations:
            due[f"{kind}_examination"] = follow_up.started_on + EXAMINATIONS_WITHIN
    if (lasting_care_due := care.due(follow_up)) is not None:
        due[care.CLOCK] = lasting_care_due
    return due


def require_within(follow_up: FollowUpState, on: date) -> None:
    """A fact is dated within the placement: from its start, and to its end once it has ended
    (recorded late, yes; dated after the end, no)."""
    if on < follow_up.started_on:
        raise BeforePlacement(f"the date is before the placement started ({follow_up.started_on})")
    if follow_up.ended_on is not None and on > follow_up.ended_on:
        raise AfterPlacement(f"the date is after the placement ended ({follow_up.ended_on})")


def newly_passed(follow_up: FollowUpState, passed: set[str], today: date) -> list[str]:
    """The open clocks whose due date is before ``today`` and not noted as passed yet."""
    return [clock for clock, due in open_clocks(follow_up).items() if today > due and clock not in passed]


def still_passed(follow_up: FollowUpState, started_on: date, today: date) -> tuple[str, ...]:
    """Of the clocks noted passed, those passed still when the placement started ``started_on``
    (temporary care's only if its stretch ran from the start: ``temporary_care.passed_still``)."""
    return tuple(
        clock
        for clock in sorted(follow_up.passed)
        if (clock not in FROM_THE_START or today > started_on + FROM_THE_START[clock])
        and (clock != care.CLOCK or care.passed_still(follow_up, today, started_on))
    )


def is_new_school_change(follow_up: FollowUpState, on: date) -> bool:
    """A school change made on ``on`` opens a clock unless it is one already followed: the
    placement ended, a school clock is open (the same change, sent again), or the child started
    school on or after ``on`` (the change that clock followed, sent again after it was met)."""
    if follow_up.ended_on is not None or "school_start" in open_clocks(follow_up):
        return False
    return follow_up.school_started_on is None or on > follow_up.school_started_on


def withdrawable(follow_up: FollowUpState) -> bool:
    """The school clock a start opened, still open: a start corrected to no change of school
    withdraws it.  One with its school start recorded, or one a change opened, stays."""
    return follow_up.school_clock_by_start and "school_start" in open_clocks(follow_up)


def says_own_school_change(follow_up: FollowUpState) -> bool:
    """A change saying a school change while the clock a start opened is open: the same clock for
    now (one school change, one clock), but a change the case system made, so a start corrected to
    none leaves a clock from the change's day.  The first one said is kept: had the start said
    none, the first change would have opened the clock and later ones repeated it."""
    return withdrawable(follow_up) and follow_up.school_change_said_on is None


def require_school_start(follow_up: FollowUpState, on: date) -> None:
    """A school start closes the school clock: there is one, and it is dated within the placement
    and not before the school change that opened the clock."""
    if not follow_up.school_change:
        raise NoSchoolChange("this placement did not change school")
    require_within(follow_up, on)
    if on < follow_up.school_clock_from:
        raise SchoolStartBeforeSchoolChange(
            "on: a school start cannot be dated before the school change that opened its clock"
        )
