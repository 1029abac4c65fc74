"""What callers ask the scheduling service to do: the typed input of its use cases."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from contracts.common import CaseId, Identifier
from services.scheduling.domain.local_time import (
    OutsideTheCalendar,
    UnclearLocalTime,
    instant_of,
    wall_clock_of,
)

HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
MAX_MEETING_LENGTH = timedelta(hours=12)
KNOWINGLY = (
    "true: the time may fall outside a participant's working time: outside their hours on the roster"
    " (an evening visitation) or on a weekend or Swedish public holiday (an emergency visitation on a"
    " Saturday); otherwise such a time is 409 outside_working_hours"
)
PAST_CAPACITY = (
    "true: the meeting may take a participant's booked hours in its ISO week (Monday to Sunday) past"
    " their weekly_capacity_hours on the roster; otherwise that is 409 over_weekly_capacity (a"
    " rescheduled meeting counts once, each occurrence of a series in its own week)"
)

MeetingTime = Annotated[
    datetime,
    AfterValidator(instant_of),  # its message names neither the value nor the field (loc does)
    Field(
        description="local Swedish wall-clock time without an offset, or a time with an explicit offset;"
        " a local time skipped or repeated at a clock change needs the offset"
    ),
]
"""A time accepted over HTTP, converted once to its instant (aware, UTC)."""


StaffRole = Literal[
    "coordinator", "family_therapist", "family_pedagogue", "parent_supporter", "case_worker", "resource_team"
]


class NewStaffMember(BaseModel):
    model_config = ConfigDict(extra="forbid")

    staff_id: Identifier
    role: StaffRole
    work_starts: HHMM = "08:00"
    work_ends: HHMM = "16:30"
    weekly_capacity_hours: int = Field(40, ge=1, le=60)


class HoursChange(BaseModel):
    """A roster member's new working hours and/or weekly capacity; what is left out is kept."""

    model_config = ConfigDict(extra="forbid")

    work_starts: HHMM | None = None
    work_ends: HHMM | None = None
    weekly_capacity_hours: int | None = Field(None, ge=1, le=60)

    @model_validator(mode="after")
    def _consistent(self) -> HoursChange:
        if self.work_starts is None and self.work_ends is None and self.weekly_capacity_hours is None:
            raise ValueError("give work_starts, work_ends or weekly_capacity_hours")
        if self.work_starts is not None and self.work_ends is not None and self.work_starts >= self.work_ends:
            raise ValueError("work_ends must be after work_starts")
        return self


class NewMeeting(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: CaseId
    # No "staff_meeting": one exists only through a referral, which gives it its deadline.
    kind: Literal["network_meeting", "visitation", "home_return_council"]
    start: MeetingTime
    end: MeetingTime
    staff_ids: list[Identifier] = Field(min_length=1, max_length=20)
    other_participants: list[Literal["parent", "child", "network", "case_worker", "resource_team"]] = []
    visitation_form: Literal["guided", "therapeutic"] | None = None
    repeat_weeks: int = Field(0, ge=0, le=26, description="a series: every N weeks")
    occurrences: int = Field(1, ge=1, le=52)
    outside_working_hours: bool = Field(False, description=KNOWINGLY)
    over_weekly_capacity: bool = Field(False, description=PAST_CAPACITY)
    _times: list[tuple[datetime, datetime]] = PrivateAttr(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> NewMeeting:
        _check_length(self.start, self.end)
        if len(set(self.staff_ids)) != len(self.staff_ids):
            raise ValueError("staff_ids: each staff member is named once")
        if self.occurrences > 1 and self.repeat_weeks == 0:
            raise ValueError("a series needs repeat_weeks")
        self._times = _series(self.start, self.end, self.repeat_weeks, self.occurrences)
        return self

    def participants_besides_staff(self) -> tuple[str, ...]:
        """The other participants; a visitation's form travels among them as ``visitation:<form>``."""
        form = (f"visitation:{self.visitation_form}",) if self.visitation_form else ()
        return (*self.other_participants, *form)

    def times(self) -> list[tuple[datetime, datetime]]:
        """(start, end) instants of every occurrence: one, or a series every ``repeat_weeks``
        weeks at the same local wall-clock time (09:00 stays 09:00 across a clock change)."""
        return list(self._times)


def _series(
    start: datetime, end: datetime, repeat_weeks: int, occurrences: int
) -> list[tuple[datetime, datetime]]:
    step = timedelta(weeks=repeat_weeks or 1)
    local_start, local_end = wall_clock_of(start), wall_clock_of(end)
    times = [(start, end)]
    for n in range(1, occurrences):
        try:
            times.append((instant_of(local_start + n * step), instant_of(local_end + n * step)))
        except (OverflowError, OutsideTheCalendar):
            raise ValueError("start: an occurrence of the series falls after the year 9999") from None
        except UnclearLocalTime:
            message = "start: an occurrence of the series falls at a local time skipped or repeated at a clock change"
            raise ValueError(message) from None
    return times


class Reschedule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: MeetingTime
    end: MeetingTime
    outside_working_hours: bool = Field(False, description=KNOWINGLY)
    over_weekly_capacity: bool = Field(False, description=PAST_CAPACITY)

    @model_validator(mode="after")
    def _consistent(self) -> Reschedule:
        _check_length(self.start, self.end)
        return self


def _check_length(start: datetime, end: datetime) -> None:
    """After its start, and at most a working day long: a year typed for a day books every day
    of that year for each participant, and keeps them from every other meeting."""
    if end <= start:
        raise ValueError("end must be after start")
    if end - start > MAX_MEETING_LENGTH:
        raise ValueError("end: a meeting lasts at most 12 hours")


class FillRole(BaseModel):
    """Who fills a role the meeting names among its other participants: a member of the roster of
    that role, judged at the meeting's time as a booking by hand judges its participants."""

    model_config = ConfigDict(extra="forbid")

    role: StaffRole
    staff_id: Identifier
    outside_working_hours: bool = Field(False, description=KNOWINGLY)
    over_weekly_capacity: bool = Field(False, description=PAST_CAPACITY)


class Cancel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=500)


class Attendance(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attended: list[Identifier] = Field(max_length=30)
    outcome: str = Field(min_length=1, max_length=2000)
