"""What callers ask the scheduling service to do: the typed input of its use cases."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from contracts.common import CaseId, Identifier

HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class NewStaffMember(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_id: Identifier
    role: Literal[
        "coordinator",
        "family_therapist",
        "family_pedagogue",
        "parent_supporter",
        "case_worker",
        "resource_team",
    ]
    work_starts: HHMM = "08:00"
    work_ends: HHMM = "16:30"
    weekly_capacity_hours: int = Field(40, ge=1, le=60)


class NewMeeting(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: CaseId
    kind: Literal["network_meeting", "visitation", "home_return_council", "staff_meeting"]
    start: datetime = Field(description="local Swedish time, no offset")
    end: datetime
    staff_ids: list[Identifier] = Field(min_length=1, max_length=20)
    other_participants: list[Literal["parent", "child", "network", "case_worker", "resource_team"]] = []
    visitation_form: Literal["guided", "therapeutic"] | None = None
    repeat_weeks: int = Field(0, ge=0, le=26, description="a series: every N weeks")
    occurrences: int = Field(1, ge=1, le=52)

    @model_validator(mode="after")
    def _consistent(self) -> NewMeeting:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("start and end are local Swedish times without an offset")
        if self.end <= self.start:
            raise ValueError("end must be after start")
        if self.occurrences > 1 and self.repeat_weeks == 0:
            raise ValueError("a series needs repeat_weeks")
        return self

    def participants_besides_staff(self) -> tuple[str, ...]:
        """The other participants; a visitation's form travels among them as ``visitation:<form>``."""
        form = (f"visitation:{self.visitation_form}",) if self.visitation_form else ()
        return (*self.other_participants, *form)

    def times(self) -> list[tuple[datetime, datetime]]:
        """(start, end) of every occurrence: one, or a series every ``repeat_weeks`` weeks."""
        step = timedelta(weeks=self.repeat_weeks or 1)
        return [(self.start + n * step, self.end + n * step) for n in range(self.occurrences)]


class Reschedule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: datetime
    end: datetime


class Cancel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500)


class Attendance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attended: list[Identifier] = Field(max_length=30)
    outcome: str = Field(min_length=1, max_length=2000)
