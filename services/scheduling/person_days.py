"""Keeping each participant's days in step with their meetings (ADR 0021).

A booking, a reschedule and a cancel change the participants' ``PersonDay``s in the same
unit of work as the meeting.  Reading them goes through the kit's repository, so a day
changed earlier in the same unit of work (a consumer batch) is seen as changed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import UUID

from services.scheduling.domain.local_time import wall_clock_of
from services.scheduling.domain.meeting import Meeting, MeetingError
from services.scheduling.domain.person_day import PersonDay
from services.scheduling.person_weeks import PersonWeekUseCases

Days = dict[UUID, PersonDay]


class DoubleBooking(MeetingError):
    """A participant already has a meeting at that time."""


class PersonDayUseCases(PersonWeekUseCases):
    def _clashing_days(self, meeting: Meeting, days: Days) -> list[PersonDay]:
        """The participants' days on which the meeting's time is already taken by another."""
        return [
            day
            for staff_id in meeting.staff_ids
            for day in self._days_of(meeting.municipality, staff_id, meeting, days)
            if not day.is_free(meeting.starts_at, meeting.ends_at, str(meeting.id))
        ]

    def _claim(self, meeting: Meeting, days: Days) -> None:
        """Book the meeting's time on each participant's day(s); a clash raises ``DoubleBooking``
        naming the participant by their place in ``staff_ids``, never by id."""
        for n, staff_id in enumerate(meeting.staff_ids):
            for day in self._days_of(meeting.municipality, staff_id, meeting, days):
                if not day.is_free(meeting.starts_at, meeting.ends_at, str(meeting.id)):
                    raise DoubleBooking(f"already booked at that time: staff_ids[{n}]")
                day.book(str(meeting.id), meeting.starts_at, meeting.ends_at)

    def _release(self, meeting: Meeting, days: Days) -> None:
        """Free the meeting's time on its participants' days (those it was booked on)."""
        for staff_id in meeting.staff_ids:
            for day in self._days_of(meeting.municipality, staff_id, meeting, days, open_missing=False):
                day.free(str(meeting.id))

    def _days_of(
        self, municipality: str, staff_id: str, meeting: Meeting, days: Days, open_missing: bool = True
    ) -> list[PersonDay]:
        found = []
        for on in local_dates(meeting.starts_at, meeting.ends_at):
            day_id = PersonDay.id_for(municipality, staff_id, on)
            if day_id not in days:
                stored = self._get(day_id)
                if isinstance(stored, PersonDay):
                    days[day_id] = stored
                elif open_missing:
                    days[day_id] = PersonDay(municipality=municipality, staff_id=staff_id, day=on)
            if day_id in days:
                found.append(days[day_id])
        return found


def changed(days: Days) -> list[PersonDay]:
    """The days to save: those with something new (a day only looked at is not stored)."""
    return [day for day in days.values() if day.pending_events]


def local_dates(starts_at: datetime, ends_at: datetime) -> list[date]:
    """The local Swedish dates a time touches (a meeting ending at midnight does not touch the next)."""
    first = wall_clock_of(starts_at).date()
    last = wall_clock_of(ends_at - timedelta(microseconds=1)).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def wall_clock_intervals(day: PersonDay) -> list[tuple[datetime, datetime]]:
    """A day's bookings as the slot finder's local wall-clock intervals."""
    return [(wall_clock_of(start), wall_clock_of(end)) for start, end in day.intervals()]
