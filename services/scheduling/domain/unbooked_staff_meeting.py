"""A referral to the Network Centre whose staff meeting could not be booked, noted once.

The slot finder found no time within its horizon at which one of every required group was
free (the roster full for months, or a required role missing from it).  The referral is
not bad input: it is noted, by a stable id of the municipality and referral, with what
convening needs, so that the coordinator sees it on the worklist and the periodic job can
try again as the calendar moves on.  It is settled when a retry books the meeting or the
referral is withdrawn.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class UnbookedStaffMeeting(Aggregate):
    class Noted(Aggregate.Created):
        municipality: str
        case_id: str
        referral_id: str
        referred_at: datetime
        child_status: str
        case_worker_id: str
        protected_identity: bool

    class CaseWorkerAssigned(Aggregate.Event):
        case_worker_id: str

    class Settled(Aggregate.Event):
        how: str  # booked (by a retry), or withdrawn or closed (with its referral)

    @staticmethod
    def id_for(municipality: str, referral_id: str) -> UUID:
        return stable_id("scheduling", "unbooked-staff-meeting", municipality, referral_id)

    @classmethod
    def create_id(cls, municipality: str, referral_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, referral_id)

    @event(Noted)
    def __init__(
        self,
        municipality: str,
        case_id: str,
        referral_id: str,
        referred_at: datetime,
        child_status: str,
        case_worker_id: str,
        protected_identity: bool,
    ) -> None:
        self.municipality, self.case_id, self.referral_id = municipality, case_id, referral_id
        self.referred_at, self.child_status = referred_at, child_status
        self.case_worker_id, self.protected_identity = case_worker_id, protected_identity
        self.settled: str | None = None

    @property
    def is_open(self) -> bool:
        return self.settled is None

    def assign_case_worker(self, case_worker_id: str) -> None:
        """The referral got a (new) case worker while its meeting waits: the retry invites them."""
        if self.is_open and case_worker_id != self.case_worker_id:
            self._case_worker_assigned(case_worker_id)

    @event(CaseWorkerAssigned)
    def _case_worker_assigned(self, case_worker_id: str) -> None:
        self.case_worker_id = case_worker_id

    def settle(self, how: str) -> None:
        if self.is_open:
            self._settled(how)

    @event(Settled)
    def _settled(self, how: str) -> None:
        self.settled = how
