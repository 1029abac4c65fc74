"""What ``PATCH /api/v1/staff/{staff_id}`` answers: the member with their new hours and what no
longer fits them, left as booked for the coordinator (ADR 0026, addenda)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

from services.scheduling.api.views import StaffView
from services.scheduling.domain.local_time import stored_instant
from services.scheduling.domain.working_time import WeekOverCapacity
from services.scheduling.read_models import MeetingRow
from services.scheduling.staff_hours import MOST_NAMED, ChangedHours


class MeetingTimeView(BaseModel):
    """A meeting by id and time alone: its case and participants are in the calendar."""

    meeting_id: UUID
    start: datetime
    end: datetime
    starts_at: datetime = Field(description="the instant `start` names, with its UTC offset")
    ends_at: datetime = Field(description="the instant `end` names, with its UTC offset")

    @classmethod
    def of_row(cls, row: MeetingRow) -> MeetingTimeView:
        return cls(
            meeting_id=row.meeting_id,
            start=row.start,
            end=row.end,
            starts_at=stored_instant(row.start, row.starts_at),
            ends_at=stored_instant(row.end, row.ends_at),
        )


class WeekOverCapacityView(BaseModel):
    """An ISO week already holding more hours of a member's meetings (open or held) than their capacity."""

    week_starts: date = Field(description="the week's Monday (ISO week, local Swedish time)")
    booked_hours: float = Field(
        description="the hours of their meetings that week, open or held (not cancelled)"
    )
    weekly_capacity_hours: int = Field(description="their capacity, which it is past")

    @classmethod
    def of(cls, week: WeekOverCapacity) -> WeekOverCapacityView:
        return cls(
            week_starts=week.week_starts,
            booked_hours=week.booked_hours,
            weekly_capacity_hours=int(week.capacity),
        )


class StaffHoursView(StaffView):
    """The member with their new hours, and their meetings not yet begun now outside them: left
    as booked, for the coordinator to move, or keep as booked there knowingly."""

    outside_hours: list[MeetingTimeView] = Field(description=f"the earliest {MOST_NAMED}, in order of start")
    outside_hours_count: int = Field(description="all of them, however many are listed")
    over_capacity: list[WeekOverCapacityView] = Field(
        description=f"the weeks from the current one on (the earliest {MOST_NAMED}, in order) already"
        " holding more hours than the new weekly capacity: their meetings stay booked, for the"
        " coordinator to rebook; a week at exactly its capacity is not named"
    )

    @classmethod
    def of(cls, changed: ChangedHours) -> StaffHoursView:  # type: ignore[override]
        return cls(
            **StaffView.of(changed.member).model_dump(),
            outside_hours=[MeetingTimeView.of_row(row) for row in changed.outside_hours],
            outside_hours_count=changed.outside_hours_count,
            over_capacity=[WeekOverCapacityView.of(week) for week in changed.over_capacity],
        )
