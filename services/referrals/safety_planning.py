"""Safety planning examined (ADR 0036): asked for by a referral saying placement is near, a duty on
referrals' worklist until a referral to the safety team is made for the case or staff record the
examination's outcome (``POST /api/v1/cases/{case_id}/safety-planning-examination``).

The duty is the safety team's where the municipality has one (its coordinator leads it), else the
case worker's (``OfferedTargets.examiner``, read when the list is asked for, as network_support
does for the teams' duties: ADR 0025 addendum); due ``EXAMINE_WITHIN`` (7 days) after the Swedish
day the referral arrived.  A case whose safety team referral is open when placement is said to be
near is being examined already: nothing is asked.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound, CaseRef
from services.kit.index import CatchUpIndex
from services.kit.worklist import Duty
from services.referrals.commands import SafetyPlanningExamined
from services.referrals.domain.open_referral import OpenReferral
from services.referrals.domain.referral import Referral
from services.referrals.domain.safety_planning import (
    EXAMINE_WITHIN,
    SAFETY_TEAM,
    NothingToExamine,
    SafetyPlanningExamination,
    asks_for_examination,
)
from services.referrals.domain.who_decides import OfferedTargets, require_examiner
from services.referrals.referral_duties import local_day
from services.referrals.refusals import case_refusals_told
from services.referrals.worklist import ReferralWorklist

Examination = SafetyPlanningExamination
OBLIGATION = "safety_planning_examination"
INDEXED = (
    Referral.Received,
    Examination.Opened,
    Examination.Asked,
    Examination.Examined,
    Examination.ReferredToSafetyTeam,
)


@dataclass(frozen=True)
class CaseRow:
    """A case of the municipality (it has a referral), since when an examination is asked for, and
    when those made after their due day were asked for (missed, though no longer asked for)."""

    asked_on: date | None = None
    done_late: tuple[date, ...] = ()


def _fold_cases() -> Any:
    """A fold: (municipality, case id) -> ``CaseRow``, for every case a referral was made for."""
    case_of: dict[Any, tuple[str, str]] = {}

    def fold(rows: dict[Any, CaseRow], e: Any) -> None:
        if isinstance(e, Referral.Received):
            rows.setdefault((e.municipality, e.case_id), CaseRow())
        elif isinstance(e, Examination.Opened):
            case_of[e.originator_id] = (e.municipality, e.case_id)
        elif isinstance(e, Examination.Asked):
            case = case_of[e.originator_id]
            rows[case] = replace(rows.get(case, CaseRow()), asked_on=e.asked_on)
        else:  # examined, or referred to the safety team
            case = case_of[e.originator_id]
            rows[case] = _examined(rows.get(case, CaseRow()), local_day(e))

    return fold


def _examined(row: CaseRow, on: date) -> CaseRow:
    """``row`` once the examination asked for was made on ``on``: late, if after its due day."""
    if row.asked_on is not None and on > row.asked_on + EXAMINE_WITHIN:
        return CaseRow(None, (*row.done_late, row.asked_on))
    return CaseRow(None, row.done_late)


class SafetyPlanningExaminations(ReferralWorklist):
    offered: OfferedTargets  # the teams each municipality has (``AutoReferrals``, the settings)

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._cases = CatchUpIndex(self, _fold_cases(), events=INDEXED)

    def record_safety_planning_examination(
        self, caller: Caller, case_id: str, examined: SafetyPlanningExamined
    ) -> Examination:
        """The examination asked for the case was made, with this outcome (its examiner only)."""
        case = CaseRef(caller.municipality, case_id)
        if self._cases.get((case.municipality, case.case_id), self.current_work() or object()) is None:
            raise CaseDataNotFound(case)  # no referral of the case in the caller's municipality
        with case_refusals_told(case):
            require_examiner(self.offered.examiner(case.municipality), caller.roles)
            examination = self._examination(case.municipality, case.case_id)
            if examination is None:
                raise NothingToExamine("the case has no examination of safety planning to record")
            examination.record(examined.outcome)
        self.save(examination)
        return examination

    def examination_after(self, referral: Referral) -> list[Examination]:
        """What a referral just made changes of its case's examination (to save with it): a referral
        to the safety team makes the one asked for; one saying placement is near asks for one."""
        municipality, case_id = referral.municipality, referral.case_id
        if referral.target == SAFETY_TEAM:
            examination = self._examination(municipality, case_id)
            if examination is None or examination.asked_on is None:
                return []
            examination.refer_to_safety_team(str(referral.id))
            return [examination]
        if not asks_for_examination(referral.target, referral.child_status):
            return []
        if self._safety_team_referral_open(municipality, case_id):
            return []
        examination = self._examination(municipality, case_id) or Examination(municipality, case_id)
        examination.ask(str(referral.id), self.today())  # asked already: its deadline holds
        return [examination]

    def _owed(self) -> list[tuple[UUID | None, Duty]]:
        asked = [(case, row.asked_on) for case, row in self._cases.items() if row.asked_on is not None]
        return [*super()._owed(), *((None, self._examination_duty(*case, on)) for case, on in asked)]

    def _done_late(self) -> list[tuple[UUID | None, Duty]]:
        late = [(case, asked_on) for case, row in self._cases.items() for asked_on in row.done_late]
        return [*super()._done_late(), *((None, self._examination_duty(*case, on)) for case, on in late)]

    def _examination_duty(self, municipality: str, case_id: str, asked_on: date) -> Duty:
        action = f"/api/v1/cases/{case_id}/safety-planning-examination"
        return Duty(
            municipality=municipality,
            case_id=case_id,
            obligation=OBLIGATION,
            due=asked_on + EXAMINE_WITHIN,
            role=self.offered.examiner(municipality),
            assignee=None,
            action=action,
            key=action,  # one per case; never a referral's id, which the other duties' keys are
        )

    def _examination(self, municipality: str, case_id: str) -> Examination | None:
        examination_id = Examination.id_for(municipality, case_id)
        return self.repository.get(examination_id) if self.exists(examination_id) else None

    def _safety_team_referral_open(self, municipality: str, case_id: str) -> bool:
        slot_id = OpenReferral.id_for(municipality, case_id, SAFETY_TEAM)
        return self.exists(slot_id) and self.repository.get(slot_id).holder is not None
