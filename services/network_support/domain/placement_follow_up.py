"""Follow-up clocks of one placement: parent crisis support and school start within 7 days
(SAMS), health and dental examinations; the case worker responsible for the last three.  One a
change opened before the start was seen has only the school clock until the start comes; the
case system may date the start anew, and the clocks follow (``follow_up_clocks``)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id
from services.network_support.domain.follow_up_clocks import open_clocks, require_within, still_passed
from services.network_support.domain.follow_up_errors import NoSchoolChange, SchoolStartBeforeSchoolChange


class PlacementFollowUp(Aggregate):
    class Opened(Aggregate.Created):
        municipality: str
        case_id: str
        placement_id: str
        placement_type: str
        started_on: date
        school_change: bool
        case_worker_id: str | None = None  # a staff id; None in follow-ups stored before it was sent
        start_seen: bool = True  # False: opened by a change, its start not seen (yet)
        protected_identity: bool = False  # the child's, as the opening event said

    class CaseWorkerAssigned(Aggregate.Event):
        """A placement change named another responsible case worker (a staff id, no name)."""

        case_worker_id: str

    class ParentSupportOffered(Aggregate.Event):
        on: date

    class ParentSupportSessionRecorded(Aggregate.Event):
        on: date
        mode: str
        parent: str

    class SchoolStarted(Aggregate.Event):
        on: date

    class ExaminationDone(Aggregate.Event):
        kind: str
        on: date

    class DeadlinePassed(Aggregate.Event):
        clock: str

    class SchoolChanged(Aggregate.Event):
        """A placement change moved the child to another school: a new 7-day school clock."""

        on: date

    class StartDated(Aggregate.Event):
        """The case system dated the start anew (a correction), or the start came after a change
        opened the follow-up (``seen``); ``passed``: the clocks still passed from the new date."""

        on: date
        seen: bool
        passed: tuple[str, ...]

    class Ended(Aggregate.Event):
        """The placement ended: its open clocks close as ``placement_ended``, never as missed."""

        on: date
        closed: tuple[str, ...]

    @staticmethod
    def id_for(municipality: str, placement_id: str) -> UUID:
        return stable_id("network_support", "placement-follow-up", municipality, placement_id)

    @classmethod
    def create_id(cls, municipality: str, placement_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, placement_id)

    @event(Opened)
    def __init__(
        self,
        municipality: str,
        case_id: str,
        placement_id: str,
        placement_type: str,
        started_on: date,
        school_change: bool,
        case_worker_id: str | None = None,
        start_seen: bool = True,
        protected_identity: bool = False,
    ) -> None:
        self.municipality, self.case_id, self.placement_id = municipality, case_id, placement_id
        self.placement_type, self.started_on, self.school_change = placement_type, started_on, school_change
        self.case_worker_id, self.start_seen = case_worker_id, start_seen
        self.protected_identity = protected_identity
        self.parent_support_offered_on: date | None = None
        self.sessions: list[tuple[date, str, str]] = []
        self.school_started_on: date | None = None
        self.examinations: dict[str, date] = {}
        self.passed: set[str] = set()
        self.school_clock_from = started_on
        self.ended_on: date | None = None
        self.closed_at_end: tuple[str, ...] = ()

    def due_dates(self) -> dict[str, date]:
        """Open clocks and when each falls due."""
        return open_clocks(self)

    def offer_parent_support(self, on: date) -> None:
        require_within(self, on)
        if self.parent_support_offered_on is None:
            self._parent_support_offered(on)

    def record_session(self, on: date, mode: str, parent: str) -> None:
        self.offer_parent_support(on)
        self._session_recorded(on, mode, parent)

    def record_school_start(self, on: date) -> None:
        if not self.school_change:
            raise NoSchoolChange("this placement did not change school")
        require_within(self, on)
        if on < self.school_clock_from:
            raise SchoolStartBeforeSchoolChange(
                "on: a school start cannot be dated before the school change that opened its clock"
            )
        self._school_started(on)

    def record_examination(self, kind: str, on: date) -> None:
        require_within(self, on)
        self._examination_done(kind, on)

    def change_school(self, on: date) -> None:
        """Open the school clock from ``on``, unless one is open already (a repeated change)."""
        if self.ended_on is None and "school_start" not in self.due_dates():
            self._school_changed(max(on, self.started_on))

    def assign_case_worker(self, case_worker_id: str | None) -> None:
        """The case worker a change names becomes responsible; None, the same one or an ended
        placement changes nothing."""
        if case_worker_id is not None and case_worker_id != self.case_worker_id and self.ended_on is None:
            self._case_worker_assigned(case_worker_id)

    def date_start(self, on: date, today: date, seen: bool = False) -> None:
        """The case system's date of the start, anew (``seen``: from its start event).  The clocks
        from the start follow it; one passed before is passed still only if it is from ``on``."""
        if self.ended_on is not None or (on == self.started_on and (self.start_seen or not seen)):
            return
        self._start_dated(on, self.start_seen or seen, still_passed(self.passed, on, today))

    def end(self, on: date) -> None:
        if self.ended_on is None:
            self._ended(on, tuple(sorted(self.due_dates())))

    def note_passed_deadlines(self, today: date) -> list[str]:
        """Mark each clock whose due date has passed (once); returns the newly passed ones."""
        newly = [clock for clock, due in self.due_dates().items() if today > due and clock not in self.passed]
        for clock in newly:
            self._deadline_passed(clock)
        return newly

    @event(ParentSupportOffered)
    def _parent_support_offered(self, on: date) -> None:
        self.parent_support_offered_on = on

    @event(ParentSupportSessionRecorded)
    def _session_recorded(self, on: date, mode: str, parent: str) -> None:
        self.sessions.append((on, mode, parent))

    @event(SchoolStarted)
    def _school_started(self, on: date) -> None:
        self.school_started_on = on

    @event(SchoolChanged)
    def _school_changed(self, on: date) -> None:
        self.school_change, self.school_clock_from, self.school_started_on = True, on, None
        self.passed.discard("school_start")

    @event(CaseWorkerAssigned)
    def _case_worker_assigned(self, case_worker_id: str) -> None:
        self.case_worker_id = case_worker_id

    @event(StartDated)
    def _start_dated(self, on: date, seen: bool, passed: tuple[str, ...]) -> None:
        if self.school_clock_from == self.started_on:  # the first school clock runs from the start
            self.school_clock_from = on
        self.started_on, self.start_seen, self.passed = on, seen, set(passed)

    @event(Ended)
    def _ended(self, on: date, closed: tuple[str, ...]) -> None:
        self.ended_on, self.closed_at_end = on, tuple(closed)

    @event(ExaminationDone)
    def _examination_done(self, kind: str, on: date) -> None:
        self.examinations[kind] = on

    @event(DeadlinePassed)
    def _deadline_passed(self, clock: str) -> None:
        self.passed.add(clock)
