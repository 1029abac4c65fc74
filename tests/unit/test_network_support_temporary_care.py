"""The temporary-care clock's rules (ADR 0033 addendum): six calendar months, read from the types
the records said by day, with a note of its miss kept only while the records say it was missed."""

from __future__ import annotations

from datetime import date

import pytest

from services.network_support.domain.placement_follow_up import PlacementFollowUp
from services.network_support.domain.temporary_care import CLOCK, months_later

START = date(2026, 11, 2)
DUE = date(2027, 5, 2)


def in_emergency_home() -> PlacementFollowUp:
    return PlacementFollowUp(
        municipality="0380",
        case_id="C-1",
        placement_id="P-1",
        placement_type="jourhem",
        started_on=START,
        school_change=False,
        types_kept=True,
    )


@pytest.mark.parametrize(
    ("day", "six_months_later"),
    [
        (date(2026, 11, 2), date(2027, 5, 2)),
        (date(2026, 12, 31), date(2027, 6, 30)),
        (date(2026, 8, 31), date(2027, 2, 28)),
        (date(2027, 8, 31), date(2028, 2, 29)),  # a leap year
        (date(2027, 7, 15), date(2028, 1, 15)),  # into the next year
    ],
)
def test_six_months_later_is_the_same_day_number_or_the_last_day_of_a_shorter_month(
    day: date, six_months_later: date
) -> None:
    assert months_later(day, 6) == six_months_later


def test_a_start_corrected_to_a_foster_family_withdraws_the_clock_and_its_note() -> None:
    placed = in_emergency_home()
    placed.note_passed_deadlines(date(2027, 5, 3))
    placed.say_type("familjehem", None, date(2027, 5, 4))
    assert (CLOCK in placed.due_dates(), CLOCK in placed.passed) == (False, False)


def test_a_lasting_type_dated_before_the_due_day_but_told_after_the_miss_was_noted_unnotes_it() -> None:
    """The decision was made in time; the case system told of it late.  The event published for the
    note stays (a published event is not recalled), as for a start dated anew."""
    placed = in_emergency_home()
    placed.note_passed_deadlines(date(2027, 5, 3))
    placed.say_type("familjehem", date(2027, 4, 20), date(2027, 5, 10))
    assert CLOCK not in placed.passed


def test_a_type_told_again_stores_nothing() -> None:
    placed = in_emergency_home()
    placed.say_type("jourhem", date(2026, 12, 1), START)
    placed.collect_events()
    placed.say_type("jourhem", date(2026, 12, 1), START)
    placed.say_type("jourhem", None, START)
    assert placed.collect_events() == []


def test_a_type_told_after_the_end_changes_nothing() -> None:
    placed = in_emergency_home()
    placed.end(date(2026, 12, 20))
    placed.collect_events()
    placed.say_type("familjehem", date(2026, 12, 1), START)
    assert placed.collect_events() == []


def test_a_follow_up_stored_before_types_were_kept_waits_for_a_change_to_say_its_type() -> None:
    old = PlacementFollowUp(
        municipality="0380",
        case_id="C-1",
        placement_id="P-1",
        placement_type="jourhem",
        started_on=START,
        school_change=False,
    )
    assert CLOCK not in old.due_dates()
    old.say_type("jourhem", date(2026, 12, 1), START)
    assert old.due_dates()[CLOCK] == DUE
