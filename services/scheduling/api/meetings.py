"""Meetings: /api/v1/meetings (book one or a series, reschedule, cancel, fill a role, attendance, read)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from services.kit.commands import Kit
from services.scheduling.api.roles import READERS, SCHEDULERS
from services.scheduling.api.views import BookedMeetings, MeetingView
from services.scheduling.application import SchedulingApplication as Scheduling
from services.scheduling.commands import Attendance, Cancel, FillRole, NewMeeting, Reschedule

router = APIRouter(prefix="/meetings", tags=["meetings"])


@router.post("", status_code=201, response_model=BookedMeetings)
def book_meeting(body: NewMeeting, kit: Kit) -> BookedMeetings:
    return kit.command(Scheduling.book_meetings, body, view=BookedMeetings, roles=SCHEDULERS, status=201)


@router.get("/{meeting_id}", response_model=MeetingView)
def get_meeting(meeting_id: UUID, kit: Kit) -> MeetingView:
    return kit.query(Scheduling.meeting, meeting_id, view=MeetingView, roles=READERS)


@router.post("/{meeting_id}/reschedule", response_model=MeetingView)
def reschedule_meeting(meeting_id: UUID, body: Reschedule, kit: Kit) -> MeetingView:
    return kit.command(Scheduling.reschedule_meeting, meeting_id, body, view=MeetingView, roles=SCHEDULERS)


@router.post("/{meeting_id}/cancel", response_model=MeetingView)
def cancel_meeting(meeting_id: UUID, body: Cancel, kit: Kit) -> MeetingView:
    return kit.command(Scheduling.cancel_meeting, meeting_id, body, view=MeetingView, roles=SCHEDULERS)


@router.post("/{meeting_id}/fill-role", response_model=MeetingView)
def fill_meeting_role(meeting_id: UUID, body: FillRole, kit: Kit) -> MeetingView:
    """Invite a roster member of a role the meeting names for the coordinator to fill (ADR 0026)."""
    return kit.command(Scheduling.fill_role, meeting_id, body, view=MeetingView, roles=SCHEDULERS)


@router.post("/{meeting_id}/attendance", response_model=MeetingView)
def record_attendance(meeting_id: UUID, body: Attendance, kit: Kit) -> MeetingView:
    return kit.command(Scheduling.record_attendance, meeting_id, body, view=MeetingView, roles=SCHEDULERS)
