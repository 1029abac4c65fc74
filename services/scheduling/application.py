"""The scheduling use cases: rosters, convening the staff meeting, booking and calendars.

Each group lives in its own module; HTTP use cases take ``(caller, ...)`` and are run
by the kit's command path (one unit of work with who/why, idempotency and the access
log), inbound ones are called by the kit's consumer inside its unit of work.
"""

from __future__ import annotations

from services.scheduling.base import LOCAL, SchedulingObserver, StaffMemberRemoved
from services.scheduling.called_off import CalledOffUseCases
from services.scheduling.early_case_worker import EarlyCaseWorkerUseCases
from services.scheduling.meetings import DoubleBooking, UnknownStaff
from services.scheduling.placed_child import ChildPlacedUseCases
from services.scheduling.read_models import MeetingRow, Schedule, StaffRow
from services.scheduling.role_fill import RoleFillUseCases
from services.scheduling.roster import AlreadyRegistered, RosterUseCases
from services.scheduling.staff_hours import StaffHoursUseCases
from services.scheduling.subject_access import SubjectAccessUseCases
from services.scheduling.worklist import WorklistUseCases

__all__ = [
    "LOCAL",
    "AlreadyRegistered",
    "DoubleBooking",
    "MeetingRow",
    "Schedule",
    "SchedulingApplication",
    "SchedulingObserver",
    "StaffMemberRemoved",
    "StaffRow",
    "UnknownStaff",
]


class SchedulingApplication(
    RosterUseCases,
    StaffHoursUseCases,
    ChildPlacedUseCases,  # and StaffMeetingUseCases, which it extends
    EarlyCaseWorkerUseCases,  # and UnbookedStaffMeetingUseCases, which it extends, as does this one
    CalledOffUseCases,  # and this
    RoleFillUseCases,  # and MeetingUseCases, which it extends
    SubjectAccessUseCases,  # and FeedTokenUseCases, which it extends
    WorklistUseCases,
):
    name = "scheduling"
