"""The case store's use cases: record events and accesses, read, verify."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any, TypeVar
from uuid import uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError, Tracking

from services.kit.store import ServiceApplication
from services.case_store.domain.access_log import CaseAccessLog
from services.case_store.domain.timeline import CaseTimeline
from services.case_store.domain.verification import Verification, verify_chain

T = TypeVar("T")
LOCAL_WRITE_ATTEMPTS = 5


class CaseOwnedElsewhere(Exception):
    """An event about a case id that another municipality's events opened."""


class CaseStoreApplication(ServiceApplication):
    name = "case_store"

    def record_event(
        self,
        case_id: str,
        municipality: str,
        source_key: str,
        occurred_at: datetime,
        source: str,
        event_type: str,
        actor: str,
        summary: str,
        tracking: Tracking | None = None,
    ) -> bool:
        timeline = self.timeline(case_id) or CaseTimeline(case_id=case_id, municipality=municipality)
        if timeline.municipality != municipality:
            raise CaseOwnedElsewhere("an event's municipality differs from the case's owner")
        appended = timeline.append(source_key, occurred_at, source, event_type, actor, summary)
        self.save(timeline if appended else None, tracking=tracking)
        return appended

    def record_access(  # type: ignore[override]  # the case store logs straight into its access log
        self,
        case_id: str,
        actor: str,
        actor_municipality: str,
        resource: str,
        purpose: str,
        outcome: str,
        service: str = "case_store",
        source_key: str | None = None,
        tracking: Tracking | None = None,
    ) -> None:
        key = source_key or f"local:{uuid4()}"

        def write() -> None:
            log = self.access_log(case_id) or CaseAccessLog(case_id=case_id)
            log.record(key, actor, actor_municipality, service, resource, purpose, outcome)
            self.save(log, tracking=tracking)

        _retry_on_conflict(write)

    def timeline(self, case_id: str) -> CaseTimeline | None:
        return self._get(CaseTimeline.id_for(case_id))

    def timeline_as_of(self, case_id: str, as_of: datetime | None) -> tuple[CaseTimeline, list[Any]] | None:
        timeline = self.timeline(case_id)
        if timeline is None:
            return None
        entries = [e for e in timeline.entries if as_of is None or e.timestamp <= as_of]
        return timeline, entries

    def access_log(self, case_id: str) -> CaseAccessLog | None:
        return self._get(CaseAccessLog.id_for(case_id))

    def verify(self, case_id: str) -> Verification | None:
        """Re-check the chain from the stored records themselves, not from the cache."""
        timeline_id = CaseTimeline.id_for(case_id)
        stored = self.recorder.select_events(timeline_id)
        if not stored:
            return None
        return verify_chain(self._entries_from(stored[1:]))

    def _entries_from(self, stored: list[Any]) -> Iterator[Any]:
        for record in stored:
            try:
                yield self.mapper.to_domain_event(record)
            except Exception as error:  # altered bytes may fail to decode in many ways
                yield error

    def _get(self, aggregate_id: Any) -> Any:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None


def _retry_on_conflict(write: Callable[[], T]) -> T:
    """Concurrent readers append to the same log: reload and try again on a version conflict."""
    for _ in range(LOCAL_WRITE_ATTEMPTS - 1):
        try:
            return write()
        except IntegrityError:
            continue
    return write()
