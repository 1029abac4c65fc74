"""POST /api/v1/subject-access: referrals' part of a registerutdrag (GDPR art. 15, ADR 0018), the
child's cases of the caller's municipality with everything referrals holds about each."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.kit.commands import Kit
from services.kit.subject_access import REGISTERUTDRAG, REGISTRARS, ChildByPin, Part
from services.referrals.api import ReferralView
from services.referrals.application import ReferralsApplication as Referrals
from services.referrals.missed_deadlines import MissedNote
from services.referrals.placed_children import FoundBy
from services.referrals.subject_access import CaseReferrals, ChildsReferrals

subject_access = APIRouter(prefix="/subject-access", tags=["subject access"])


class ReferralRecord(ReferralView):
    """A referral in a registerutdrag: as staff see it, with the reason given for it."""

    reason: str


class PlacementRecordsSaid(BaseModel):
    """What the case system's placement records of the case said of the child's protection."""

    protected_identity: bool
    protected_housing: bool = Field(description="in protected housing (skyddat_boende)")


class MissedDeadlineRecord(BaseModel):
    """A deadline noted missed on the case: a duty still not done the day after its due day."""

    obligation: str = Field(description="the worklist's, e.g. case_worker_assignment or referral_response")
    referral_id: UUID | None = Field(description="null for a duty of the case (safety planning examined)")
    due: date
    responsible_role: str
    noted_at: datetime

    @classmethod
    def of(cls, note: MissedNote) -> MissedDeadlineRecord:
        fields = {
            name: getattr(note, name) for name in ("obligation", "referral_id", "due", "responsible_role")
        }
        return cls(**fields, noted_at=note.created_on)


class CaseReferralsView(BaseModel):
    case_id: str
    referrals: list[ReferralRecord]
    placement_records: PlacementRecordsSaid | None = Field(
        description="null when no placement record named the child for the case"
    )
    found_by: FoundBy = Field(
        description="current_number: the case's latest placement record names the child; "
        "replaced_number: it names another child now (check before release); "
        "referral: no placement record named a child for the case, its referrals did"
    )
    missed_deadlines: list[MissedDeadlineRecord]

    @classmethod
    def of(cls, case: CaseReferrals) -> CaseReferralsView:
        protection = case.protection
        said = PlacementRecordsSaid(
            protected_identity=protection is not None and protection.identity,
            protected_housing=protection is not None and protection.housing,
        )
        records = [ReferralRecord.of(r) for r in case.referrals]
        return cls(
            case_id=case.case_id,
            referrals=records,
            placement_records=said if case.placed else None,
            found_by=case.found_by,
            missed_deadlines=[MissedDeadlineRecord.of(note) for note in case.missed_deadlines],
        )


class ReferralsPart(Part[CaseReferralsView]):
    """Referrals' part: the child's cases of the caller's municipality (referred, or named by a
    placement record); never the number asked with."""

    protected_identity: bool
    protected_housing: bool

    @classmethod
    def of(cls, child: ChildsReferrals) -> ReferralsPart:
        protection = {
            "protected_identity": child.protected_identity,
            "protected_housing": child.protected_housing,
        }
        return cls(**cls.fields_of(child), **protection)


@subject_access.post("", response_model=ReferralsPart)
def subject_access_request(body: ChildByPin, kit: Kit) -> ReferralsPart:
    """Everything referrals holds about the child (GDPR art. 15), and the case ids to ask the others about."""
    return kit.query(
        Referrals.subject_access, body, view=ReferralsPart, roles=REGISTRARS, purpose=REGISTERUTDRAG
    )
