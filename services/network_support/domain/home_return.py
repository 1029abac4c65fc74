"""A home-return process (hemflytt): preparation → trial → follow-up → completed, or broken off.

The follow-up is the work after the child is home (DOMAIN.md: a lasting reunification), so the
placement's end with the child home moves the process into it, and staff complete it when that
work is done; a child placed again while it runs means the return did not last: it is broken off.
It is due ``FOLLOW_UP_WITHIN`` after it began (ADR 0033 addendum of 2026-12-05: why that period).

A case may have any number of processes over time (home, placed again, home again), one open at a
time.  Process 1 keeps the id every process had before there could be more than one
(``legacy_id_for``), so processes stored then still load where they were; n > 1 has its own.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id
from services.network_support.domain.home_return_errors import (
    PhaseDatedBeforePrevious,
    PhaseNotAllowed,
    ProcessAlreadyOpen,
    ReasonRequired,
)

PLACED_AGAIN = "the child was placed again"  # the reason a new placement breaks a follow-up off
FOLLOW_UP_WITHIN = timedelta(days=30)  # as a placement's examinations: the first check of a new home
PHASES = ("preparation", "trial", "follow_up", "completed", "broken_off")
NEXT = {
    "preparation": ("trial", "follow_up", "broken_off", "completed"),  # a trial at home is optional
    "trial": ("follow_up", "broken_off", "completed"),
    "follow_up": ("completed", "broken_off"),
}


class HomeReturnProcess(Aggregate):
    class Started(Aggregate.Created):
        municipality: str
        case_id: str
        on: date
        retroactive: bool
        number: int = 1  # added with a default: processes stored before are process 1

    class PhaseChanged(Aggregate.Event):
        phase: str
        on: date
        reason: str | None = None
        # the placement that moved it: its end took the child home (follow_up), or it placed the
        # child again (broken_off); completed: stored before the follow-up went on after an end
        placement_id: str | None = None

    class FollowUpOverdue(Aggregate.Event):
        """The follow-up was neither completed nor broken off by ``due``: noted once (a sweep)."""

        due: date
        responsible_role: str

    @staticmethod
    def legacy_id_for(municipality: str, case_id: str) -> UUID:
        return stable_id("network_support", "home-return", municipality, case_id)

    @classmethod
    def id_for(cls, municipality: str, case_id: str, number: int = 1) -> UUID:
        """Process ``number`` of the case; the number comes last, so no two cases' ids can meet."""
        if number == 1:
            return cls.legacy_id_for(municipality, case_id)
        return stable_id("network_support", "home-return-process", municipality, case_id, str(number))

    @classmethod
    def create_id(cls, municipality: str, case_id: str, number: int = 1, **_: object) -> UUID:
        return cls.id_for(municipality, case_id, number)

    @event(Started)
    def __init__(
        self, municipality: str, case_id: str, on: date, retroactive: bool = False, number: int = 1
    ) -> None:
        self.municipality, self.case_id, self.number = municipality, case_id, number
        self.phase = "preparation"
        self.phases: list[tuple[str, date]] = [("preparation", on)]
        self.retroactive = retroactive
        self.reason: str | None = None
        self.completed_by: str | None = None  # the placements whose records completed the process,
        self.home_by: str | None = None  # took the child home,
        self.broken_by: str | None = None  # and broke it off (placed again)
        self.follow_up_overdue_for: date | None = None

    @classmethod
    def begin(
        cls, municipality: str, case_id: str, phase: str, on: date, number: int = 1, reason: str | None = None
    ) -> HomeReturnProcess:
        """A process starts in preparation, whatever phase is named first."""
        process = cls(municipality=municipality, case_id=case_id, on=on, retroactive=False, number=number)
        if phase != "preparation":
            process.move_to(phase, on, reason)
        return process

    @property
    def is_finished(self) -> bool:
        return self.phase in ("completed", "broken_off")

    @property
    def outcome(self) -> str | None:
        return self.phase if self.is_finished else None

    @property
    def finished_on(self) -> date | None:
        return self.phases[-1][1] if self.is_finished else None

    @property
    def follow_up_due(self) -> date | None:
        """While in its follow-up: due ``FOLLOW_UP_WITHIN`` after the day it began (a phase never
        moves, so neither does this); none before it, and none once done or ended."""
        return self.phases[-1][1] + FOLLOW_UP_WITHIN if self.phase == "follow_up" else None

    def note_follow_up_overdue(self, today: date, responsible_role: str) -> bool:
        """Note the follow-up missed once ``today`` is past its due day, once; True if noted now."""
        due = self.follow_up_due
        if due is None or today <= due or self.follow_up_overdue_for == due:
            return False
        self._follow_up_overdue(due, responsible_role)
        return True

    def broken_off_since(self, day: date, placement_id: str) -> bool:
        """Broken off on or after ``day``, not by ``placement_id``: its return home on ``day``, told
        only now, was followed and ended already (the child placed again since, or staff ended it).
        The end of the placement that broke it off is a return home of its own."""
        return self.outcome == "broken_off" and self.phases[-1][1] >= day and self.broken_by != placement_id

    def completed_by_hand_since(self, day: date) -> bool:
        """Completed on or after ``day`` by a person (or before placements were named), not by an end."""
        return self.outcome == "completed" and self.completed_by is None and self.finished_on >= day

    def move_to(self, phase: str, on: date, reason: str | None = None) -> None:
        if phase not in NEXT.get(self.phase, ()):
            raise PhaseNotAllowed(f"the process cannot move to that phase from {self.phase}")
        if phase == "broken_off" and not (reason or "").strip():
            raise ReasonRequired("reason: a process is broken off for a reason")
        if on < self.phases[-1][1]:
            raise PhaseDatedBeforePrevious("on: a phase cannot be dated before the process's last phase")
        self._phase_changed(phase, on, reason if phase == "broken_off" else None)

    def took_home(self, placement_id: str) -> bool:
        """This placement's end has moved the process already (into its follow-up, or, stored
        before, completed it)."""
        return placement_id in (self.home_by, self.completed_by)

    def returned_home(self, on: date, placement_id: str) -> None:
        """The placement ended with the child home: the follow-up begins (never dated before the
        phase it follows).  One in its follow-up already keeps its own day; one finished stays."""
        if self.phase in ("preparation", "trial"):
            self._phase_changed("follow_up", max(on, self.phases[-1][1]), None, placement_id)

    def placed_again(self, on: date, placement_id: str, until: date | None = None) -> bool:
        """Another placement than the one whose end took the child home breaks the follow-up off if
        it started ``on`` or after the day it began (the return did not last), or, for a follow-up an
        end began, ran past that day (``until``, its end: the child was never home); dated the later
        of its start and that day.  An earlier start whose end is not known leaves it.  True if broken."""
        began = self.phases[-1][1]
        if self.phase != "follow_up" or not self._places(began, on, placement_id, until):
            return False
        self._phase_changed("broken_off", max(on, began), PLACED_AGAIN, placement_id)
        return True

    def reopened(self, on: date, placement_id: str, until: date | None = None) -> bool:
        """Broken off by this placement's record, whose dates the case system has since corrected
        (started ``on``, ended ``until``) so that it no longer placed the child again: back in the
        follow-up from its own day, as if that record had never been told.  True if reopened."""
        if self.outcome != "broken_off" or self.broken_by != placement_id:
            return False
        was, began = self.phases[-2]  # a break-off a record made ends a follow-up (``placed_again``)
        if was != "follow_up" or self._places(began, on, placement_id, until):
            return False
        self._phase_changed("follow_up", began, None, self.home_by)
        return True

    def _places(self, began: date, on: date, placement_id: str, until: date | None) -> bool:
        across = self.home_by is not None and until is not None and until > began
        return placement_id != self.home_by and (on >= began or across)

    def require_finished(self) -> None:
        if not self.is_finished:
            raise ProcessAlreadyOpen(f"home-return process {self.number} of this case is still open")

    @event(PhaseChanged)
    def _phase_changed(
        self, phase: str, on: date, reason: str | None = None, placement_id: str | None = None
    ) -> None:
        self.phase = phase
        self.phases.append((phase, on))
        self.reason = reason if phase == "broken_off" else None  # a break-off is final, or undone
        self.completed_by = placement_id if phase == "completed" else self.completed_by
        self.home_by = placement_id if phase == "follow_up" else self.home_by
        self.broken_by = placement_id if phase == "broken_off" else self.broken_by

    @event(FollowUpOverdue)
    def _follow_up_overdue(self, due: date, responsible_role: str) -> None:
        self.follow_up_overdue_for = due
