"""What the scheduling API answers, each made from a use case's result by ``of``."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import Response
from pydantic import BaseModel, Field, RootModel

from services.kit.pages import Page, Paged
from services.scheduling.calendar_feed import to_ical
from services.scheduling.domain.local_time import stored_instant
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.staff_member import StaffMember
from services.scheduling.read_models import MeetingRow, Schedule, StaffRow

ICAL = "text/calendar; charset=utf-8"
ICAL_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {}}, "description": "an iCalendar (RFC 5545) feed"}
}


class StaffView(BaseModel):
    staff_id: str
    role: str
    work_starts: str
    work_ends: str
    weekly_capacity_hours: int

    @classmethod
    def of(cls, member: StaffMember) -> StaffView:
        return cls(
            staff_id=member.staff_id,
            role=member.role,
            work_starts=member.work_starts,
            work_ends=member.work_ends,
            weekly_capacity_hours=member.weekly_capacity_hours,
        )

    @classmethod
    def of_row(cls, row: StaffRow) -> StaffView:
        return cls(
            staff_id=row.staff_id,
            role=row.role,
            work_starts=row.hours.starts.strftime("%H:%M"),
            work_ends=row.hours.ends.strftime("%H:%M"),
            weekly_capacity_hours=row.weekly_capacity_hours,
        )


class RosterView(Page[StaffView]):
    """A page of the roster."""

    @classmethod
    def of(cls, rows: Paged[StaffRow]) -> RosterView:
        return cls(**cls.fields_of(rows, StaffView.of_row))


class NoContent(BaseModel):
    """The (empty) result of a command answered with 204."""

    @classmethod
    def of(cls, _: object) -> NoContent:
        return cls()


class MeetingView(BaseModel):
    meeting_id: UUID
    case_id: str
    kind: str
    start: datetime
    end: datetime
    staff_ids: list[str]
    other_participants: list[str] = Field(
        default_factory=list,
        description="who else takes part, by role (parent, child, case_worker, ...); a staff role named "
        "here is for the coordinator to fill (POST .../fill-role): nobody of it was free, or its member left "
        "the roster",
    )
    status: str
    deadline: datetime | None = None
    deadline_missed: bool = False
    # ``start`` and ``end`` are Swedish wall-clock times; these are the instants they name (an hour
    # repeated when the clocks go back reads the same on the wall, not here).
    starts_at: datetime | None = Field(None, description="the instant `start` names, with its UTC offset")
    ends_at: datetime | None = Field(None, description="the instant `end` names, with its UTC offset")

    @classmethod
    def of(cls, meeting: Meeting) -> MeetingView:
        return cls(
            meeting_id=meeting.id,
            case_id=meeting.case_id,
            kind=meeting.kind,
            start=meeting.start,
            end=meeting.end,
            staff_ids=list(meeting.staff_ids),
            other_participants=list(meeting.other_participants),
            status=meeting.status,
            deadline=meeting.deadline,
            deadline_missed=meeting.deadline_missed,
            starts_at=meeting.starts_at,
            ends_at=meeting.ends_at,
        )

    @classmethod
    def of_row(cls, row: MeetingRow) -> MeetingView:
        return cls(
            meeting_id=row.meeting_id,
            case_id=row.case_id,
            kind=row.kind,
            start=row.start,
            end=row.end,
            staff_ids=list(row.staff_ids),
            other_participants=list(row.other_participants),
            status=row.status,
            deadline=row.deadline,
            deadline_missed=row.deadline_missed,
            starts_at=stored_instant(row.start, row.starts_at),
            ends_at=stored_instant(row.end, row.ends_at),
        )


class BookedMeetings(RootModel[list[MeetingView]]):
    @classmethod
    def of(cls, meetings: list[Meeting]) -> BookedMeetings:
        return cls([MeetingView.of(meeting) for meeting in meetings])


class CalendarView(Page[MeetingView]):
    """A page of a calendar, in order of start."""

    @classmethod
    def of(cls, schedule: Schedule) -> CalendarView:
        return cls(**cls.fields_of(Paged(schedule.meetings, schedule.next_key), MeetingView.of_row))


class ICalendarFeed(BaseModel):
    """A calendar as iCalendar text: no personal identity numbers, no names.

    Not paged: the meetings from 30 days before now to 400 days ahead (``calendars.FEED_PAST``
    and ``FEED_AHEAD``).
    """

    text: str

    @classmethod
    def of(cls, schedule: Schedule) -> ICalendarFeed:
        return cls(text=to_ical(schedule.title, schedule.meetings).decode())

    def response(self) -> Response:
        return Response(self.text, media_type=ICAL)
