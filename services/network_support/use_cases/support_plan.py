"""Support-plan use cases: the Network Centre's goals and actions for a family.

A plan belongs to one referral and is addressed by it; the case's address names the case's
latest open plan (else its latest), as it did when a case could only reach one plan.
"""

from __future__ import annotations

from typing import Any

from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound, CaseRef
from services.kit.index import CatchUpIndex
from services.network_support.commands import NewAction, NewGoal
from services.network_support.domain.support_plan import SupportPlan
from services.network_support.use_cases.base import NetworkSupportBase


def _fold_support_plans(rows: dict[Any, tuple[str, str, bool]], e: Any) -> None:
    """(municipality, case id, open) per plan."""
    if isinstance(e, SupportPlan.Opened):
        rows[e.originator_id] = (e.municipality, e.case_id, True)
    elif isinstance(e, SupportPlan.Closed) and e.originator_id in rows:
        rows[e.originator_id] = (*rows[e.originator_id][:2], False)


class SupportPlanUseCases(NetworkSupportBase):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._support_plans = CatchUpIndex(
            self, _fold_support_plans, events=(SupportPlan.Opened, SupportPlan.Closed)
        )

    def support_plan(self, caller: Caller, case_id: str) -> SupportPlan:
        """The case's latest open plan, else its latest; in the caller's municipality only."""
        mine = [
            (is_open, made_at, plan_id)
            for made_at, plan_id, (owner, case, is_open) in self._support_plans.in_creation_order()
            if owner == caller.municipality and case == case_id
        ]
        if not mine:
            raise CaseDataNotFound(CaseRef(caller.municipality, case_id))
        return self.repository.get(max(mine)[2])

    def referral_support_plan(self, caller: Caller, referral_id: str) -> SupportPlan:
        return self.owned(SupportPlan.id_for(referral_id), caller.municipality)

    def add_goal(self, caller: Caller, case_id: str, new: NewGoal) -> SupportPlan:
        return self._goal_added(self.support_plan(caller, case_id), new)

    def add_action(self, caller: Caller, case_id: str, new: NewAction) -> SupportPlan:
        return self._action_added(self.support_plan(caller, case_id), new)

    def complete_action(self, caller: Caller, case_id: str, action_id: int) -> SupportPlan:
        return self._action_completed(self.support_plan(caller, case_id), action_id)

    def add_referral_goal(self, caller: Caller, referral_id: str, new: NewGoal) -> SupportPlan:
        return self._goal_added(self.referral_support_plan(caller, referral_id), new)

    def add_referral_action(self, caller: Caller, referral_id: str, new: NewAction) -> SupportPlan:
        return self._action_added(self.referral_support_plan(caller, referral_id), new)

    def complete_referral_action(self, caller: Caller, referral_id: str, action_id: int) -> SupportPlan:
        return self._action_completed(self.referral_support_plan(caller, referral_id), action_id)

    def referral_ended(self, referral_id: str, municipality: str, why: str) -> None:
        """A closed or revoked referral closes the plan it opened."""
        plan = self._find(SupportPlan.id_for(referral_id))
        if plan is not None and plan.municipality == municipality:
            plan.close(why)
            self.save(plan)

    def _goal_added(self, plan: SupportPlan, new: NewGoal) -> SupportPlan:
        with self._refusals_told(plan):
            plan.add_goal(new.goal)
        self.save(plan)
        return plan

    def _action_added(self, plan: SupportPlan, new: NewAction) -> SupportPlan:
        with self._refusals_told(plan):
            plan.add_action(new.description, new.owner_role, new.due)
        self.save(plan)
        return plan

    def _action_completed(self, plan: SupportPlan, action_id: int) -> SupportPlan:
        with self._refusals_told(plan):
            plan.complete_action(action_id)
        self.save(plan)
        return plan
