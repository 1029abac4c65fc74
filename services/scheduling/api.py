"""HTTP API of the scheduling service: roster, meetings, calendars (JSON and iCalendar)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from contracts.common import CaseId, Identifier
from services.kit.access import DEFAULT_PURPOSE, PurposeHeader, check_case_access
from services.kit.auth import Caller
from services.kit.http import CallerDep, not_found, require_roles
from services.kit.idempotency import IdempotencyDep
from services.scheduling.application import MeetingRow, NotFound, SchedulingApplication
from services.scheduling.calendar_feed import to_ical
from services.scheduling.domain.meeting import Meeting

ROSTER_ROLES = ("coordinator", "ops")
STAFF_ROLES = ("coordinator", "network_centre", "safety_team", "case_worker")
HHMM = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
CaseIdPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")]
ICAL = "text/calendar; charset=utf-8"


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


class StaffView(BaseModel):
    staff_id: str
    role: str
    work_starts: str
    work_ends: str


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


class MeetingView(BaseModel):
    meeting_id: UUID
    case_id: str
    kind: str
    start: datetime
    end: datetime
    staff_ids: list[str]
    status: str
    deadline: datetime | None = None
    deadline_missed: bool = False

    @classmethod
    def of(cls, meeting: Meeting) -> MeetingView:
        return cls(
            meeting_id=meeting.id,
            case_id=meeting.case_id,
            kind=meeting.kind,
            start=meeting.start,
            end=meeting.end,
            staff_ids=list(meeting.staff_ids),
            status=meeting.status,
            deadline=meeting.deadline,
            deadline_missed=meeting.deadline_missed,
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
            status=row.status,
        )


def build_router() -> APIRouter:
    router = APIRouter(tags=["scheduling"])

    def application(request: Request) -> SchedulingApplication:
        return request.app.state.runtime.app

    def log_case_reads(
        request: Request, caller: Caller, rows: list[MeetingRow], resource: str, purpose: str
    ) -> None:
        for case_id in sorted({row.case_id for row in rows}):
            check_case_access(
                application(request),
                request.app.state.runtime.metrics,
                caller,
                case_id,
                caller.municipality,
                resource,
                purpose,
            )

    def owned_meeting(request: Request, caller: Caller, meeting_id: UUID, purpose: str) -> Meeting:
        try:
            meeting = application(request).meeting(meeting_id)
        except NotFound:
            raise not_found("meeting") from None
        check_case_access(
            application(request),
            request.app.state.runtime.metrics,
            caller,
            meeting.case_id,
            meeting.municipality,
            f"meeting/{meeting_id}",
            purpose,
        )
        return meeting

    @router.get("/staff", response_model=list[StaffView])
    def get_roster(request: Request, caller: CallerDep) -> list[StaffView]:
        require_roles(caller, *ROSTER_ROLES, *STAFF_ROLES)
        return [
            StaffView(
                staff_id=r.staff_id,
                role=r.role,
                work_starts=r.hours.starts.strftime("%H:%M"),
                work_ends=r.hours.ends.strftime("%H:%M"),
            )
            for r in application(request).roster(caller.municipality)
        ]

    @router.post("/staff", status_code=201, response_model=StaffView)
    def register_staff(
        body: NewStaffMember, request: Request, caller: CallerDep, idempotency: IdempotencyDep
    ) -> StaffView:
        require_roles(caller, *ROSTER_ROLES)
        application(request).register_staff(
            caller.municipality,
            body.staff_id,
            body.role,
            body.work_starts,
            body.work_ends,
            body.weekly_capacity_hours,
            idempotency,
        )
        return StaffView(
            staff_id=body.staff_id, role=body.role, work_starts=body.work_starts, work_ends=body.work_ends
        )

    @router.delete("/staff/{staff_id}", status_code=204)
    def remove_staff(staff_id: str, request: Request, caller: CallerDep) -> Response:
        require_roles(caller, *ROSTER_ROLES)
        application(request).remove_staff(caller.municipality, staff_id)
        return Response(status_code=204)

    def staff_schedule(request: Request, caller: Caller, staff_id: str, purpose: str) -> list[MeetingRow]:
        require_roles(caller, *ROSTER_ROLES, *STAFF_ROLES)
        rows = application(request).schedule_of_staff(caller.municipality, staff_id)
        log_case_reads(request, caller, rows, f"staff-calendar/{staff_id}", purpose)
        return rows

    @router.get("/staff/{staff_id}/calendar", response_model=list[MeetingView])
    def staff_calendar(
        staff_id: str, request: Request, caller: CallerDep, purpose: PurposeHeader = DEFAULT_PURPOSE
    ) -> list[MeetingView]:
        return [MeetingView.of_row(r) for r in staff_schedule(request, caller, staff_id, purpose)]

    @router.get(
        "/staff/{staff_id}/calendar.ics",
        response_class=Response,
        responses={200: {"content": {"text/calendar": {}}}},
    )
    def staff_calendar_feed(
        staff_id: str, request: Request, caller: CallerDep, purpose: PurposeHeader = DEFAULT_PURPOSE
    ) -> Response:
        rows = staff_schedule(request, caller, staff_id, purpose)
        return Response(to_ical(f"natverk {staff_id}", rows), media_type=ICAL)

    def case_schedule(request: Request, caller: Caller, case_id: str, purpose: str) -> list[MeetingRow]:
        require_roles(caller, *ROSTER_ROLES, *STAFF_ROLES, "auditor")
        app = application(request)
        owner = app.case_owner(case_id)
        if owner is None:
            raise not_found("meetings for this case")
        check_case_access(
            app, request.app.state.runtime.metrics, caller, case_id, owner, "case-calendar", purpose
        )
        return app.schedule_of_case(owner, case_id)

    @router.get("/cases/{case_id}/calendar", response_model=list[MeetingView])
    def case_calendar(
        case_id: CaseIdPath, request: Request, caller: CallerDep, purpose: PurposeHeader = DEFAULT_PURPOSE
    ) -> list[MeetingView]:
        return [MeetingView.of_row(r) for r in case_schedule(request, caller, case_id, purpose)]

    @router.get(
        "/cases/{case_id}/calendar.ics",
        response_class=Response,
        responses={200: {"content": {"text/calendar": {}}}},
    )
    def case_calendar_feed(
        case_id: CaseIdPath, request: Request, caller: CallerDep, purpose: PurposeHeader = DEFAULT_PURPOSE
    ) -> Response:
        rows = case_schedule(request, caller, case_id, purpose)
        return Response(to_ical(f"natverk case {case_id}", rows), media_type=ICAL)

    @router.post("/meetings", status_code=201, response_model=list[MeetingView])
    def book_meeting(
        body: NewMeeting, request: Request, response: Response, caller: CallerDep, idempotency: IdempotencyDep
    ) -> list[MeetingView]:
        require_roles(caller, *ROSTER_ROLES, *STAFF_ROLES)
        app = application(request)
        if idempotency and (previous := idempotency.previous(app)):
            response.status_code = previous.status
            first = app.meeting(UUID(previous.resource_id))
            return [MeetingView.of(first)]
        others = tuple(body.other_participants) + (
            (f"visitation:{body.visitation_form}",) if body.visitation_form else ()
        )
        meetings = app.book_meetings(
            caller.municipality,
            body.case_id,
            body.kind,
            body.start,
            body.end,
            tuple(body.staff_ids),
            others,
            caller.subject,
            body.repeat_weeks,
            body.occurrences,
            idempotency,
        )
        return [MeetingView.of(m) for m in meetings]

    @router.get("/meetings/{meeting_id}", response_model=MeetingView)
    def get_meeting(
        meeting_id: UUID, request: Request, caller: CallerDep, purpose: PurposeHeader = DEFAULT_PURPOSE
    ) -> MeetingView:
        require_roles(caller, *ROSTER_ROLES, *STAFF_ROLES, "auditor")
        return MeetingView.of(owned_meeting(request, caller, meeting_id, purpose))

    @router.post("/meetings/{meeting_id}/reschedule", response_model=MeetingView)
    def reschedule(
        meeting_id: UUID, body: Reschedule, request: Request, caller: CallerDep, idempotency: IdempotencyDep
    ) -> MeetingView:
        require_roles(caller, *ROSTER_ROLES, *STAFF_ROLES)
        owned_meeting(request, caller, meeting_id, "reschedule meeting")
        if idempotency and idempotency.previous(application(request)):
            return MeetingView.of(application(request).meeting(meeting_id))
        return MeetingView.of(
            application(request).reschedule(meeting_id, body.start, body.end, caller.subject, idempotency)
        )

    @router.post("/meetings/{meeting_id}/cancel", response_model=MeetingView)
    def cancel(
        meeting_id: UUID, body: Cancel, request: Request, caller: CallerDep, idempotency: IdempotencyDep
    ) -> MeetingView:
        require_roles(caller, *ROSTER_ROLES, *STAFF_ROLES)
        owned_meeting(request, caller, meeting_id, "cancel meeting")
        if idempotency and idempotency.previous(application(request)):
            return MeetingView.of(application(request).meeting(meeting_id))
        return MeetingView.of(
            application(request).cancel(meeting_id, body.reason, caller.subject, idempotency)
        )

    @router.post("/meetings/{meeting_id}/attendance", response_model=MeetingView)
    def record_attendance(
        meeting_id: UUID, body: Attendance, request: Request, caller: CallerDep, idempotency: IdempotencyDep
    ) -> MeetingView:
        require_roles(caller, *ROSTER_ROLES, *STAFF_ROLES)
        owned_meeting(request, caller, meeting_id, "record attendance")
        if idempotency and idempotency.previous(application(request)):
            return MeetingView.of(application(request).meeting(meeting_id))
        meeting = application(request).record_attendance(
            meeting_id, tuple(body.attended), body.outcome, caller.subject, idempotency
        )
        return MeetingView.of(meeting)

    return router
