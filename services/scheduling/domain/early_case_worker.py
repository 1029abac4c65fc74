"""A referral's case worker assigned before scheduling heard of the referral, kept until it does.

Referrals' relay publishes a referral's events in order, but a record it parked is published when
ops release it, after the ones behind it: ``case_worker_assigned`` can then come before
``received``.  Its own aggregate, by a stable id of the municipality and referral: the last
assignment heard is the one kept (as a move would have left it), and convening takes it up once.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class EarlyCaseWorker(Aggregate):
    class Noted(Aggregate.Created):
        municipality: str
        referral_id: str
        case_worker_id: str

    class Reassigned(Aggregate.Event):
        case_worker_id: str

    class TakenUp(Aggregate.Event):
        """Its referral arrived and the case worker was moved into what that convened."""

    @staticmethod
    def id_for(municipality: str, referral_id: str) -> UUID:
        return stable_id("scheduling", "early-case-worker", municipality, referral_id)

    @classmethod
    def create_id(cls, municipality: str, referral_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, referral_id)

    @event(Noted)
    def __init__(self, municipality: str, referral_id: str, case_worker_id: str) -> None:
        self.municipality, self.referral_id, self.case_worker_id = municipality, referral_id, case_worker_id
        self.taken_up = False

    def reassign(self, case_worker_id: str) -> None:
        """Another assignment before the referral arrived: the later one is the case worker."""
        if not self.taken_up and case_worker_id != self.case_worker_id:
            self._reassigned(case_worker_id)

    @event(Reassigned)
    def _reassigned(self, case_worker_id: str) -> None:
        self.case_worker_id = case_worker_id

    def take_up(self) -> None:
        if not self.taken_up:
            self._taken_up()

    @event(TakenUp)
    def _taken_up(self) -> None:
        self.taken_up = True
