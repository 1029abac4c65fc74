"""Support-plan use cases: the Network Centre's goals and actions for a family."""

from __future__ import annotations

from typing import Any

from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound, CaseRef
from services.kit.index import CatchUpIndex
from services.network_support.commands import NewAction, NewGoal
from services.network_support.domain.support_plan import SupportPlan
from services.network_support.use_cases.base import NetworkSupportBase


def _fold_support_plans(rows: dict[Any, tuple[str, str]], e: Any) -> None:
    if isinstance(e, SupportPlan.Opened):
        rows[e.originator_id] = (e.municipality, e.case_id)


class SupportPlanUseCases(NetworkSupportBase):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._support_plans = CatchUpIndex(self, _fold_support_plans)

    def support_plan(self, caller: Caller, case_id: str) -> SupportPlan:
        """Plans are keyed by referral: the index finds the case's, in the caller's municipality only."""
        for plan_id, (owner, case) in self._support_plans.items():
            if owner == caller.municipality and case == case_id:
                return self.repository.get(plan_id)
        raise CaseDataNotFound(CaseRef(caller.municipality, case_id))

    def add_goal(self, caller: Caller, case_id: str, new: NewGoal) -> SupportPlan:
        plan = self.support_plan(caller, case_id)
        plan.add_goal(new.goal)
        self.save(plan)
        return plan

    def add_action(self, caller: Caller, case_id: str, new: NewAction) -> SupportPlan:
        plan = self.support_plan(caller, case_id)
        plan.add_action(new.description, new.owner_role, new.due)
        self.save(plan)
        return plan

    def complete_action(self, caller: Caller, case_id: str, action_id: int) -> SupportPlan:
        plan = self.support_plan(caller, case_id)
        plan.complete_action(action_id)
        self.save(plan)
        return plan
