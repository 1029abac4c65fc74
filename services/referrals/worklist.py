"""Referrals' worklist (issue 16 item 3): referrals awaiting a response, referrals awaiting a
responsible case worker, declined referrals to follow up; the sweeps that note, once, each duty
not done in time read its duties (``services.referrals.missed_deadlines``).

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
from datetime import date
from uuid import UUID

from services.kit.auth import Caller
from services.kit.domain.working_days import add_working_days
from services.kit.index import CatchUpIndex
from services.kit.pages import PageRequest
from services.kit.store import ServiceApplication
from services.kit.worklist import Duty, Worklist, WorklistFilter, local_today, worklist
from services.kit.worklist_filters import DutyRoles
from services.referrals.domain.who_decides import EXAMINING_ROLES, FOLLOWING_UP_ROLE, RECEIVING_ROLES
from services.referrals.referral_duties import (
    ASSIGNING_ROLE,
    WORKLIST_EVENTS,
    ReferralRow,
    case_workers_duties,
    fold_referral,
    response_duty,
)

DEFAULT_RESPONSE_WORKING_DAYS = 3
# A team's response is the team's and the coordinator's who leads it (who decide on it); a
# referral awaiting a case worker, or declined, the case workers'; safety planning, the examiner's
# (the safety team, led by the coordinator, or the case worker where there is none: ADR 0036).
DUTY_ROLES = DutyRoles.of(
    {
        role: RECEIVING_ROLES.get(role, frozenset()) | EXAMINING_ROLES.get(role, frozenset())
        for role in (ASSIGNING_ROLE, FOLLOWING_UP_ROLE, *RECEIVING_ROLES, *EXAMINING_ROLES)
    }
)


class ReferralWorklist(ServiceApplication):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._open = CatchUpIndex(self, fold_referral, events=WORKLIST_EVENTS)
        self.today: Callable[[], date] = local_today
        self.response_working_days = DEFAULT_RESPONSE_WORKING_DAYS

    def worklist(self, caller: Caller, wanted: WorklistFilter, page: PageRequest) -> Worklist:
        """The caller's municipality's referrals awaiting a response or a case worker, earliest due
        first."""
        return worklist(self._duties(), caller.municipality, wanted, page, self.today())

    def _duties(self) -> list[Duty]:
        return [duty for _, duty in self._owed()]

    def _owed(self) -> list[tuple[UUID | None, Duty]]:
        """Each duty with the referral it is a duty of (None: of the case): the worklist's rows and
        what the missed-deadline sweep notes (``services.referrals.missed_deadlines``), one rule."""
        owed: list[tuple[UUID | None, Duty]] = []
        for referral_id, row in self._open.items():
            if row.awaiting:
                owed.append((referral_id, response_duty(referral_id, row, self._due(row))))
            owed.extend((referral_id, duty) for duty in case_workers_duties(referral_id, row))
        return owed

    def _done_late(self) -> list[tuple[UUID | None, Duty]]:
        """Each duty done on a day after its due day, with the referral it was a duty of (None: of
        the case): missed, though the worklist no longer lists it."""
        late: list[tuple[UUID | None, Duty]] = []
        for referral_id, row in self._open.items():
            late.extend((referral_id, duty) for duty in row.done_late)
            response = response_duty(referral_id, row, self._due(row))
            if row.awaited_until is not None and response.is_overdue(row.awaited_until):
                late.append((referral_id, response))
        return late

    def _noted_on_the_referral(self) -> frozenset[UUID]:
        """The referrals whose response the sweep noted overdue on the referral itself, before its
        notes were ``MissedDeadline``s (``Referral.ResponseOverdue``): never noted again."""
        return frozenset(referral_id for referral_id, row in self._open.items() if row.overdue_noted)

    def _due(self, row: ReferralRow) -> date:
        """By the working days allowed when the referral arrived: a setting changed since neither makes
        an answer in time missed nor forgives a late one (referrals stored before: today's setting)."""
        return add_working_days(row.received_on, row.respond_within or self.response_working_days)
