"""Passing the participants' weeks before their hours are read (ADR 0026, addendum).

Every write that adds hours to a person's ISO week (a booking by hand, each occurrence of a
series, a reschedule, a staff meeting convened, an invitee added to one) passes that person's
``PersonWeek`` in its unit of work, before it reads what the week already holds: another writer
that stores hours in the same week at the same moment then conflicts with it, and whichever stores
last is run again (the kit's command path, the kit's applier) on what the first stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from services.scheduling.base import SchedulingBase
from services.scheduling.domain.person_week import PersonWeek
from services.scheduling.domain.slot_finder import week_of


class PersonWeekUseCases(SchedulingBase):
    def _through_weeks(self, municipality: str, staff_ids: Iterable[str], starts: Iterable[datetime]) -> None:
        """Pass the week of each of ``starts`` (local wall-clock times) of each of ``staff_ids``, once
        per unit of work (to save): the week a meeting's hours count in is its start's."""
        passed = self._pending_aggregates() or {}
        weeks = {week_of(start) for start in starts}
        ids = sorted(
            {PersonWeek.id_for(municipality, staff_id, week) for staff_id in staff_ids for week in weeks}
        )
        for week_id in ids:
            if week_id in passed:
                continue
            week = self._get(week_id)
            if isinstance(week, PersonWeek):
                week.pass_through()
            else:
                week = PersonWeek(id=week_id)
            self.save(week)
