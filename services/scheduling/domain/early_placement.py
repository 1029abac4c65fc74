"""A referral's child placed before its staff meeting was convened, noted once.

Its own aggregate, by a stable id of the municipality and referral: convening reads it to invite
a parent supporter, whichever of the referral's events arrives first.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class EarlyPlacement(Aggregate):
    class Noted(Aggregate.Created):
        municipality: str
        referral_id: str
        placement_id: str

    @staticmethod
    def id_for(municipality: str, referral_id: str) -> UUID:
        return stable_id("scheduling", "early-placement", municipality, referral_id)

    @classmethod
    def create_id(cls, municipality: str, referral_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, referral_id)

    @event(Noted)
    def __init__(self, municipality: str, referral_id: str, placement_id: str) -> None:
        self.municipality, self.referral_id, self.placement_id = municipality, referral_id, placement_id
