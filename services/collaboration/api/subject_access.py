"""/api/v1/subject-access: collaboration's part of a registerutdrag (GDPR art. 15, ADR 0018)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.collaboration.api.matching import OwnRequest
from services.collaboration.application import CollaborationApplication as Collaboration
from services.collaboration.domain.family_home import FamilyHome
from services.collaboration.use_cases.subject_access import PoolRecords, Residence
from services.kit.commands import Kit
from services.kit.subject_access import REGISTERUTDRAG, REGISTRARS, ChildsCases, Part

router = APIRouter(prefix="/subject-access", tags=["subject access"])


class ResidenceView(BaseModel):
    home_id: str = Field(description="the home's pool id")
    owner_municipality: str
    register_id: str | None = Field(description="the caller's own id for the home; null for a partner's")
    placement_id: str
    moved_in: datetime
    moved_out: datetime | None

    @classmethod
    def of(cls, residence: Residence, home: FamilyHome) -> ResidenceView:
        own = home.municipality == residence.placing_municipality
        return cls(
            home_id=str(home.id),
            owner_municipality=home.municipality,
            register_id=home.register_id if own else None,
            placement_id=residence.placement_id,
            moved_in=residence.moved_in,
            moved_out=residence.moved_out,
        )


class PoolRecordsView(BaseModel):
    case_id: str
    matching_requests: list[OwnRequest]
    residences: list[ResidenceView]
    protected_identity: bool = Field(
        False, description="a placement record or referral of the case said so (kept)"
    )
    protected_housing: bool = Field(False, description="a placement record said skyddat_boende (kept)")
    emergency_placements: list[str] = Field(
        default_factory=list,
        description="ids of the case's placements a start or change said were in an emergency home "
        "(jourhem), kept so that a wait there keeps a matched place",
    )
    other_placements: list[str] = Field(
        default_factory=list,
        description="ids of the case's other placements whose change or end a record said, kept so "
        "that a start of it arriving later is not taken for a wait",
    )

    @classmethod
    def of(cls, records: PoolRecords) -> PoolRecordsView:
        emergencies, remembered = (
            (records.waits.emergencies, set(records.waits.placements)) if records.waits else (set(), set())
        )
        return cls(
            case_id=records.case_id,
            matching_requests=[OwnRequest.of(seen) for seen in records.matching_requests],
            residences=[ResidenceView.of(residence, home) for residence, home in records.residences],
            protected_identity=bool(records.protection and records.protection.identity),
            protected_housing=bool(records.protection and records.protection.housing),
            emergency_placements=sorted(emergencies),
            other_placements=sorted(remembered - emergencies),
        )


@router.post("", response_model=Part[PoolRecordsView])
def subject_access(body: ChildsCases, kit: Kit) -> Part[PoolRecordsView]:
    """The pool's records of the child's cases (named by referrals' part), of the caller's municipality."""
    view = Part[PoolRecordsView]
    return kit.query(Collaboration.subject_access, body, view=view, roles=REGISTRARS, purpose=REGISTERUTDRAG)
