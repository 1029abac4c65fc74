"""A case whose child has a protected identity, as a referral said after its staff meeting was
convened (a placement recorded on it): noted once, never taken back.

Its own aggregate, by a stable id of the municipality and case, because protection is the case's,
not one meeting's: every meeting of the case, booked before or after, is then marked so.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class ProtectedCase(Aggregate):
    class Noted(Aggregate.Created):
        municipality: str
        case_id: str

    @staticmethod
    def id_for(municipality: str, case_id: str) -> UUID:
        return stable_id("scheduling", "protected-case", municipality, case_id)

    @classmethod
    def create_id(cls, municipality: str, case_id: str, **_: object) -> UUID:
        return cls.id_for(municipality, case_id)

    @event(Noted)
    def __init__(self, municipality: str, case_id: str) -> None:
        self.municipality, self.case_id = municipality, case_id
