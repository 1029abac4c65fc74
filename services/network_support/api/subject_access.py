"""/api/v1/subject-access: network_support's part of a registerutdrag (GDPR art. 15, ADR 0018)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel

from services.kit.commands import Kit
from services.kit.subject_access import REGISTERUTDRAG, REGISTRARS, ChildsCases, Part
from services.network_support.api.home_return import HomeReturnView
from services.network_support.api.network_map import NetworkMapView
from services.network_support.api.placements import PlacementView
from services.network_support.api.safety_plan import SafetyPlanView
from services.network_support.api.support_plan import SupportPlanView
from services.network_support.application import NetworkSupportApplication as NetworkSupport
from services.network_support.domain.network_meetings import NetworkMeetings
from services.network_support.use_cases.placements import Placement
from services.network_support.use_cases.subject_access import CaseFile

router = APIRouter(prefix="/subject-access", tags=["subject access"])


class SessionView(BaseModel):
    on: date
    mode: str
    parent: str


class PlacementRecord(PlacementView):
    """A placement followed up, with its type and every parent-support session."""

    placement_type: str
    sessions: list[SessionView]

    @classmethod
    def of(cls, placement: Placement) -> PlacementRecord:
        follow_up = placement.follow_up
        sessions = [SessionView(on=on, mode=mode, parent=parent) for on, mode, parent in follow_up.sessions]
        fields = PlacementView.of(placement).model_dump()
        return cls(**fields, placement_type=follow_up.placement_type, sessions=sessions)


class NetworkMeetingView(BaseModel):
    meeting_id: str
    on: date
    cancelled: bool

    @classmethod
    def all_of(cls, record: NetworkMeetings | None) -> list[NetworkMeetingView]:
        meetings = record.meetings.items() if record is not None else []
        return [cls(meeting_id=meeting_id, **meeting) for meeting_id, meeting in meetings]


class CaseFileView(BaseModel):
    case_id: str
    support_plans: list[SupportPlanView]
    network_map: NetworkMapView | None
    safety_plan: SafetyPlanView | None
    placements: list[PlacementRecord]
    home_returns: list[HomeReturnView]
    network_meetings: list[NetworkMeetingView]

    @classmethod
    def of(cls, case: CaseFile) -> CaseFileView:
        return cls(
            case_id=case.case_id,
            support_plans=[SupportPlanView.of(plan) for plan in case.support_plans],
            network_map=NetworkMapView.of(case.network_map) if case.network_map else None,
            safety_plan=SafetyPlanView.of(case.safety_plan) if case.safety_plan else None,
            placements=[PlacementRecord.of(placement) for placement in case.placements],
            home_returns=[HomeReturnView.of(process) for process in case.home_returns],
            network_meetings=NetworkMeetingView.all_of(case.network_meetings),
        )


@router.post("", response_model=Part[CaseFileView])
def subject_access(body: ChildsCases, kit: Kit) -> Part[CaseFileView]:
    """What network_support holds about the child's cases (named by referrals' part)."""
    view = Part[CaseFileView]
    return kit.query(NetworkSupport.subject_access, body, view=view, roles=REGISTRARS, purpose=REGISTERUTDRAG)
