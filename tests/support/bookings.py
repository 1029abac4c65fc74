"""Who is booked into two meetings at once: the check the double-booking tests share."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from services.scheduling.application import SchedulingApplication
from services.scheduling.domain.busy_times import overlaps


def double_bookings(app: SchedulingApplication, municipality: str = "0380") -> list[tuple[str, tuple, tuple]]:
    """(person, one meeting's times, another's) for every pair of open meetings that overlap."""
    by_person = defaultdict(list)
    for row in app._open_meetings(municipality):
        for staff_id in row.staff_ids:
            by_person[staff_id].append((row.start, row.end))
    return [
        (person, a, b)
        for person, times in by_person.items()
        for a, b in combinations(times, 2)
        if overlaps(*a, *b)
    ]
