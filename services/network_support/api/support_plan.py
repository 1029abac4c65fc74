"""/cases/{case_id}/support-plan: the Network Centre's goals and actions for a family."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel

from services.kit.commands import Kit
from services.network_support.api.common import READERS, STAFF, TAGS, CaseIdPath
from services.network_support.application import NetworkSupportApplication as NetworkSupport
from services.network_support.commands import NewAction, NewGoal
from services.network_support.domain.support_plan import SupportPlan

router = APIRouter(prefix="/cases/{case_id}/support-plan", tags=TAGS)


class ActionView(BaseModel):
    action_id: int
    description: str
    owner_role: str
    due: date
    status: str


class SupportPlanView(BaseModel):
    plan_id: str
    case_id: str
    goals: list[str]
    actions: list[ActionView]

    @classmethod
    def of(cls, plan: SupportPlan) -> SupportPlanView:
        actions = [ActionView(action_id=key, **action) for key, action in plan.actions.items()]
        return cls(plan_id=str(plan.id), case_id=plan.case_id, goals=plan.goals, actions=actions)


@router.get("", response_model=SupportPlanView)
def get_support_plan(case_id: CaseIdPath, kit: Kit) -> SupportPlanView:
    return kit.query(NetworkSupport.support_plan, case_id, view=SupportPlanView, roles=READERS)


@router.post("/goals", response_model=SupportPlanView)
def add_goal(case_id: CaseIdPath, body: NewGoal, kit: Kit) -> SupportPlanView:
    return kit.command(NetworkSupport.add_goal, case_id, body, view=SupportPlanView, roles=STAFF)


@router.post("/actions", response_model=SupportPlanView)
def add_action(case_id: CaseIdPath, body: NewAction, kit: Kit) -> SupportPlanView:
    return kit.command(NetworkSupport.add_action, case_id, body, view=SupportPlanView, roles=STAFF)


@router.post("/actions/{action_id}/complete", response_model=SupportPlanView)
def complete_action(case_id: CaseIdPath, action_id: int, kit: Kit) -> SupportPlanView:
    return kit.command(NetworkSupport.complete_action, case_id, action_id, view=SupportPlanView, roles=STAFF)
