"""A referral's duties as the worklist and the missed-deadline sweep read them, from its events.

``ReferralRow`` is a referral as both need it, folded from its events by ``fold_referral``; the
duties of a row are made here, once, so the worklist's rows and the sweep's notes cannot disagree.
The fold also keeps each case workers' duty a referral's event ended after its due day
(``done_late``): it was missed even if no sweep saw it overdue (the service down the whole day
after), and the sweep notes it all the same (ADR 0025 addendum "a duty done late"); and the day the
response stopped being awaited (``awaited_until``), whose due day follows a setting the fold does
not know: the worklist judges it (ADR 0025 addendum "a referral answered late").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from services.kit.domain.working_days import add_working_days
from services.kit.worklist import LOCAL, Duty
from services.referrals.domain.referral import UNASSIGNED, Referral
from services.referrals.domain.who_decides import FOLLOWING_UP_ROLE

# Scheduling's staff meeting deadline (7 calendar days after the referral arrived), which the
# responsible case worker is to attend: the services share no code, so it is said again here.
CASE_WORKER_WITHIN = timedelta(days=7)
ASSIGNING_ROLE = "case_worker"
# A working week to decide what happens next for the child, on working days as the response is.
FOLLOW_UP_WORKING_DAYS = 5


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
    # The sweep noted its response overdue on the referral itself (``Referral.ResponseOverdue``,
    # until 2026-12-05): noted once already, so never again as a ``MissedDeadline``.
    overdue_noted: bool = False
    declined_on: date | None = None  # declined asking a follow-up, and not closed yet
    done_late: tuple[Duty, ...] = ()  # case workers' duties ended after their due day
    awaited_until: date | None = None  # the Swedish day it was answered, or ended unanswered
    respond_within: int | None = None  # working days allowed when it arrived (None: stored before)


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


def fold_referral(rows: dict[Any, ReferralRow], e: Any) -> None:
    before = rows.get(e.originator_id)
    _fold_row(rows, e)
    if before is not None:
        rows[e.originator_id] = _with_done_late(e, before, rows[e.originator_id])


def _fold_row(rows: dict[Any, ReferralRow], e: Any) -> None:
    if isinstance(e, Referral.Received):
        rows[e.originator_id] = ReferralRow(
            e.municipality,
            e.case_id,
            e.target,
            local_day(e),
            e.case_worker_id,
            respond_within=e.respond_within,
        )
    elif e.originator_id in rows:  # an index's rows are never removed: an ended one is marked
        row = rows[e.originator_id]
        if isinstance(e, _ENDED):
            declined_on = local_day(e) if isinstance(e, Referral.Declined) and e.follow_up_asked else None
            rows[e.originator_id] = replace(row, awaiting=False, open=False, declined_on=declined_on)
        elif isinstance(e, Referral.ResponseOverdue):
            rows[e.originator_id] = replace(row, overdue_noted=True)
        elif isinstance(e, Referral.Accepted):
            rows[e.originator_id] = replace(row, awaiting=False)
        elif isinstance(e, Referral.CaseWorkerAssigned):
            rows[e.originator_id] = replace(row, case_worker_id=e.case_worker_id)


def _with_done_late(e: Any, before: ReferralRow, after: ReferralRow) -> ReferralRow:
    """``after``, also keeping the case workers' duties ``e`` ended on a day after their due day,
    and the day ``e`` ended the wait for a response, if it did."""
    referral_id, day = e.originator_id, local_day(e)
    if before.awaiting and not after.awaiting:
        after = replace(after, awaited_until=day)
    still = {duty.key for duty in case_workers_duties(referral_id, after)}
    ended = [duty for duty in case_workers_duties(referral_id, before) if duty.key not in still]
    late = tuple(duty for duty in ended if duty.is_overdue(day))
    return replace(after, done_late=after.done_late + late) if late else after


def local_day(e: Any) -> date:
    """The Swedish day an event was stored on."""
    return e.timestamp.astimezone(LOCAL).date()


def case_workers_duties(referral_id: UUID, row: ReferralRow) -> list[Duty]:
    """A case worker to make responsible while the referral is open and nobody is, and a declined
    referral's follow-up until it is closed."""
    duties = []
    if row.open and row.case_worker_id == UNASSIGNED:
        duties.append(_case_worker_duty(referral_id, row))
    if row.declined_on is not None:
        duties.append(_follow_up_duty(referral_id, row, row.declined_on))
    return duties


def response_duty(referral_id: UUID, row: ReferralRow, due: date) -> Duty:
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
