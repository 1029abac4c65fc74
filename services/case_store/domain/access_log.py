"""Who looked at a case: every read of its data, allowed or refused, in one log per case.

A case is (municipality, case id) (ADR 0016).  A log stored before that is keyed by case
id alone, its ``Started`` names no municipality, and it may hold reads of another
municipality's case of the same id: ``records_of`` leaves those out.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id


class CaseAccessLog(Aggregate):
    class Started(Aggregate.Created):
        case_id: str
        municipality: str = ""  # "" in logs started before ADR 0016

        def concerns(self, record: CaseAccessLog.AccessRecorded, municipality: str) -> bool:
            """Whether ``record``, of the log this event started, is about ``municipality``'s case
            (``records_of`` says why): a page of the log is read without loading the log."""
            return _concerns(self.municipality, record, municipality)

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
    def id_for(municipality: str, case_id: str) -> UUID:
        """The access log of the case (municipality, case id)."""
        return stable_id("case-access-log", municipality, case_id)

    @staticmethod
    def legacy_id_for(case_id: str) -> UUID:
        """Where a log stored before ADR 0016 lives: keyed by case id alone."""
        return stable_id("access-log", case_id)

    @classmethod
    def create_id(cls, case_id: str, municipality: str, **_: object) -> UUID:
        return cls.id_for(municipality, case_id)

    @classmethod
    def start(cls, log_id: UUID, case_id: str, municipality: str) -> CaseAccessLog:
        """A new log under ``log_id``: the legacy id, for a case whose timeline has it too."""
        return cls._create(cls.Started, id=log_id, case_id=case_id, municipality=municipality)

    @event(Started)
    def __init__(self, case_id: str, municipality: str = "") -> None:
        self.case_id = case_id
        self.municipality = municipality
        self.records: list[CaseAccessLog.AccessRecorded] = []
        self.source_keys: set[str] = set()

    def records_of(self, municipality: str) -> list[CaseAccessLog.AccessRecorded]:
        """The records about ``municipality``'s case.

        A log that names its municipality was only ever given its own case's records.  One
        started before ADR 0016 was given every read of its case id: a granted read, or one
        that found nothing, concerned the reader's own municipality's case (nobody is granted
        another's), so of those only its own municipality's readers' are its case's; a
        refused read was about a case of another municipality than the reader's, and is kept.
        """
        return [r for r in self.records if _concerns(self.municipality, r, municipality)]

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


def _concerns(log_municipality: str, record: CaseAccessLog.AccessRecorded, municipality: str) -> bool:
    return bool(log_municipality) or record.actor_municipality == municipality or record.outcome == "denied"
