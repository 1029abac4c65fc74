"""Scheduling's part of a registerutdrag (GDPR art. 15, ADR 0018): all it holds of the child's
cases: every meeting, each referral whose staff meeting could not be booked, the notes of those
overdue, the case's calendar feed tokens (never a token or its digest) and whether the case's
child has a protected identity (which marks the bundle)."""

from __future__ import annotations

from dataclasses import dataclass

from services.kit.auth import Caller
from services.kit.subject_access import ChildsCases, Holdings
from services.scheduling.domain.feed_token import FeedToken
from services.scheduling.domain.meeting import Meeting
from services.scheduling.domain.overdue_staff_meeting import OverdueStaffMeeting
from services.scheduling.domain.overdue_unbooked_staff_meeting import OverdueUnbookedStaffMeeting
from services.scheduling.domain.unbooked_staff_meeting import UnbookedStaffMeeting
from services.scheduling.feed_tokens import FeedTokenUseCases


@dataclass(frozen=True)
class CaseMeetings:
    """One case's meetings, in order of start, its staff meetings noted as unbooked, the notes of
    either overdue, and the calendar feed tokens issued for it."""

    case_id: str
    protected_identity: bool
    meetings: list[Meeting]
    unbooked: list[UnbookedStaffMeeting]
    overdue: list[OverdueStaffMeeting]
    overdue_unbooked: list[OverdueUnbookedStaffMeeting]
    feed_tokens: list[FeedToken]

    def holds_anything(self) -> bool:
        return self.protected_identity or bool(self.meetings or self.unbooked or self.feed_tokens)


# Extends the feed tokens' use cases for their index: a case's tokens are case data of it.
class SubjectAccessUseCases(FeedTokenUseCases):
    def subject_access(self, caller: Caller, asked: ChildsCases) -> Holdings[CaseMeetings]:
        """What is held of each case asked about, of the caller's municipality only."""
        municipality = caller.municipality
        rows = self._meeting_rows(municipality)
        noted = [row.noted for row in self._unbooked.rows() if row.noted.municipality == municipality]
        tokens = [row for row in self._feed_tokens.rows() if row.municipality == municipality]
        protected = self._protected_cases(municipality)

        def held(case_id: str) -> CaseMeetings | None:
            meetings = [self.repository.get(row.meeting_id) for row in rows if row.case_id == case_id]
            unbooked = [self.repository.get(n.originator_id) for n in noted if n.case_id == case_id]
            overdue = [self._get(OverdueStaffMeeting.id_for(str(m.id))) for m in meetings]
            late = [
                self._get(OverdueUnbookedStaffMeeting.id_for(municipality, u.referral_id)) for u in unbooked
            ]
            case = CaseMeetings(
                case_id,
                case_id in protected,
                meetings,
                unbooked,
                [note for note in overdue if note is not None],
                [note for note in late if note is not None],
                [
                    self.repository.get(t.token_id)
                    for t in tokens
                    if (t.scope, t.subject) == ("case", case_id)
                ],
            )
            return case if case.holds_anything() else None

        return Holdings.of(self.name, municipality, asked, held)
