"""A staff meeting not held by its due date, noted once (issue 16 item 3).

Its own aggregate, not an event of the meeting: a meeting's version is its iCalendar SEQUENCE,
which only a change of the meeting itself may raise.  One per meeting, by a stable id, so the
sweep that notes it can run again (or on two replicas) without noting it twice.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id

RESPONSIBLE_ROLE = "coordinator"


class OverdueStaffMeeting(Aggregate):
    class Noted(Aggregate.Created):
        municipality: str
        case_id: str
        meeting_id: str
        due: date

    @staticmethod
    def id_for(meeting_id: str) -> UUID:
        return stable_id("scheduling", "overdue-staff-meeting", meeting_id)

    @classmethod
    def create_id(cls, meeting_id: str, **_: object) -> UUID:
        return cls.id_for(meeting_id)

    @event(Noted)
    def __init__(self, municipality: str, case_id: str, meeting_id: str, due: date) -> None:
        self.municipality, self.case_id, self.meeting_id, self.due = municipality, case_id, meeting_id, due
