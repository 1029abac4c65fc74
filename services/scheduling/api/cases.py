"""A case's calendar: /api/v1/cases/{case_id}/calendar (JSON, paged) and calendar.ics (a window)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from services.kit.commands import Kit
from services.kit.params import CaseIdPath, Paging
from services.scheduling.api.roles import READERS
from services.scheduling.api.views import ICAL_RESPONSE, CalendarView, ICalendarFeed
from services.scheduling.application import SchedulingApplication as Scheduling

router = APIRouter(prefix="/cases/{case_id}", tags=["calendars"])


@router.get("/calendar", response_model=CalendarView)
def case_calendar(case_id: CaseIdPath, kit: Kit, page: Paging) -> CalendarView:
    """The case's meetings in order of start, a page at a time."""
    return kit.query(Scheduling.case_calendar, case_id, page, view=CalendarView, roles=READERS)


@router.get("/calendar.ics", response_class=Response, responses=ICAL_RESPONSE)
def case_calendar_feed(case_id: CaseIdPath, kit: Kit) -> Response:
    """The case's meetings from 30 days ago to 400 days ahead, as one iCalendar feed."""
    return kit.query(Scheduling.case_calendar_feed, case_id, view=ICalendarFeed, roles=READERS).response()
