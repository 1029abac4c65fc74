"""HTTP API of the referrals service: /api/v1/referrals.

Each route names its use case, view and roles; the kit's command path does the rest.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from contracts.common import CaseId
from contracts.referrals import SafetyPlanningOutcome
from services.kit.commands import Kit
from services.kit.pages import Page
from services.kit.params import CaseIdPath, Paging
from services.referrals.application import ReferralsApplication as Referrals
from services.referrals.commands import AssignCaseWorker, DeclineReferral, NewReferral, SafetyPlanningExamined
from services.referrals.domain.referral import Referral
from services.referrals.domain.safety_planning import SafetyPlanningExamination

READERS = ("case_worker", "coordinator", "network_centre", "safety_team", "auditor")
SENDERS = ("case_worker",)
HANDLERS = ("coordinator", "network_centre", "safety_team")  # of the receiving team (the use case)
CLOSERS = (*HANDLERS, "case_worker")  # the team an accepted one, the case worker a declined one
ASSIGNERS = ("case_worker", "coordinator")
REVOKERS = ("case_worker", "coordinator")  # the responsible case worker or a coordinator (the use case)
EXAMINERS = ("safety_team", "coordinator", "case_worker")  # the case's examiner (the use case)

router = APIRouter(prefix="/referrals", tags=["referrals"])
cases = APIRouter(prefix="/cases/{case_id}", tags=["safety planning"])


class ReferralView(BaseModel):
    """A referral as its municipality's staff see it; never the personal identity number."""

    id: UUID
    case_id: str
    municipality: str
    target: str
    status: str
    child_status: str
    protected_identity: bool
    case_worker_id: str
    origin: str
    placement_id: str | None
    decline_reason: str | None
    created_on: datetime
    modified_on: datetime
    version: int

    @classmethod
    def of(cls, referral: Referral) -> ReferralView:
        return cls(
            id=referral.id, **{name: getattr(referral, name) for name in cls.model_fields if name != "id"}
        )


@router.post("", status_code=201, response_model=ReferralView)
def create_referral(body: NewReferral, kit: Kit) -> ReferralView:
    return kit.command(Referrals.create_referral, body, view=ReferralView, roles=SENDERS, status=201)


@router.get("", response_model=Page[ReferralView])
def list_referrals(
    kit: Kit, page: Paging, case_id: Annotated[CaseId | None, Query()] = None
) -> Page[ReferralView]:
    """The caller's municipality's referrals, oldest first, a page at a time."""
    return kit.query(Referrals.referrals, page, case_id, view=Page[ReferralView], roles=READERS)


@router.get("/{referral_id}", response_model=ReferralView)
def get_referral(referral_id: UUID, kit: Kit) -> ReferralView:
    return kit.query(Referrals.referral, referral_id, view=ReferralView, roles=READERS)


@router.post("/{referral_id}/accept", response_model=ReferralView)
def accept_referral(referral_id: UUID, kit: Kit) -> ReferralView:
    return kit.command(Referrals.accept_referral, referral_id, view=ReferralView, roles=HANDLERS)


@router.post("/{referral_id}/decline", response_model=ReferralView)
def decline_referral(referral_id: UUID, body: DeclineReferral, kit: Kit) -> ReferralView:
    return kit.command(Referrals.decline_referral, referral_id, body, view=ReferralView, roles=HANDLERS)


@router.post("/{referral_id}/close", response_model=ReferralView)
def close_referral(referral_id: UUID, kit: Kit) -> ReferralView:
    return kit.command(Referrals.close_referral, referral_id, view=ReferralView, roles=CLOSERS)


@router.post("/{referral_id}/revoke", response_model=ReferralView)
def revoke_referral(referral_id: UUID, kit: Kit) -> ReferralView:
    return kit.command(Referrals.revoke_referral, referral_id, view=ReferralView, roles=REVOKERS)


@router.put("/{referral_id}/case-worker", response_model=ReferralView)
def assign_case_worker(referral_id: UUID, body: AssignCaseWorker, kit: Kit) -> ReferralView:
    return kit.command(Referrals.assign_case_worker, referral_id, body, view=ReferralView, roles=ASSIGNERS)


class SafetyPlanningExaminationView(BaseModel):
    case_id: str
    outcome: SafetyPlanningOutcome = Field(description="the outcome just recorded")
    due: date = Field(description="the day it was to be examined by")

    @classmethod
    def of(cls, examination: SafetyPlanningExamination) -> SafetyPlanningExaminationView:
        return cls(case_id=examination.case_id, outcome=examination.outcome, due=examination.outcome_due)


@cases.post("/safety-planning-examination", response_model=SafetyPlanningExaminationView)
def record_safety_planning_examination(
    case_id: CaseIdPath, body: SafetyPlanningExamined, kit: Kit
) -> SafetyPlanningExaminationView:
    """Safety planning was examined for the case (by its safety team, or its case worker where there
    is none): the outcome ends the worklist's ``safety_planning_examination``; 409 if none is due."""
    use_case, view = Referrals.record_safety_planning_examination, SafetyPlanningExaminationView
    return kit.command(use_case, case_id, body, view=view, roles=EXAMINERS)
