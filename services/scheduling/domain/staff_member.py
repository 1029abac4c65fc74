"""A member of staff whose calendar the scheduler books: role, working hours, weekly capacity."""

from __future__ import annotations

from datetime import time
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id
from services.scheduling.domain.slot_finder import WorkingHours

ROLES = (
    "coordinator",
    "family_therapist",
    "family_pedagogue",
    "parent_supporter",
    "case_worker",
    "resource_team",
)


class StaffError(Exception):
    """A rule about staff was broken."""


class InvalidWorkingHours(StaffError):
    """Working hours must start before they end, within one day."""


class StillOnRoster(StaffError):
    """Only a removed member can be reinstated; an active one is already on the roster."""


class StaffMemberRemoved(StaffError):
    """The member was removed from the roster: scheduling takes nothing more from them (as a
    caller) and gives them nothing more (new hours); registering them again reinstates them."""


class StaffMember(Aggregate):
    class Registered(Aggregate.Created):
        municipality: str
        staff_id: str
        role: str
        work_starts: str
        work_ends: str
        weekly_capacity_hours: int

    class HoursChanged(Aggregate.Event):
        work_starts: str
        work_ends: str
        weekly_capacity_hours: int

    class Removed(Aggregate.Event):
        pass

    class Reinstated(Aggregate.Event):
        """Registered again after removal, with the role, hours and capacity given now."""

        role: str
        work_starts: str
        work_ends: str
        weekly_capacity_hours: int

    @staticmethod
    def id_for(municipality: str, staff_id: str) -> UUID:
        return stable_id("staff", municipality, staff_id)

    @classmethod
    def create_id(cls, municipality: str, staff_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, staff_id)

    @event(Registered)
    def __init__(
        self,
        municipality: str,
        staff_id: str,
        role: str,
        work_starts: str,
        work_ends: str,
        weekly_capacity_hours: int,
    ) -> None:
        _check_hours(work_starts, work_ends)
        self.municipality = municipality
        self.staff_id = staff_id
        self.role = role
        self.work_starts = work_starts
        self.work_ends = work_ends
        self.weekly_capacity_hours = weekly_capacity_hours
        self.active = True

    @property
    def hours(self) -> WorkingHours:
        return WorkingHours(time.fromisoformat(self.work_starts), time.fromisoformat(self.work_ends))

    def change_hours(self, work_starts: str, work_ends: str, weekly_capacity_hours: int) -> None:
        """New hours and capacity from now on; the same again changes nothing (a retry stores no
        second event).  A removed member's are given again only by reinstating them."""
        if not self.active:
            raise StaffMemberRemoved("the staff member was removed from the roster: register them again")
        _check_hours(work_starts, work_ends)
        if (work_starts, work_ends, weekly_capacity_hours) != (
            self.work_starts,
            self.work_ends,
            self.weekly_capacity_hours,
        ):
            self._hours_changed(work_starts, work_ends, weekly_capacity_hours)

    def remove(self) -> None:
        if self.active:
            self._removed()

    def reinstate(self, role: str, work_starts: str, work_ends: str, weekly_capacity_hours: int) -> None:
        if self.active:
            raise StillOnRoster("the staff member is already on the roster")
        _check_hours(work_starts, work_ends)
        self._reinstated(role, work_starts, work_ends, weekly_capacity_hours)

    @event(HoursChanged)
    def _hours_changed(self, work_starts: str, work_ends: str, weekly_capacity_hours: int) -> None:
        self.work_starts, self.work_ends = work_starts, work_ends
        self.weekly_capacity_hours = weekly_capacity_hours

    @event(Removed)
    def _removed(self) -> None:
        self.active = False

    @event(Reinstated)
    def _reinstated(self, role: str, work_starts: str, work_ends: str, weekly_capacity_hours: int) -> None:
        self.role, self.work_starts, self.work_ends = role, work_starts, work_ends
        self.weekly_capacity_hours = weekly_capacity_hours
        self.active = True


def _check_hours(starts: str, ends: str) -> None:
    if not (len(starts) == len(ends) == 5 and starts < ends):
        raise InvalidWorkingHours("work_starts must be before work_ends, both HH:MM within one day")
