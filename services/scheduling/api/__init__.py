"""HTTP API of the scheduling service: roster, meetings, calendars (JSON and iCalendar).

Each route names its use case, view and roles; the kit's command path does the rest.
"""

from __future__ import annotations

from services.scheduling.api import cases, feeds, meetings, staff, subject_access, worklist

routers = [staff.router, meetings.router, cases.router, feeds.router, subject_access.router, worklist.router]
