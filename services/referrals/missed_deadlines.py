"""The sweep that notes, once, each of three worklist duties still not done the day after its due
day (ADR 0025 addendum "deadlines missed on referrals' worklist"): a referral nobody was made
responsible for (``case_worker_assignment``), a declined referral not followed up
(``declined_referral_follow_up``), and safety planning not examined
(``safety_planning_examination``, ADR 0036).  A referral's response has its own event on the
referral (``Referral.ResponseOverdue``), swept by ``check_response_deadlines``.

The sweep reads the worklist's own duties and their ``Duty.is_overdue``, so the published event
and the worklist's ``overdue`` never disagree: one still listed is noted from the day after its
due day, however long ago that was (obligations overdue before this sweep existed get their one
event on its first run).  A duty done (assigned, closed, examined, its referral ended) by its due
day leaves the worklist and is never noted; one done on a later day was missed all the same, even
if no sweep ran while it was overdue (the service down the whole day after): the worklist's folds
keep it (``_done_late``) and the sweep notes it, under the same id, so never twice.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from services.kit.index import CatchUpIndex
from services.kit.worklist import Duty
from services.referrals.domain.missed_deadline import MissedDeadline
from services.referrals.safety_planning import SafetyPlanningExaminations

SWEPT = frozenset({"case_worker_assignment", "declined_referral_follow_up", "safety_planning_examination"})


def _fold_noted(rows: dict[Any, tuple[str, str]], e: Any) -> None:
    rows[e.originator_id] = (e.municipality, e.case_id)  # the case it is about: a registerutdrag's


class MissedDeadlines(SafetyPlanningExaminations):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._missed_noted = CatchUpIndex(self, _fold_noted, events=(MissedDeadline.Noted,))

    def check_missed_deadlines(self) -> int:
        """Note each swept duty overdue on the worklist, or done after its due day, once (periodic
        job); how many."""
        today, run, noted = self.today(), object(), 0
        overdue = [(referral_id, duty) for referral_id, duty in self._owed() if duty.is_overdue(today)]
        for referral_id, duty in [*overdue, *self._done_late()]:
            if duty.obligation not in SWEPT:
                continue
            fields = _fields(referral_id, duty)
            if self._missed_noted.holds(MissedDeadline.create_id(**fields), run):
                continue
            try:
                self.save(MissedDeadline(**fields))
            except IntegrityError:
                continue  # another replica noted it at the same moment
            noted += 1
        return noted

    def missed_deadlines_of(self, municipality: str, case_id: str) -> list[MissedDeadline]:
        """The deadlines noted missed on the case, in the order they were noted (held about the
        child's case: a registerutdrag lists them)."""
        case = (municipality, case_id)
        return [
            self.repository.get(note_id) for note_id, about in self._missed_noted.items() if about == case
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
