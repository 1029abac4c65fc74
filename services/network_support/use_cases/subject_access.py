"""network_support's part of a registerutdrag (GDPR art. 15, ADR 0018): all it holds about a case.

Support plans, the network map, the safety plan, the placements followed up (with their
network-placement inquiries), home-return processes and the network meetings scheduling
announced: of the caller's municipality's cases only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.kit.auth import Caller
from services.kit.index import CatchUpIndex
from services.kit.subject_access import ChildsCases, Holdings
from services.network_support.domain.home_return import HomeReturnProcess
from services.network_support.domain.network_map import NetworkMap
from services.network_support.domain.network_meetings import NetworkMeetings
from services.network_support.domain.placement_follow_up import PlacementFollowUp
from services.network_support.domain.safety_plan import SafetyPlan
from services.network_support.domain.support_plan import SupportPlan
from services.network_support.use_cases.home_return import HomeReturnUseCases
from services.network_support.use_cases.placements import Placement, PlacementUseCases
from services.network_support.use_cases.support_plan import SupportPlanUseCases


def _fold_placements_of_cases(rows: dict[Any, tuple[str, str, str]], e: Any) -> None:
    """(municipality, case id, placement id) per followed-up placement."""
    if isinstance(e, PlacementFollowUp.Opened):
        rows[e.originator_id] = (e.municipality, e.case_id, e.placement_id)


@dataclass(frozen=True)
class CaseFile:
    """Everything network_support holds about one case."""

    case_id: str
    support_plans: list[SupportPlan]
    network_map: NetworkMap | None
    safety_plan: SafetyPlan | None
    placements: list[Placement]
    home_returns: list[HomeReturnProcess]
    network_meetings: NetworkMeetings | None

    def holds_anything(self) -> bool:
        held = (self.support_plans, self.network_map, self.safety_plan, self.placements, self.home_returns)
        return any(held) or self.network_meetings is not None


class SubjectAccessUseCases(SupportPlanUseCases, PlacementUseCases, HomeReturnUseCases):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._placements_of_cases = CatchUpIndex(
            self, _fold_placements_of_cases, events=(PlacementFollowUp.Opened,)
        )

    def subject_access(self, caller: Caller, asked: ChildsCases) -> Holdings[CaseFile]:
        """What is held about each case asked about, of the caller's municipality only."""
        return Holdings.of(self.name, caller.municipality, asked, lambda case_id: self._file(caller, case_id))

    def _file(self, caller: Caller, case_id: str) -> CaseFile | None:
        municipality = caller.municipality
        found = CaseFile(
            case_id,
            self._support_plans_of(municipality, case_id),
            self._find(NetworkMap.id_for(municipality, case_id)),
            self._find(SafetyPlan.id_for(municipality, case_id)),
            self._placements_of(municipality, case_id),
            self._processes_of(municipality, case_id),
            self._find(NetworkMeetings.id_for(municipality, case_id)),
        )
        return found if found.holds_anything() else None

    def _support_plans_of(self, municipality: str, case_id: str) -> list[SupportPlan]:
        return [
            self.repository.get(plan_id)
            for _, plan_id, (owner, case, _) in self._support_plans.in_creation_order()
            if (owner, case) == (municipality, case_id)
        ]

    def _placements_of(self, municipality: str, case_id: str) -> list[Placement]:
        """Each placement as ``GET /placements/{id}`` shows it: with its inquiry and the case's
        protection (what any placement record or referral of the case said), so that the
        registerutdrag never says less of a protected child than the placement view does."""
        return [
            self._placement(self.repository.get(follow_up_id))
            for follow_up_id, (owner, case, _) in self._placements_of_cases.items()
            if (owner, case) == (municipality, case_id)
        ]
