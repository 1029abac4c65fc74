"""Who looked at a case: every read of its data, allowed or refused, in one log per case."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class CaseAccessLog(Aggregate):
    class Started(Aggregate.Created):
        case_id: str

    class AccessRecorded(Aggregate.Event):
        source_key: str
        actor: str
        actor_municipality: str
        service: str
        resource: str
        purpose: str
        outcome: str

        def apply(self, aggregate: CaseAccessLog) -> None:
            aggregate.records.append(self)
            aggregate.source_keys.add(self.source_key)

    @staticmethod
    def id_for(case_id: str) -> UUID:
        return stable_id("access-log", case_id)

    @classmethod
    def create_id(cls, case_id: str, **_: object) -> UUID:
        return cls.id_for(case_id)

    @event(Started)
    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        self.records: list[CaseAccessLog.AccessRecorded] = []
        self.source_keys: set[str] = set()

    def record(
        self,
        source_key: str,
        actor: str,
        actor_municipality: str,
        service: str,
        resource: str,
        purpose: str,
        outcome: str,
    ) -> bool:
        """Record one access; False if this source key was recorded already."""
        if source_key in self.source_keys:
            return False
        self.trigger_event(
            self.AccessRecorded,
            source_key=source_key,
            actor=actor,
            actor_municipality=actor_municipality,
            service=service,
            resource=resource,
            purpose=purpose,
            outcome=outcome,
        )
        return True
