"""When one staff member is already booked, asked "free from start to end?" many times over.

The slot finder asks that for every member at every half hour it tries, and a member's
bookings grow with every meeting convened: scanning them all for each question made
convening a staff meeting cost more with each one booked (bench/staff_meetings.py).
Sorted by start, with the latest end so far beside each, one question is a bisection.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from datetime import datetime
from itertools import accumulate


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end


class BusyTimes:
    """One member's booked intervals (naive local wall-clock times), overlapping or not."""

    def __init__(self, intervals: Iterable[tuple[datetime, datetime]]) -> None:
        ordered = sorted(intervals)
        self._starts = [start for start, _ in ordered]
        # The latest end among the intervals up to each one: any of them still running at a
        # moment shows there, whichever it is.
        self._latest_ends = list(accumulate((end for _, end in ordered), max))

    def is_free(self, start: datetime, end: datetime) -> bool:
        """No interval overlaps [start, end): none that starts before ``end`` ends after ``start``."""
        starting_before_end = bisect_left(self._starts, end)
        return starting_before_end == 0 or self._latest_ends[starting_before_end - 1] <= start
