"""Follow-up clocks of one placement: parent crisis support and school start within 7 days (SAMS),
examinations, a decision on lasting care within six months of temporary care; the case worker is
responsible for all but parent support.  One a change opened before its start was seen has only
the change's clocks until the start comes.  The case system may date the start anew, repeat and
correct its records (``follow_up_clocks``; commands: ``start_clocks``, ``school_clock``, ``temporary_care``)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id
from services.network_support.domain import follow_up_clocks as clocks
from services.network_support.domain.school_clock import SchoolClockCommands
from services.network_support.domain.start_clocks import StartClockCommands
from services.network_support.domain.temporary_care import TemporaryCareCommands


class PlacementFollowUp(StartClockCommands, SchoolClockCommands, TemporaryCareCommands, Aggregate):
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
        types_kept: bool = False  # False: stored before the records' placement types were kept

    class CaseWorkerAssigned(Aggregate.Event):
        case_worker_id: str  # another responsible one a placement record named (a staff id, no name)

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

    class SchoolChanged(Aggregate.Event):  # a change moved the child to another school: a new 7-day clock
        on: date
        by_start: bool = False  # opened by a start corrected to a school change (False: stored before)

    class SchoolClockWithdrawn(Aggregate.Event):
        """A start corrected to no change of school withdrew the clock it opened: never due."""

    class SchoolChangeSaid(Aggregate.Event):
        on: date  # a change said a school change of its own while the start's clock was open

    class StartDated(Aggregate.Event):
        on: date  # the start as the case system dated it anew (a correction), or its late start did
        seen: bool  # the start record has been seen by now (its own, or one before)
        passed: tuple[str, ...]  # the clocks still passed from the new date

    class TypeSaid(Aggregate.Event):
        on: date | None  # a change's Swedish day; None: the start's type
        placement_type: str
        passed: tuple[str, ...]  # the clocks still passed as the types now tell it
        said_at: datetime | None = None  # a change's CloudEvent time; None: the start's, or stored before

    class Ended(Aggregate.Event):
        on: date
        closed: tuple[str, ...]  # its clocks open at the end: closed as placement_ended, never missed
        home: bool = False  # it took the child home (False in ends stored before this was kept)

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
        types_kept: bool = False,
    ) -> None:
        self.municipality, self.case_id, self.placement_id = municipality, case_id, placement_id
        self.placement_type, self.started_on, self.school_change = placement_type, started_on, school_change
        self.case_worker_id, self.start_seen = case_worker_id, start_seen
        self.protected_identity, self.types_kept = protected_identity, types_kept
        self.start_type, self.type_changes = (placement_type if start_seen else None), {}
        self.type_said_at: dict[date, datetime | None] = {}  # the time each day's kept type was said
        self.parent_support_offered_on: date | None = None
        self.sessions: list[tuple[date, str, str]] = []
        self.school_started_on: date | None = None
        self.examinations: dict[str, date] = {}
        self.passed: set[str] = set()
        self.school_clock_from, self.school_clock_by_start = started_on, school_change
        self.school_change_said_on: date | None = None  # by a change, while the start's clock was open
        self.ended_on: date | None = None  # the first end told: what the clocks and reports judge by
        self.closed_at_end: tuple[str, ...] = ()
        self.told_end_on, self.went_home = None, False  # the end as last told: the home-return rules'

    def due_dates(self) -> dict[str, date]:
        return clocks.open_clocks(self)

    def assign_case_worker(self, case_worker_id: str | None) -> None:
        """The case worker a record names becomes responsible (not None or the same; not after the end)."""
        if case_worker_id is not None and case_worker_id != self.case_worker_id and self.ended_on is None:
            self._case_worker_assigned(case_worker_id)

    def date_start(self, on: date, today: date, seen: bool = False) -> None:
        """The case system's date of the start, anew (``seen``: from its start event).  The clocks
        from the start follow it; one passed before is passed still only if it is from ``on``."""
        if self.ended_on is not None or (on == self.started_on and (self.start_seen or not seen)):
            return
        self._start_dated(on, self.start_seen or seen, clocks.still_passed(self, on, today))

    def end(self, on: date, home: bool = False) -> None:  # told anew: the home-return rules take it
        if (on, home) != (self.told_end_on, self.went_home):  # the clocks the first end closed stay so
            self._ended(on, self.closed_at_end if self.ended_on else tuple(sorted(self.due_dates())), home)

    def note_passed_deadlines(self, today: date) -> list[str]:
        """Mark each clock whose due date has passed (once); returns the newly passed ones."""
        newly = clocks.newly_passed(self, self.passed, today)
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
    def _school_changed(self, on: date, by_start: bool = False) -> None:
        self.school_change, self.school_clock_from, self.school_started_on = True, on, None
        self.school_clock_by_start, self.school_change_said_on = by_start, None  # a note was the old clock's
        self.passed.discard("school_start")

    @event(SchoolClockWithdrawn)
    def _school_clock_withdrawn(self) -> None:
        self.school_change, self.school_clock_by_start = False, False
        self.passed.discard("school_start")

    @event(SchoolChangeSaid)
    def _school_change_said(self, on: date) -> None:
        self.school_change_said_on = on

    @event(CaseWorkerAssigned)
    def _case_worker_assigned(self, case_worker_id: str) -> None:
        self.case_worker_id = case_worker_id

    @event(StartDated)
    def _start_dated(self, on: date, seen: bool, passed: tuple[str, ...]) -> None:
        if self.school_clock_from == self.started_on:  # the first school clock runs from the start
            self.school_clock_from = on
        self.started_on, self.start_seen, self.passed = on, seen, set(passed)

    @event(TypeSaid)
    def _type_said(
        self, on: date | None, placement_type: str, passed: tuple[str, ...], said_at: datetime | None = None
    ) -> None:
        self._take_type(on, placement_type, passed, said_at)  # temporary_care's

    @event(Ended)
    def _ended(self, on: date, closed: tuple[str, ...], home: bool = False) -> None:
        self.ended_on, self.closed_at_end = self.ended_on or on, tuple(closed)
        self.told_end_on, self.went_home = on, home

    @event(ExaminationDone)
    def _examination_done(self, kind: str, on: date) -> None:
        self.examinations[kind] = on

    @event(DeadlinePassed)
    def _deadline_passed(self, clock: str) -> None:
        self.passed.add(clock)
