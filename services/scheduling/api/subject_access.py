"""/api/v1/subject-access: scheduling's part of a registerutdrag (GDPR art. 15, ADR 0018)."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.kit.commands import Kit
from services.kit.subject_access import REGISTERUTDRAG, REGISTRARS, ChildsCases, Part
from services.scheduling.api.views import MeetingView
from services.scheduling.application import SchedulingApplication as Scheduling
from services.scheduling.domain.feed_token import FeedToken
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.overdue_staff_meeting import OverdueStaffMeeting
from services.scheduling.domain.overdue_unbooked_staff_meeting import OverdueUnbookedStaffMeeting
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


class OverdueRecord(BaseModel):
    """A staff meeting noted as not held by its due day."""

    meeting_id: str
    due: date

    @classmethod
    def of(cls, overdue: OverdueStaffMeeting) -> OverdueRecord:
        return cls(meeting_id=overdue.meeting_id, due=overdue.due)


class OverdueUnbookedRecord(BaseModel):
    """A referral's staff meeting noted as still not booked after its deadline's day."""

    referral_id: str
    deadline: datetime

    @classmethod
    def of(cls, overdue: OverdueUnbookedStaffMeeting) -> OverdueUnbookedRecord:
        return cls(referral_id=overdue.referral_id, deadline=overdue.deadline)


class FeedTokenRecord(BaseModel):
    """A calendar feed token issued for the case: who asked for it, when, and whether it still
    works.  Never the token nor its digest: either would let the reader subscribe."""

    issued_at: datetime
    owner: str
    revoked: bool

    @classmethod
    def of(cls, feed_token: FeedToken) -> FeedTokenRecord:
        return cls(issued_at=feed_token.created_on, owner=feed_token.owner, revoked=feed_token.revoked)


class CaseMeetingsView(BaseModel):
    case_id: str
    protected_identity: bool = Field(description="the case's child has a protected identity")
    meetings: list[MeetingRecord]
    unbooked_staff_meetings: list[UnbookedRecord]
    overdue_staff_meetings: list[OverdueRecord]
    overdue_unbooked_staff_meetings: list[OverdueUnbookedRecord]
    feed_tokens: list[FeedTokenRecord]

    @classmethod
    def of(cls, case: CaseMeetings) -> CaseMeetingsView:
        return cls(
            case_id=case.case_id,
            protected_identity=case.protected_identity,
            meetings=[MeetingRecord.of(m) for m in case.meetings],
            unbooked_staff_meetings=[UnbookedRecord.of(u) for u in case.unbooked],
            overdue_staff_meetings=[OverdueRecord.of(o) for o in case.overdue],
            overdue_unbooked_staff_meetings=[OverdueUnbookedRecord.of(o) for o in case.overdue_unbooked],
            feed_tokens=[FeedTokenRecord.of(t) for t in case.feed_tokens],
        )


@router.post("", response_model=Part[CaseMeetingsView])
def subject_access(body: ChildsCases, kit: Kit) -> Part[CaseMeetingsView]:
    """What scheduling holds of the child's cases (named by referrals' part), of the caller's
    municipality."""
    view = Part[CaseMeetingsView]
    return kit.query(Scheduling.subject_access, body, view=view, roles=REGISTRARS, purpose=REGISTERUTDRAG)
