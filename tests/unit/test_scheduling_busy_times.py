"""A member's busy times answer "free then?" by bisection exactly as a scan of every booking would,
whatever the bookings: overlapping, nested, touching or none."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from services.scheduling.domain.busy_times import BusyTimes, overlaps

MONDAY = datetime(2026, 11, 23, 8, 0)
quarter_hours = st.integers(min_value=0, max_value=4 * 24).map(lambda n: MONDAY + timedelta(minutes=15 * n))
intervals = st.tuples(quarter_hours, st.integers(min_value=1, max_value=12)).map(
    lambda pair: (pair[0], pair[0] + timedelta(minutes=15 * pair[1]))
)


@given(booked=st.lists(intervals, max_size=12), asked=intervals)
def test_busy_times_say_free_exactly_when_no_booking_overlaps(booked, asked) -> None:
    scanned = not any(overlaps(*asked, *interval) for interval in booked)
    assert BusyTimes(booked).is_free(*asked) is scanned


def test_a_time_inside_a_long_booking_is_busy_though_a_later_shorter_one_ended_before_it() -> None:
    long_morning = (MONDAY, MONDAY + timedelta(hours=4))
    short_in_it = (MONDAY + timedelta(hours=1), MONDAY + timedelta(hours=2))
    busy = BusyTimes([short_in_it, long_morning])
    assert not busy.is_free(MONDAY + timedelta(hours=2, minutes=30), MONDAY + timedelta(hours=3, minutes=30))
    assert busy.is_free(MONDAY + timedelta(hours=4), MONDAY + timedelta(hours=5))
