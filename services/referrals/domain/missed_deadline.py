"""A duty on referrals' worklist still not done the day after its due day, noted once (ADR 0025).

Its own aggregate, not an event of the referral or the case's examination: those are saved by
staff commands (a referral with its case's examination in one transaction), which a note stored
between their read and their save would make lose the race and run again.  One per duty and due
day, by a stable id, so the sweep can run again, after a restart or on two replicas, without
noting it twice (the second replica's creation conflicts); a safety planning examination asked for
again after one was made has a later due day, so it is a new duty.  A referral's response is asked
for once, so it is missed once, whatever day it was due: its due day follows a setting (the working
days allowed), which may change between two sweeps, so it is not part of that note's id.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id

ONCE_PER_REFERRAL = frozenset({"referral_response"})


class MissedDeadline(Aggregate):
    class Noted(Aggregate.Created):
        obligation: str  # the worklist's, e.g. ``case_worker_assignment``
        municipality: str
        case_id: str
        referral_id: str | None  # None: a duty of the case (safety planning examined), not a referral's
        due: date
        responsible_role: str

    @staticmethod
    def id_for(obligation: str, municipality: str, about: str, due: date) -> UUID:
        """``about``: the referral's id, or the case id for a duty of the case."""
        if obligation in ONCE_PER_REFERRAL:
            return stable_id("referrals", "missed-deadline", obligation, municipality, about)
        return stable_id("referrals", "missed-deadline", obligation, municipality, about, due.isoformat())

    @classmethod
    def create_id(
        cls, obligation: str, municipality: str, case_id: str, referral_id: str | None, due: date, **_: object
    ) -> UUID:
        return cls.id_for(obligation, municipality, referral_id or case_id, due)

    @event(Noted)
    def __init__(
        self,
        obligation: str,
        municipality: str,
        case_id: str,
        referral_id: str | None,
        due: date,
        responsible_role: str,
    ) -> None:
        self.obligation, self.municipality, self.case_id = obligation, municipality, case_id
        self.referral_id, self.due, self.responsible_role = referral_id, due, responsible_role
