"""The sweeps that note, once, each worklist duty still not done the day after its due day (ADR
0025 addendum "deadlines missed on referrals' worklist"): ``check_missed_deadlines`` a referral
nobody was made responsible for (``case_worker_assignment``), a declined referral not followed up
(``declined_referral_follow_up``), and safety planning not examined
(``safety_planning_examination``, ADR 0036); ``check_response_deadlines`` a referral not answered
(``referral_response``, ADR 0025 addendum "a referral answered late").  Both store a
``MissedDeadline``, never an event of the referral: a response noted on the referral itself
(``Referral.ResponseOverdue``, until 2026-12-05) is noted already and never again.

The sweep reads the worklist's own duties and their ``Duty.is_overdue``, so the published event
and the worklist's ``overdue`` never disagree: one still listed is noted from the day after its
due day, however long ago that was (obligations overdue before this sweep existed get their one
event on its first run).  A duty done (assigned, closed, examined, its referral ended) by its due
day leaves the worklist and is never noted; one done on a later day was missed all the same, even
if no sweep ran while it was overdue (the service down the whole day after): the worklist's folds
keep it (``_done_late``) and the sweep notes it, under the same id, so never twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.kit.index import CatchUpIndex
from services.kit.sweeps import saved_unless_taken
from services.kit.worklist import Duty
from services.referrals.domain.missed_deadline import MissedDeadline
from services.referrals.domain.referral import Referral
from services.referrals.safety_planning import SafetyPlanningExaminations

SWEPT = frozenset({"case_worker_assignment", "declined_referral_follow_up", "safety_planning_examination"})
RESPONSE = frozenset({"referral_response"})


@dataclass(frozen=True)
class NotedOnTheReferral:
    """A response the sweep noted overdue on the referral itself (``Referral.ResponseOverdue``,
    until 2026-12-05), read as a ``MissedDeadline`` note reads: a registerutdrag lists both."""

    referral_id: str
    due: date
    responsible_role: str  # the team it was sent to
    created_on: datetime  # when noted
    obligation: str = "referral_response"


MissedNote = MissedDeadline | NotedOnTheReferral
Noted = tuple[tuple[str, str], NotedOnTheReferral | None]  # the case it is about; None: a note


def _fold_noted() -> Any:
    """A fold: note id (a referral's id for one noted on it) -> ``Noted``, in the order noted."""
    referrals: dict[Any, tuple[str, str, str]] = {}

    def fold(rows: dict[Any, Noted], e: Any) -> None:
        if isinstance(e, Referral.Received):
            referrals[e.originator_id] = (e.municipality, e.case_id, e.target)
        elif isinstance(e, Referral.ResponseOverdue):
            municipality, case_id, target = referrals[e.originator_id]
            noted = NotedOnTheReferral(str(e.originator_id), e.due, target, e.timestamp)
            rows[e.originator_id] = ((municipality, case_id), noted)
        else:
            rows[e.originator_id] = ((e.municipality, e.case_id), None)

    return fold


class MissedDeadlines(SafetyPlanningExaminations):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        noted = (MissedDeadline.Noted, Referral.Received, Referral.ResponseOverdue)
        self._missed_noted = CatchUpIndex(self, _fold_noted(), events=noted)

    def check_missed_deadlines(self) -> int:
        """Note each swept duty overdue on the worklist, or done after its due day, once (periodic
        job); how many."""
        return self._note_missed(SWEPT)

    def check_response_deadlines(self) -> int:
        """Note each referral not answered by its due day, whether still awaited or answered (or
        ended) after it, once (periodic job); how many."""
        return self._note_missed(RESPONSE, skip=self._noted_on_the_referral())

    def _note_missed(self, obligations: frozenset[str], skip: frozenset[UUID] = frozenset()) -> int:
        """Note each duty of ``obligations`` overdue or done late, but of the referrals ``skip``."""
        today, run, noted = self.today(), object(), 0
        overdue = [(referral_id, duty) for referral_id, duty in self._owed() if duty.is_overdue(today)]
        for referral_id, duty in [*overdue, *self._done_late()]:
            if duty.obligation not in obligations or referral_id in skip:
                continue
            fields = _fields(referral_id, duty)
            if self._missed_noted.holds(MissedDeadline.create_id(**fields), run):
                continue
            if saved_unless_taken(self, MissedDeadline(**fields)):  # else another replica noted it
                noted += 1
        return noted

    def missed_deadlines_of(self, municipality: str, case_id: str) -> list[MissedNote]:
        """The deadlines noted missed on the case, in the order they were noted (held about the
        child's case: a registerutdrag lists them)."""
        case = (municipality, case_id)
        return [
            on_the_referral or self.repository.get(note_id)
            for note_id, (about, on_the_referral) in self._missed_noted.items()
            if about == case
        ]


def _fields(referral_id: UUID | None, duty: Duty) -> dict[str, Any]:
    return {
        "obligation": duty.obligation,
        "municipality": duty.municipality,
        "case_id": duty.case_id,
        "referral_id": None if referral_id is None else str(referral_id),
        "due": duty.due,
        "responsible_role": duty.role,
    }
