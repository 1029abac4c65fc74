"""Referrals' worklist (issue 16 item 3): referrals awaiting a response, and the sweep that notes
each one not answered in time, once.

A referral is to be accepted or declined within ``NATVERK_REFERRAL_RESPONSE_WORKING_DAYS`` Swedish
working days (default 3) after the day it was received; the team it was sent to is responsible.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from uuid import UUID

from services.kit.auth import Caller
from services.kit.domain.working_days import add_working_days
from services.kit.index import CatchUpIndex
from services.kit.pages import PageRequest
from services.kit.store import ServiceApplication
from services.kit.worklist import LOCAL, Duty, Worklist, WorklistFilter, local_today, worklist
from services.referrals.domain.referral import Referral

DEFAULT_RESPONSE_WORKING_DAYS = 3


@dataclass(frozen=True)
class AwaitingRow:
    municipality: str
    case_id: str
    target: str
    received_on: date
    awaiting: bool = True
    overdue_noted: bool = False


AWAITING_EVENTS = (
    Referral.Received,
    Referral.ResponseOverdue,
    Referral.Accepted,
    Referral.Declined,
    Referral.Closed,
    Referral.Revoked,
)


def _fold_awaiting(rows: dict[Any, AwaitingRow], e: Any) -> None:
    if isinstance(e, Referral.Received):
        received_on = e.timestamp.astimezone(LOCAL).date()
        rows[e.originator_id] = AwaitingRow(e.municipality, e.case_id, e.target, received_on)
    elif e.originator_id in rows:
        if isinstance(e, Referral.ResponseOverdue):
            rows[e.originator_id] = replace(rows[e.originator_id], overdue_noted=True)
        elif isinstance(e, Referral.Accepted | Referral.Declined | Referral.Closed | Referral.Revoked):
            rows[e.originator_id] = replace(rows[e.originator_id], awaiting=False)


class ReferralWorklist(ServiceApplication):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._awaiting = CatchUpIndex(self, _fold_awaiting, events=AWAITING_EVENTS)
        self.today: Callable[[], date] = local_today
        self.response_working_days = DEFAULT_RESPONSE_WORKING_DAYS

    def worklist(self, caller: Caller, wanted: WorklistFilter, page: PageRequest) -> Worklist:
        """The caller's municipality's referrals awaiting a response, earliest due first."""
        return worklist(self._duties(), caller.municipality, wanted, page, self.today())

    def check_response_deadlines(self) -> int:
        """Note each referral not answered by its due date, once (periodic job); how many."""
        today, noted = self.today(), 0
        for referral_id, row in self._awaiting.items():
            if row.awaiting and not row.overdue_noted and today > self._due(row):
                referral: Referral = self.repository.get(referral_id)
                if referral.note_response_overdue(self._due(row), today):
                    self.save(referral)
                    noted += 1
        return noted

    def _duties(self) -> list[Duty]:
        return [
            _duty(referral_id, row, self._due(row))
            for referral_id, row in self._awaiting.items()
            if row.awaiting
        ]

    def _due(self, row: AwaitingRow) -> date:
        return add_working_days(row.received_on, self.response_working_days)


def _duty(referral_id: UUID, row: AwaitingRow, due: date) -> Duty:
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
