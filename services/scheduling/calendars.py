"""Calendar use cases: a staff member's meetings and a case's meetings, in order of start.

As JSON a calendar is paged (``services.kit.pages``), by (start, meeting id).  As an
iCalendar feed it is one document, bounded by time instead: the meetings that start from
``FEED_PAST`` before now to ``FEED_AHEAD`` after it (a calendar app subscribes to it and
gets no cursor to follow).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound, CaseRef
from services.kit.pages import PageRequest
from services.scheduling.base import SchedulingBase
from services.scheduling.calendar_feed import PROTECTED
from services.scheduling.read_models import MeetingRow, Schedule

FEED_PAST = timedelta(days=30)
FEED_AHEAD = timedelta(days=400)


def calendar_key(row: MeetingRow) -> list[str]:
    """A calendar's sort key: start, then meeting id (two meetings may start at once)."""
    return [row.start.isoformat(timespec="microseconds"), str(row.meeting_id)]


class CalendarUseCases(SchedulingBase):
    def staff_calendar(self, caller: Caller, staff_id: str, page: PageRequest) -> Schedule:
        return self._paged(self._staff_schedule(caller, staff_id), page)

    def staff_calendar_feed(self, caller: Caller, staff_id: str) -> Schedule:
        return self._in_feed_window(self._staff_schedule(caller, staff_id))

    def case_calendar(self, caller: Caller, case_id: str, page: PageRequest) -> Schedule:
        return self._paged(self._case_schedule(caller, case_id), page)

    def case_calendar_feed(self, caller: Caller, case_id: str) -> Schedule:
        return self._in_feed_window(self._case_schedule(caller, case_id))

    def _staff_schedule(self, caller: Caller, staff_id: str) -> Schedule:
        self._staff_member(caller.municipality, staff_id)
        return self._schedule(f"natverk {staff_id}", caller, lambda row: staff_id in row.staff_ids)

    def _case_schedule(self, caller: Caller, case_id: str) -> Schedule:
        """The case is (the caller's municipality, case id): another municipality's is not there."""
        schedule = self._schedule(f"natverk case {case_id}", caller, lambda row: row.case_id == case_id)
        if not schedule.meetings:
            raise CaseDataNotFound(CaseRef(caller.municipality, case_id))
        if any(row.protected_identity for row in schedule.meetings):  # its feed's name says no more
            return replace(schedule, title=f"natverk {PROTECTED.lower()}")
        return schedule

    def _schedule(self, title: str, caller: Caller, shows: Callable[[MeetingRow], bool]) -> Schedule:
        """The caller's municipality's meetings that ``shows`` picks, by (start, meeting id): rows only.
        Every meeting of a case with a protected child is marked so, whichever meeting said it."""
        protected = self._protected_cases(caller.municipality)
        rows = [
            replace(row, protected_identity=row.case_id in protected)
            for row in self._meetings.rows()
            if row.municipality == caller.municipality and shows(row)
        ]
        return Schedule(title, tuple(sorted(rows, key=calendar_key)))

    @staticmethod
    def _paged(schedule: Schedule, page: PageRequest) -> Schedule:
        chosen = page.select(schedule.meetings, key=calendar_key)
        return Schedule(schedule.title, tuple(chosen.items), chosen.next_key)

    def _in_feed_window(self, schedule: Schedule) -> Schedule:
        now = self.clock()
        shown = (row for row in schedule.meetings if now - FEED_PAST <= row.start <= now + FEED_AHEAD)
        return Schedule(schedule.title, tuple(shown))
