"""Referrals' worklist (issue 16 item 3): referrals awaiting a response, referrals awaiting a
responsible case worker, declined referrals to follow up, and the sweep that notes each referral
not answered in time, once (the other duties' sweep: ``services.referrals.missed_deadlines``).

A referral is to be accepted or declined within ``NATVERK_REFERRAL_RESPONSE_WORKING_DAYS`` Swedish
working days (default 3) after the day it was received; the team it was sent to is responsible.
An open referral nobody is responsible for (one made at placement from a record naming no case
worker) is to be given a case worker by the staff meeting's deadline, 7 days after the day it was
received (DOMAIN.md step 2: the meeting is convened with the responsible case worker).  The case
workers (the authority unit, which owns the case) are responsible: any of them takes it with
``PUT .../case-worker``.

A declined referral is the case workers' to follow up (the child's concern is still there: another
intervention, a referral elsewhere) until it is closed, due ``FOLLOW_UP_WORKING_DAYS`` (5) Swedish
working days after the day it was declined, the responsible case worker as assignee where there is
one.  Its reason is free text and never on the list.  Declines stored before 2026-12-04 asked no
one and are not listed (ADR 0025 addendum).

A case where placement is being considered also carries ``safety_planning_examination``
(``services.referrals.safety_planning``, ADR 0036), the safety team's or the case worker's.

A filter by role picks what that role answers for: the coordinator leads both receiving teams and
decides on their referrals, so its items are the teams' responses and the safety team's
examinations (a referral awaiting a case worker stays the case workers': ADR 0025).  Only those
roles hold a referral duty (``DUTY_ROLES``: the kit refuses any other,
``services.kit.worklist_filters``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from services.kit.auth import Caller
from services.kit.domain.working_days import add_working_days
from services.kit.index import CatchUpIndex
from services.kit.pages import PageRequest
from services.kit.store import ServiceApplication
from services.kit.worklist import LOCAL, Duty, Worklist, WorklistFilter, local_today, worklist
from services.kit.worklist_filters import DutyRoles
from services.referrals.domain.referral import UNASSIGNED, Referral
from services.referrals.domain.who_decides import EXAMINING_ROLES, FOLLOWING_UP_ROLE, RECEIVING_ROLES

DEFAULT_RESPONSE_WORKING_DAYS = 3
# Scheduling's staff meeting deadline (7 calendar days after the referral arrived), which the
# responsible case worker is to attend: the services share no code, so it is said again here.
CASE_WORKER_WITHIN = timedelta(days=7)
ASSIGNING_ROLE = "case_worker"
# A working week to decide what happens next for the child, on working days as the response is.
FOLLOW_UP_WORKING_DAYS = 5
# A team's response is the team's and the coordinator's who leads it (who decide on it); a
# referral awaiting a case worker, or declined, the case workers'; safety planning, the examiner's
# (the safety team, led by the coordinator, or the case worker where there is none: ADR 0036).
DUTY_ROLES = DutyRoles.of(
    {
        role: RECEIVING_ROLES.get(role, frozenset()) | EXAMINING_ROLES.get(role, frozenset())
        for role in (ASSIGNING_ROLE, FOLLOWING_UP_ROLE, *RECEIVING_ROLES, *EXAMINING_ROLES)
    }
)


@dataclass(frozen=True)
class ReferralRow:
    """A referral as the worklist needs it."""

    municipality: str
    case_id: str
    target: str
    received_on: date
    case_worker_id: str
    awaiting: bool = True  # a response (accepted or declined) from the team
    open: bool = True  # received or accepted
    overdue_noted: bool = False
    declined_on: date | None = None  # declined asking a follow-up, and not closed yet


WORKLIST_EVENTS = (
    Referral.Received,
    Referral.ResponseOverdue,
    Referral.CaseWorkerAssigned,
    Referral.Accepted,
    Referral.Declined,
    Referral.Closed,
    Referral.Revoked,
)
_ENDED = (Referral.Declined, Referral.Closed, Referral.Revoked)


def _fold_open(rows: dict[Any, ReferralRow], e: Any) -> None:
    if isinstance(e, Referral.Received):
        rows[e.originator_id] = ReferralRow(
            e.municipality, e.case_id, e.target, _local_day(e), e.case_worker_id
        )
    elif e.originator_id in rows:  # an index's rows are never removed: an ended one is marked
        row = rows[e.originator_id]
        if isinstance(e, _ENDED):
            declined_on = _local_day(e) if isinstance(e, Referral.Declined) and e.follow_up_asked else None
            rows[e.originator_id] = replace(row, awaiting=False, open=False, declined_on=declined_on)
        elif isinstance(e, Referral.ResponseOverdue):
            rows[e.originator_id] = replace(row, overdue_noted=True)
        elif isinstance(e, Referral.Accepted):
            rows[e.originator_id] = replace(row, awaiting=False)
        elif isinstance(e, Referral.CaseWorkerAssigned):
            rows[e.originator_id] = replace(row, case_worker_id=e.case_worker_id)


def _local_day(e: Any) -> date:
    return e.timestamp.astimezone(LOCAL).date()


class ReferralWorklist(ServiceApplication):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._open = CatchUpIndex(self, _fold_open, events=WORKLIST_EVENTS)
        self.today: Callable[[], date] = local_today
        self.response_working_days = DEFAULT_RESPONSE_WORKING_DAYS

    def worklist(self, caller: Caller, wanted: WorklistFilter, page: PageRequest) -> Worklist:
        """The caller's municipality's referrals awaiting a response or a case worker, earliest due
        first."""
        return worklist(self._duties(), caller.municipality, wanted, page, self.today())

    def check_response_deadlines(self) -> int:
        """Note each referral not answered by its due date, once (periodic job); how many."""
        today, noted = self.today(), 0
        for referral_id, row in self._open.items():
            if row.awaiting and not row.overdue_noted and today > self._due(row):
                referral: Referral = self.repository.get(referral_id)
                if referral.note_response_overdue(self._due(row), today):
                    self.save(referral)
                    noted += 1
        return noted

    def _duties(self) -> list[Duty]:
        return [duty for _, duty in self._owed()]

    def _owed(self) -> list[tuple[UUID | None, Duty]]:
        """Each duty with the referral it is a duty of (None: of the case): the worklist's rows and
        what the missed-deadline sweep notes (``services.referrals.missed_deadlines``), one rule."""
        owed: list[tuple[UUID | None, Duty]] = []
        for referral_id, row in self._open.items():
            if row.awaiting:
                owed.append((referral_id, _response_duty(referral_id, row, self._due(row))))
            if row.open and row.case_worker_id == UNASSIGNED:
                owed.append((referral_id, _case_worker_duty(referral_id, row)))
            if row.declined_on is not None:
                owed.append((referral_id, _follow_up_duty(referral_id, row, row.declined_on)))
        return owed

    def _due(self, row: ReferralRow) -> date:
        return add_working_days(row.received_on, self.response_working_days)


def _response_duty(referral_id: UUID, row: ReferralRow, due: date) -> Duty:
    return Duty(
        municipality=row.municipality,
        case_id=row.case_id,
        obligation="referral_response",
        due=due,
        role=row.target,
        assignee=None,
        action=f"/api/v1/referrals/{referral_id}",
        key=str(referral_id),
    )


def _case_worker_duty(referral_id: UUID, row: ReferralRow) -> Duty:
    action = f"/api/v1/referrals/{referral_id}/case-worker"
    return Duty(
        municipality=row.municipality,
        case_id=row.case_id,
        obligation="case_worker_assignment",
        due=row.received_on + CASE_WORKER_WITHIN,
        role=ASSIGNING_ROLE,
        assignee=None,
        action=action,
        key=action,  # unique beside the referral's response duty, whose due day it may share
    )


def _follow_up_duty(referral_id: UUID, row: ReferralRow, declined_on: date) -> Duty:
    action = f"/api/v1/referrals/{referral_id}/close"
    return Duty(
        municipality=row.municipality,
        case_id=row.case_id,
        obligation="declined_referral_follow_up",
        due=add_working_days(declined_on, FOLLOW_UP_WORKING_DAYS),
        role=FOLLOWING_UP_ROLE,
        assignee=None if row.case_worker_id == UNASSIGNED else row.case_worker_id,
        action=action,
        key=action,  # a declined referral has no other duty, but keys stay distinct by kind
    )
