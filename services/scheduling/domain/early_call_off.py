"""A referral's staff meeting called off before scheduling heard of the referral, kept for good.

Referrals' relay publishes a referral's events in order, but a record it parked is published when
ops release it, after the ones behind it: ``declined``, ``revoked`` or ``closed`` can then come
before ``received``.  In order, ``received`` would have booked the staff meeting and the call-off
cancelled it; so once this is noted, convening books nothing for the referral (ADR 0026, addendum
"a referral called off before it arrived").  Its own aggregate, by a stable id of the municipality
and referral, noted once: a referral called off is never opened again, so nothing takes it back.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class EarlyCallOff(Aggregate):
    class Noted(Aggregate.Created):
        municipality: str
        referral_id: str
        reason: str

    @staticmethod
    def id_for(municipality: str, referral_id: str) -> UUID:
        return stable_id("scheduling", "early-call-off", municipality, referral_id)

    @classmethod
    def create_id(cls, municipality: str, referral_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, referral_id)

    @event(Noted)
    def __init__(self, municipality: str, referral_id: str, reason: str) -> None:
        self.municipality, self.referral_id, self.reason = municipality, referral_id, reason
