"""The roster and each staff member's calendar: /api/v1/staff."""

from __future__ import annotations

from fastapi import APIRouter, Response

from services.kit.commands import Kit
from services.kit.params import Paging
from services.scheduling.api.roles import ROSTER_KEEPERS, SCHEDULERS
from services.scheduling.api.staff_hours_views import StaffHoursView
from services.scheduling.api.views import (
    ICAL_RESPONSE,
    CalendarView,
    ICalendarFeed,
    NoContent,
    RosterView,
    StaffView,
)
from services.scheduling.application import SchedulingApplication as Scheduling
from services.scheduling.commands import HoursChange, NewStaffMember

router = APIRouter(prefix="/staff", tags=["staff"])


@router.get("", response_model=RosterView)
def get_roster(kit: Kit, page: Paging) -> RosterView:
    """The active staff, in order of registration, a page at a time."""
    return kit.query(Scheduling.roster, page, view=RosterView, roles=SCHEDULERS)


@router.post("", status_code=201, response_model=StaffView)
def register_staff(body: NewStaffMember, kit: Kit) -> StaffView:
    return kit.command(Scheduling.register_staff, body, view=StaffView, roles=ROSTER_KEEPERS, status=201)


@router.patch("/{staff_id}", response_model=StaffHoursView)
def change_staff_hours(staff_id: str, body: HoursChange, kit: Kit) -> StaffHoursView:
    """New working hours and/or weekly capacity; their meetings stay as booked, and those not yet
    begun that now lie outside the hours are named (by id and time) for the coordinator to settle."""
    return kit.command(
        Scheduling.change_staff_hours, staff_id, body, view=StaffHoursView, roles=ROSTER_KEEPERS
    )


@router.delete("/{staff_id}", status_code=204, response_class=Response)
def remove_staff(staff_id: str, kit: Kit) -> Response:
    """No body: a repeat with the same Idempotency-Key is answered with 204 too."""
    kit.command(Scheduling.remove_staff, staff_id, view=NoContent, roles=ROSTER_KEEPERS, status=204)
    return Response(status_code=204)


@router.get("/{staff_id}/calendar", response_model=CalendarView)
def staff_calendar(staff_id: str, kit: Kit, page: Paging) -> CalendarView:
    """The staff member's meetings in order of start, a page at a time."""
    return kit.query(Scheduling.staff_calendar, staff_id, page, view=CalendarView, roles=SCHEDULERS)


@router.get("/{staff_id}/calendar.ics", response_class=Response, responses=ICAL_RESPONSE)
def staff_calendar_feed(staff_id: str, kit: Kit) -> Response:
    """The staff member's meetings from 30 days ago to 400 days ahead, as one iCalendar feed."""
    feed = kit.query(Scheduling.staff_calendar_feed, staff_id, view=ICalendarFeed, roles=SCHEDULERS)
    return feed.response()
