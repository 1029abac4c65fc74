"""A home-return process (hemflytt): preparation → trial → follow-up → completed, or broken off."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id

PHASES = ("preparation", "trial", "follow_up", "completed", "broken_off")
NEXT = {
    "preparation": ("trial", "broken_off", "completed"),
    "trial": ("follow_up", "broken_off", "completed"),
    "follow_up": ("completed", "broken_off"),
}


class HomeReturnError(Exception):
    """A rule of the home-return process was broken."""


class PhaseNotAllowed(HomeReturnError):
    """The process cannot move to that phase from where it is."""


class HomeReturnProcess(Aggregate):
    class Started(Aggregate.Created):
        municipality: str
        case_id: str
        on: date
        retroactive: bool

    class PhaseChanged(Aggregate.Event):
        phase: str
        on: date

    @staticmethod
    def id_for(municipality: str, case_id: str) -> UUID:
        return stable_id("network_support", "home-return", municipality, case_id)

    @classmethod
    def create_id(cls, municipality: str, case_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, case_id)

    @event(Started)
    def __init__(self, municipality: str, case_id: str, on: date, retroactive: bool = False) -> None:
        self.municipality, self.case_id = municipality, case_id
        self.phase = "preparation"
        self.phases: list[tuple[str, date]] = [("preparation", on)]
        self.retroactive = retroactive

    @classmethod
    def begin(cls, municipality: str, case_id: str, phase: str, on: date) -> HomeReturnProcess:
        """A process starts in preparation, whatever phase is named first."""
        process = cls(municipality=municipality, case_id=case_id, on=on, retroactive=False)
        if phase != "preparation":
            process.move_to(phase, on)
        return process

    @property
    def is_finished(self) -> bool:
        return self.phase in ("completed", "broken_off")

    def move_to(self, phase: str, on: date) -> None:
        if phase not in NEXT.get(self.phase, ()):
            raise PhaseNotAllowed(f"the process cannot move to that phase from {self.phase}")
        self._phase_changed(phase, on)

    def complete(self, on: date) -> None:
        """The placement ended with the child home: the process is completed."""
        if not self.is_finished:
            self._phase_changed("completed", on)

    @event(PhaseChanged)
    def _phase_changed(self, phase: str, on: date) -> None:
        self.phase = phase
        self.phases.append((phase, on))
