"""/cases/{case_id}/safety-plan: the Signs of Safety plan of a case."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.kit.commands import Kit
from services.network_support.api.common import READERS, STAFF, TAGS, AsOf, CaseIdPath, DatedScale
from services.network_support.application import NetworkSupportApplication as NetworkSupport
from services.network_support.commands import NewDangerStatement, NewRule, OnDate, SafetyPlanEnd, ScaleReading
from services.network_support.domain.safety_plan import SafetyPlan

router = APIRouter(prefix="/cases/{case_id}/safety-plan", tags=TAGS)


class DangerStatementView(BaseModel):
    statement_id: int
    statement: str
    safety_goal: str
    scales: list[DatedScale]


class RuleView(BaseModel):
    rule_id: int
    text: str
    responsible_member_ids: list[int]


class ConclusionView(BaseModel):
    reason: str
    on: date


class EarlierConclusionView(BaseModel):
    reason: str
    on: date
    reopened_on: date


class SafetyPlanView(BaseModel):
    case_id: str
    version: int
    follow_up_due: date | None = Field(description="null once the plan is concluded: its clock stopped")
    concluded: ConclusionView | None = Field(None, description="why and when the plan ended; null while open")
    earlier_conclusions: list[EarlierConclusionView] = Field(
        default_factory=list, description="each time the plan ended before and the day it was reopened"
    )
    danger_statements: list[DangerStatementView]
    rules: list[RuleView]

    @classmethod
    def of(cls, plan: SafetyPlan) -> SafetyPlanView:
        ended = plan.concluded_on is not None and plan.conclusion_reason is not None
        return cls(
            case_id=plan.case_id,
            version=plan.plan_version,
            follow_up_due=None if ended else plan.follow_up_due,
            concluded=ConclusionView(reason=plan.conclusion_reason, on=plan.concluded_on) if ended else None,
            earlier_conclusions=[
                EarlierConclusionView(reason=reason, on=on, reopened_on=reopened_on)
                for reason, on, reopened_on in plan.earlier_conclusions
            ],
            danger_statements=[DangerStatementView(statement_id=k, **v) for k, v in plan.statements.items()],
            rules=[RuleView(rule_id=k, **v) for k, v in plan.rules.items()],
        )


@router.post("", status_code=201, response_model=SafetyPlanView)
def draft_safety_plan(case_id: CaseIdPath, kit: Kit) -> SafetyPlanView:
    """Draft the case's plan; the plan it has answers, reopened (a new follow-up due) if concluded."""
    return kit.command(
        NetworkSupport.draft_safety_plan, case_id, view=SafetyPlanView, roles=STAFF, status=201
    )


@router.get("", response_model=SafetyPlanView)
def get_safety_plan(case_id: CaseIdPath, kit: Kit, as_of: AsOf = None) -> SafetyPlanView:
    """The plan now, or as it was at the end of the day ``as_of`` (Europe/Stockholm)."""
    return kit.query(NetworkSupport.safety_plan_as_of, case_id, as_of, view=SafetyPlanView, roles=READERS)


@router.post("/danger-statements", response_model=SafetyPlanView)
def add_danger_statement(case_id: CaseIdPath, body: NewDangerStatement, kit: Kit) -> SafetyPlanView:
    return kit.command(NetworkSupport.add_danger_statement, case_id, body, view=SafetyPlanView, roles=STAFF)


@router.post("/scales", response_model=SafetyPlanView)
def record_scale(case_id: CaseIdPath, body: ScaleReading, kit: Kit) -> SafetyPlanView:
    return kit.command(NetworkSupport.record_scale, case_id, body, view=SafetyPlanView, roles=STAFF)


@router.post("/rules", response_model=SafetyPlanView)
def add_rule(case_id: CaseIdPath, body: NewRule, kit: Kit) -> SafetyPlanView:
    return kit.command(NetworkSupport.add_safety_rule, case_id, body, view=SafetyPlanView, roles=STAFF)


@router.put("/rules/{rule_id}", response_model=SafetyPlanView)
def revise_rule(case_id: CaseIdPath, rule_id: int, body: NewRule, kit: Kit) -> SafetyPlanView:
    return kit.command(
        NetworkSupport.revise_safety_rule, case_id, rule_id, body, view=SafetyPlanView, roles=STAFF
    )


@router.post("/revisions", response_model=SafetyPlanView)
def revise(case_id: CaseIdPath, body: OnDate, kit: Kit) -> SafetyPlanView:
    return kit.command(NetworkSupport.revise_safety_plan, case_id, body, view=SafetyPlanView, roles=STAFF)


@router.post("/follow-ups", response_model=SafetyPlanView)
def follow_up_plan(case_id: CaseIdPath, body: OnDate, kit: Kit) -> SafetyPlanView:
    return kit.command(NetworkSupport.follow_up_safety_plan, case_id, body, view=SafetyPlanView, roles=STAFF)


@router.post("/conclude", response_model=SafetyPlanView)
def conclude_plan(case_id: CaseIdPath, body: SafetyPlanEnd, kit: Kit) -> SafetyPlanView:
    """Conclude the plan (a reason from a closed set): its follow-up clock stops; later changes get 409."""
    return kit.command(NetworkSupport.conclude_safety_plan, case_id, body, view=SafetyPlanView, roles=STAFF)
