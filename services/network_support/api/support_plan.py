"""/referrals/{referral_id}/support-plan (one plan per referral) and /cases/{case_id}/support-plan
(the case's latest open plan): the Network Centre's goals and actions for a family."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel

from services.kit.commands import Kit
from services.network_support.api.common import READERS, STAFF, TAGS, AsOf, CaseIdPath, ReferralPath
from services.network_support.application import NetworkSupportApplication as NetworkSupport
from services.network_support.commands import NewAction, NewGoal
from services.network_support.domain.support_plan import SupportPlan

router = APIRouter(prefix="/cases/{case_id}/support-plan", tags=TAGS)
by_referral = APIRouter(prefix="/referrals/{referral_id}/support-plan", tags=TAGS)


class ActionView(BaseModel):
    action_id: int
    description: str
    owner_role: str
    due: date
    status: str


class SupportPlanView(BaseModel):
    plan_id: str
    case_id: str
    referral_id: str
    open: bool
    goals: list[str]
    actions: list[ActionView]

    @classmethod
    def of(cls, plan: SupportPlan) -> SupportPlanView:
        actions = [ActionView(action_id=key, **action) for key, action in plan.actions.items()]
        return cls(
            plan_id=str(plan.id),
            case_id=plan.case_id,
            referral_id=plan.referral_id,
            open=plan.closed_because is None,
            goals=plan.goals,
            actions=actions,
        )


@router.get("", response_model=SupportPlanView)
def get_support_plan(case_id: CaseIdPath, kit: Kit, as_of: AsOf = None) -> SupportPlanView:
    """The case's latest open plan, or as things stood at the end of the day ``as_of``."""
    return kit.query(NetworkSupport.support_plan_as_of, case_id, as_of, view=SupportPlanView, roles=READERS)


@router.post("/goals", response_model=SupportPlanView)
def add_goal(case_id: CaseIdPath, body: NewGoal, kit: Kit) -> SupportPlanView:
    return kit.command(NetworkSupport.add_goal, case_id, body, view=SupportPlanView, roles=STAFF)


@router.post("/actions", response_model=SupportPlanView)
def add_action(case_id: CaseIdPath, body: NewAction, kit: Kit) -> SupportPlanView:
    return kit.command(NetworkSupport.add_action, case_id, body, view=SupportPlanView, roles=STAFF)


@router.post("/actions/{action_id}/complete", response_model=SupportPlanView)
def complete_action(case_id: CaseIdPath, action_id: int, kit: Kit) -> SupportPlanView:
    return kit.command(NetworkSupport.complete_action, case_id, action_id, view=SupportPlanView, roles=STAFF)


@by_referral.get("", response_model=SupportPlanView)
def get_referral_support_plan(referral_id: ReferralPath, kit: Kit, as_of: AsOf = None) -> SupportPlanView:
    return kit.query(
        NetworkSupport.referral_support_plan_as_of, referral_id, as_of, view=SupportPlanView, roles=READERS
    )


@by_referral.post("/goals", response_model=SupportPlanView)
def add_referral_goal(referral_id: ReferralPath, body: NewGoal, kit: Kit) -> SupportPlanView:
    return kit.command(NetworkSupport.add_referral_goal, referral_id, body, view=SupportPlanView, roles=STAFF)


@by_referral.post("/actions", response_model=SupportPlanView)
def add_referral_action(referral_id: ReferralPath, body: NewAction, kit: Kit) -> SupportPlanView:
    return kit.command(
        NetworkSupport.add_referral_action, referral_id, body, view=SupportPlanView, roles=STAFF
    )


@by_referral.post("/actions/{action_id}/complete", response_model=SupportPlanView)
def complete_referral_action(referral_id: ReferralPath, action_id: int, kit: Kit) -> SupportPlanView:
    return kit.command(
        NetworkSupport.complete_referral_action, referral_id, action_id, view=SupportPlanView, roles=STAFF
    )
