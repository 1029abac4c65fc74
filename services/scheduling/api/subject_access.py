"""/api/v1/subject-access: scheduling's part of a registerutdrag (GDPR art. 15, ADR 0018)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.kit.commands import Kit
from services.kit.subject_access import REGISTERUTDRAG, REGISTRARS, ChildsCases, Part
from services.scheduling.api.views import MeetingView
from services.scheduling.application import SchedulingApplication as Scheduling
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.unbooked_staff_meeting import UnbookedStaffMeeting
from services.scheduling.subject_access import CaseMeetings

router = APIRouter(prefix="/subject-access", tags=["subject access"])


class MeetingRecord(MeetingView):
    """A meeting as its municipality's staff see it (who else took part among them), and how it went."""

    referral_id: str | None
    attended: list[str]
    outcome: str | None

    @classmethod
    def of(cls, meeting: Meeting) -> MeetingRecord:
        return cls(
            **MeetingView.of(meeting).model_dump(),
            referral_id=meeting.referral_id,
            attended=list(meeting.attended),
            outcome=meeting.outcome,
        )


class UnbookedRecord(BaseModel):
    """A referral whose staff meeting could not be booked when it arrived, and how that ended."""

    referral_id: str
    referred_at: datetime
    case_worker_id: str
    settled: str | None = Field(description="booked (by a retry), withdrawn, or null while still due")

    @classmethod
    def of(cls, unbooked: UnbookedStaffMeeting) -> UnbookedRecord:
        return cls(
            referral_id=unbooked.referral_id,
            referred_at=unbooked.referred_at,
            case_worker_id=unbooked.case_worker_id,
            settled=unbooked.settled,
        )


class CaseMeetingsView(BaseModel):
    case_id: str
    meetings: list[MeetingRecord]
    unbooked_staff_meetings: list[UnbookedRecord]

    @classmethod
    def of(cls, case: CaseMeetings) -> CaseMeetingsView:
        return cls(
            case_id=case.case_id,
            meetings=[MeetingRecord.of(m) for m in case.meetings],
            unbooked_staff_meetings=[UnbookedRecord.of(u) for u in case.unbooked],
        )


@router.post("", response_model=Part[CaseMeetingsView])
def subject_access(body: ChildsCases, kit: Kit) -> Part[CaseMeetingsView]:
    """The meetings of the child's cases (named by referrals' part), and those that could not be
    booked, of the caller's municipality."""
    view = Part[CaseMeetingsView]
    return kit.query(Scheduling.subject_access, body, view=view, roles=REGISTRARS, purpose=REGISTERUTDRAG)
