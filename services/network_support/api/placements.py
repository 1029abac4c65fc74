"""/placements/{placement_id}: the network-placement inquiry, parent support, school and health."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.kit.commands import Kit
from services.network_support.api.common import READERS, STAFF, TAGS, PlacementPath
from services.network_support.application import NetworkSupportApplication as NetworkSupport
from services.network_support.commands import Examination, InquiryConclusion, OnDate, ParentSupportSession
from services.network_support.domain.network_placement_inquiry import NetworkPlacementInquiry
from services.network_support.use_cases.placements import Placement

router = APIRouter(prefix="/placements/{placement_id}", tags=TAGS)


class InquiryView(BaseModel):
    outcome: str | None
    candidates: list[int]


class PlacementView(BaseModel):
    placement_id: str
    case_id: str
    started_on: date
    due: dict[str, date]
    deadlines_passed: list[str]
    parent_support_offered_on: date | None
    parent_support_sessions: int
    school_started_on: date | None
    examinations: dict[str, date]
    inquiry: InquiryView | None
    ended_on: date | None = None
    temporary_care_since: date | None = Field(
        None,
        description="the first day of the last stretch in an emergency home (jourhem), as the records say",
    )
    lasting_care_from: date | None = Field(
        None, description="the day a change to a lasting type ended that stretch: lasting_care_decision met"
    )
    closed: dict[str, str] = Field(default_factory=dict, description="clock -> why it closed unmet")
    protected_identity: bool = Field(
        False,
        description="the child's, as any placement record or referral of the case said it: once said, kept",
    )
    protected_housing: bool = Field(
        False, description="in protected housing (skyddat_boende), as any placement record of the case said"
    )

    @classmethod
    def of(cls, placement: Placement) -> PlacementView:
        follow_up, inquiry = placement.follow_up, placement.inquiry
        return cls(
            placement_id=follow_up.placement_id,
            case_id=follow_up.case_id,
            started_on=follow_up.started_on,
            due=follow_up.due_dates(),
            deadlines_passed=sorted(follow_up.passed),
            parent_support_offered_on=follow_up.parent_support_offered_on,
            parent_support_sessions=len(follow_up.sessions),
            school_started_on=follow_up.school_started_on,
            examinations=follow_up.examinations,
            inquiry=None
            if inquiry is None
            else InquiryView(outcome=inquiry.outcome, candidates=inquiry.candidates),
            ended_on=follow_up.ended_on,
            temporary_care_since=placement.temporary_care[0],
            lasting_care_from=placement.temporary_care[1],
            closed=dict.fromkeys(follow_up.closed_at_end, "placement_ended"),
            protected_identity=placement.protected_identity,
            protected_housing=placement.protected_housing,
        )


class CandidatesView(BaseModel):
    candidates: list[int]

    @classmethod
    def of(cls, inquiry: NetworkPlacementInquiry) -> CandidatesView:
        return cls(candidates=list(inquiry.candidates))


class OutcomeView(BaseModel):
    outcome: str | None

    @classmethod
    def of(cls, inquiry: NetworkPlacementInquiry) -> OutcomeView:
        return cls(outcome=inquiry.outcome)


@router.get("", response_model=PlacementView)
def get_placement(placement_id: PlacementPath, kit: Kit) -> PlacementView:
    return kit.query(NetworkSupport.placement, placement_id, view=PlacementView, roles=READERS)


@router.post("/inquiry/candidates", response_model=CandidatesView)
def name_candidates(placement_id: PlacementPath, kit: Kit) -> CandidatesView:
    return kit.command(NetworkSupport.name_candidates, placement_id, view=CandidatesView, roles=STAFF)


@router.post("/inquiry/outcome", response_model=OutcomeView)
def conclude(placement_id: PlacementPath, body: InquiryConclusion, kit: Kit) -> OutcomeView:
    return kit.command(NetworkSupport.conclude_inquiry, placement_id, body, view=OutcomeView, roles=STAFF)


@router.post("/parent-support/offers", response_model=PlacementView)
def offer_parent_support(placement_id: PlacementPath, body: OnDate, kit: Kit) -> PlacementView:
    return kit.command(
        NetworkSupport.offer_parent_support, placement_id, body, view=PlacementView, roles=STAFF
    )


@router.post("/parent-support/sessions", response_model=PlacementView)
def record_session(placement_id: PlacementPath, body: ParentSupportSession, kit: Kit) -> PlacementView:
    return kit.command(
        NetworkSupport.record_parent_support_session, placement_id, body, view=PlacementView, roles=STAFF
    )


@router.post("/school-start", response_model=PlacementView)
def record_school_start(placement_id: PlacementPath, body: OnDate, kit: Kit) -> PlacementView:
    return kit.command(
        NetworkSupport.record_school_start, placement_id, body, view=PlacementView, roles=STAFF
    )


@router.post("/examinations", response_model=PlacementView)
def record_examination(placement_id: PlacementPath, body: Examination, kit: Kit) -> PlacementView:
    return kit.command(NetworkSupport.record_examination, placement_id, body, view=PlacementView, roles=STAFF)
