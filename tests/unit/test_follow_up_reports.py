"""The monthly SAMS and Stella reports as pure functions (issue 16, item 6)."""

from __future__ import annotations

from datetime import date

from services.network_support.domain.follow_up_reports import (
    FollowUpFacts,
    parent_support_report,
    school_start_report,
)

NOV_1, NOV_30, TODAY = date(2026, 11, 1), date(2026, 11, 30), date(2026, 12, 3)


def facts(case_id: str, started_on: date, **kwargs) -> FollowUpFacts:
    return FollowUpFacts("0380", case_id, f"P-{case_id}", started_on, **kwargs)


def test_a_school_change_counts_in_the_month_its_clock_started_not_the_placements() -> None:
    changed = facts("C1", date(2026, 10, 1), school_clocks=((date(2026, 11, 12), date(2026, 11, 20)),))
    month = school_start_report([changed], NOV_1, NOV_30, TODAY)
    [row] = month.rows
    assert (row.placed_on, row.days, row.within_week, row.still_open) == (date(2026, 11, 12), 8, False, False)
    assert month.share_within_week == 0.0


def test_a_placement_that_ended_before_school_started_is_closed_at_its_end_not_still_open() -> None:
    ended = facts(
        "C1", date(2026, 11, 2), school_clocks=((date(2026, 11, 2), None),), ended_on=date(2026, 11, 5)
    )
    [row] = school_start_report([ended], NOV_1, NOV_30, TODAY).rows
    assert (row.days, row.still_open, row.within_week) == (3, False, False)


def test_a_month_without_school_changes_has_no_share() -> None:
    assert (
        school_start_report([facts("C1", date(2026, 11, 2))], NOV_1, NOV_30, TODAY).share_within_week is None
    )


def test_parent_support_counts_the_months_placements_by_when_support_was_offered() -> None:
    rows = [
        facts("C1", date(2026, 11, 2), parent_support_offered_on=date(2026, 11, 9)),  # 7 days: within
        facts("C2", date(2026, 11, 2), parent_support_offered_on=date(2026, 11, 10)),  # 8 days: later
        facts("C3", date(2026, 11, 29)),  # not offered yet, within its week
        facts("C4", date(2026, 10, 2), sessions=((date(2026, 11, 3), "in_person", "father"),)),
    ]
    [uppsala] = parent_support_report(rows, NOV_1, NOV_30, TODAY)
    assert (uppsala.placements_started, uppsala.offered_within_week, uppsala.offered_later) == (3, 1, 1)
    assert (uppsala.not_offered, uppsala.not_due) == (0, 1)  # C3's week runs to 2026-12-06
    assert (uppsala.sessions, uppsala.sessions_by_parent) == (1, {"father": 1})
