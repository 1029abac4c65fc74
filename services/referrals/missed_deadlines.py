"""The sweep that notes, once, each of three worklist duties still not done the day after its due
day (ADR 0025 addendum "deadlines missed on referrals' worklist"): a referral nobody was made
responsible for (``case_worker_assignment``), a declined referral not followed up
(``declined_referral_follow_up``), and safety planning not examined
(``safety_planning_examination``, ADR 0036).  A referral's response has its own event on the
referral (``Referral.ResponseOverdue``), swept by ``check_response_deadlines``.

The sweep reads the worklist's own duties and their ``Duty.is_overdue``, so the published event
and the worklist's ``overdue`` never disagree: a duty done (assigned, closed, examined, its
referral ended) leaves the worklist and is never noted; one still listed is noted from the day
after its due day, however long ago that was (obligations overdue before this sweep existed get
their one event on its first run).
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


def _fold_noted(rows: dict[Any, bool], e: Any) -> None:
    rows[e.originator_id] = True


class MissedDeadlines(SafetyPlanningExaminations):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._missed_noted = CatchUpIndex(self, _fold_noted, events=(MissedDeadline.Noted,))

    def check_missed_deadlines(self) -> int:
        """Note each swept duty overdue on the worklist, once (periodic job); how many."""
        today, run, noted = self.today(), object(), 0
        for referral_id, duty in self._owed():
            if duty.obligation not in SWEPT or not duty.is_overdue(today):
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


def _fields(referral_id: UUID | None, duty: Duty) -> dict[str, Any]:
    return {
        "obligation": duty.obligation,
        "municipality": duty.municipality,
        "case_id": duty.case_id,
        "referral_id": None if referral_id is None else str(referral_id),
        "due": duty.due,
        "responsible_role": duty.role,
    }
