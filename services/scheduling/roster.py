"""Roster use cases: who the scheduler may book, and the Network Centre's default staff."""

from __future__ import annotations

from services.kit.auth import Caller
from services.kit.pages import Paged, PageRequest
from services.kit.sweeps import saved_unless_taken
from services.scheduling.commands import NewStaffMember
from services.scheduling.departures import DepartureUseCases
from services.scheduling.domain.staff_member import StaffMember
from services.scheduling.feed_tokens import FeedTokenUseCases
from services.scheduling.read_models import StaffRow

DEFAULT_ROSTER = {  # the Network Centre in Uppsala (decided 2025): 7 full-time staff
    "0380": [("coordinator", 1), ("family_therapist", 2), ("family_pedagogue", 2), ("parent_supporter", 2)]
}


class AlreadyRegistered(Exception):
    """The staff id is already on the municipality's roster."""


class RosterUseCases(FeedTokenUseCases, DepartureUseCases):
    def register_staff(self, caller: Caller, new: NewStaffMember) -> StaffMember:
        """A new member, or a removed one reinstated (a returning colleague) with what is given now."""
        member = self._get(StaffMember.id_for(caller.municipality, new.staff_id))
        if member is None:
            member = _enrolled(caller.municipality, new)
            self.save(member)
            return member
        if member.active:
            raise AlreadyRegistered("staff_id is already on the roster")
        member.reinstate(new.role, new.work_starts, new.work_ends, new.weekly_capacity_hours)
        # Tokens issued while they were away (already dead) must not come back to life with them.
        self.save(member, *self._revoked_feed_tokens_of(caller.municipality, new.staff_id))
        return member

    def remove_staff(self, caller: Caller, staff_id: str) -> StaffMember:
        """Off the roster, and their calendar feed tokens with them: a feed URL outlives no one's place;
        stood down from their meetings that have not begun (``departures.py``)."""
        member = self._staff_member(caller.municipality, staff_id)
        member.remove()
        stood_down = self._stood_down(member)
        self.save(member, *self._revoked_feed_tokens_of(caller.municipality, staff_id), *stood_down)
        return member

    def roster(self, caller: Caller, page: PageRequest) -> Paged[StaffRow]:
        """The caller's municipality's active staff in order of registration, a page at a time."""
        chosen = self._staff.page(page, lambda row: row.municipality == caller.municipality and row.active)
        return chosen.map(lambda found: found[1])

    def seed_default_roster(self) -> int:
        """Register the default Network Centre roster where it is missing; returns how many were added."""
        missing = [
            (municipality, staff_id, role)
            for municipality, roles in DEFAULT_ROSTER.items()
            for role, count in roles
            for staff_id in _default_staff_ids(municipality, role, count)
            if not self.exists(StaffMember.id_for(municipality, staff_id))
        ]
        return sum(self._seed(municipality, staff_id, role) for municipality, staff_id, role in missing)

    def _seed(self, municipality: str, staff_id: str, role: str) -> bool:
        # False: another replica seeded it at the same moment
        return saved_unless_taken(self, _enrolled(municipality, NewStaffMember(staff_id=staff_id, role=role)))


def _enrolled(municipality: str, new: NewStaffMember) -> StaffMember:
    return StaffMember(
        municipality=municipality,
        staff_id=new.staff_id,
        role=new.role,
        work_starts=new.work_starts,
        work_ends=new.work_ends,
        weekly_capacity_hours=new.weekly_capacity_hours,
    )


def _default_staff_ids(municipality: str, role: str, count: int) -> list[str]:
    return [f"{municipality}-{role.replace('_', '-')}-{n}" for n in range(1, count + 1)]
