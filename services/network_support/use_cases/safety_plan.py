"""Safety-plan use cases (Signs of Safety): danger statements, scales, rules, versions, follow-up."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from services.kit.auth import Caller
from services.kit.index import CatchUpIndex
from services.kit.sweeps import saved_unless_taken
from services.network_support.commands import NewDangerStatement, NewRule, OnDate, SafetyPlanEnd, ScaleReading
from services.network_support.domain.network_map import NetworkMap
from services.network_support.domain.safety_plan import SafetyPlan
from services.network_support.use_cases.base import NetworkSupportBase


def _fold_safety_plans(rows: dict[Any, bool], e: Any) -> None:
    """Whether each plan's follow-up clock still runs: a concluded plan has none to check, until it
    is reopened."""
    if isinstance(e, SafetyPlan.Drafted | SafetyPlan.Reopened):
        rows[e.originator_id] = True
    elif isinstance(e, SafetyPlan.Concluded):
        rows[e.originator_id] = False


class SafetyPlanUseCases(NetworkSupportBase):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._safety_plans = CatchUpIndex(
            self, _fold_safety_plans, events=(SafetyPlan.Drafted, SafetyPlan.Concluded, SafetyPlan.Reopened)
        )

    def check_safety_follow_ups(self) -> int:
        """Note each plan whose follow-up is overdue, once per due date (periodic job); how many."""
        today, noted = self.today(), 0
        for plan_id, running in self._safety_plans.items():
            if not running:
                continue
            plan: SafetyPlan = self.repository.get(plan_id)
            if plan.note_overdue_follow_up(today) and saved_unless_taken(self, plan):
                self.observer.safety_follow_up_overdue(plan.municipality)
                noted += 1
        return noted

    def safety_plan(self, caller: Caller, case_id: str) -> SafetyPlan:
        return self._of_case(SafetyPlan, caller, case_id)

    def draft_safety_plan(self, caller: Caller, case_id: str) -> SafetyPlan:
        """Drafting a plan the case already has answers with that plan, reopened if it was concluded:
        concern has returned, and the team plans again (DOMAIN: safety planning is always examined)."""
        plan = self._find(SafetyPlan.id_for(caller.municipality, case_id))
        if plan is None:
            plan = SafetyPlan(municipality=caller.municipality, case_id=case_id, started_on=self.today())
        plan.reopen(self.today())
        self.save(plan)
        return plan

    def add_danger_statement(self, caller: Caller, case_id: str, new: NewDangerStatement) -> SafetyPlan:
        self._happened(new.on)
        with self._refusals_told(self.safety_plan(caller, case_id)) as plan:
            plan.add_danger_statement(new.statement, new.safety_goal, new.scale, new.on)
        self.save(plan)
        return plan

    def record_scale(self, caller: Caller, case_id: str, reading: ScaleReading) -> SafetyPlan:
        """A reading that names a meeting must come from one of the case's network meetings."""
        self._happened(reading.on)
        with self._refusals_told(self.safety_plan(caller, case_id)) as plan:
            if reading.meeting_id is not None:
                self._meetings_of(caller.municipality, case_id).check_reading(reading.meeting_id, reading.on)
            plan.record_scale(reading.statement_id, reading.value, reading.on, reading.meeting_id)
        self.save(plan)
        return plan

    def add_safety_rule(self, caller: Caller, case_id: str, new: NewRule) -> SafetyPlan:
        with self._refusals_told(self.safety_plan(caller, case_id)) as plan:
            plan.add_rule(new.text, tuple(new.responsible_member_ids), on_map=self._on_map(plan))
        self.save(plan)
        return plan

    def revise_safety_rule(self, caller: Caller, case_id: str, rule_id: int, revision: NewRule) -> SafetyPlan:
        with self._refusals_told(self.safety_plan(caller, case_id)) as plan:
            members = tuple(revision.responsible_member_ids)
            plan.revise_rule(rule_id, revision.text, members, on_map=self._on_map(plan))
        self.save(plan)
        return plan

    def revise_safety_plan(self, caller: Caller, case_id: str, dated: OnDate) -> SafetyPlan:
        self._happened(dated.on)
        with self._refusals_told(self.safety_plan(caller, case_id)) as plan:
            plan.revise(dated.on)
        self.save(plan)
        return plan

    def follow_up_safety_plan(self, caller: Caller, case_id: str, dated: OnDate) -> SafetyPlan:
        self._happened(dated.on)
        with self._refusals_told(self.safety_plan(caller, case_id)) as plan:
            plan.follow_up(dated.on)
        self.save(plan)
        return plan

    def conclude_safety_plan(self, caller: Caller, case_id: str, end: SafetyPlanEnd) -> SafetyPlan:
        self._happened(end.on)
        with self._refusals_told(self.safety_plan(caller, case_id)) as plan:
            plan.conclude(end.reason, end.on)
        self.save(plan)
        return plan

    def _on_map(self, plan: SafetyPlan) -> Collection[int]:
        """The members of the plan's case's network map (none without a map)."""
        network = self._find(NetworkMap.id_for(plan.municipality, plan.case_id))
        return network.members if network is not None else ()
