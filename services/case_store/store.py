"""What the case store's use cases share: its indexes, plain reads, chain checks and access log.

A case is (municipality, case id) (``identity.py``, ADR 0016).  Ingest (``ingest.py``) and
the HTTP reads (``reads.py``) build on this; ``application.py`` puts them together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any, TypeVar
from uuid import uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.case_store import SERVICE
from services.case_store.domain.access_log import CaseAccessLog
from services.case_store.domain.placement_record import PlacementRecord
from services.case_store.domain.statistics import PlacementRow
from services.case_store.domain.timeline import CaseTimeline
from services.case_store.domain.verification import Verification, verify_chain
from services.case_store.identity import CaseLocation, TimelineDirectory
from services.kit.cases import CaseRef
from services.kit.index import CatchUpIndex
from services.kit.store import ServiceApplication

T = TypeVar("T")
LOCAL_WRITE_ATTEMPTS = 5


def _fold_placements(rows: dict[Any, PlacementRow], e: Any) -> None:
    if isinstance(e, PlacementRecord.Started):
        rows[e.originator_id] = PlacementRow(
            e.municipality, e.case_id, e.placement_type, e.start_date, None, None
        )
    elif isinstance(e, PlacementRecord.TypeChanged):
        rows[e.originator_id] = replace(rows[e.originator_id], placement_type=e.placement_type)
    elif isinstance(e, PlacementRecord.Ended):
        rows[e.originator_id] = replace(rows[e.originator_id], end_date=e.end_date, end_reason=e.end_reason)


class CaseStore(ServiceApplication):
    name = SERVICE

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._placements = CatchUpIndex(self, _fold_placements)
        self._timelines = TimelineDirectory(self)

    # -- indexes ---------------------------------------------------------------------------
    def placement_rows(self) -> list[PlacementRow]:
        return self._placements.rows()

    def cases(self) -> list[CaseRef]:
        """Every case with a timeline: (municipality, case id)."""
        return [case for _, case in self._timelines.cases()]

    def locate(self, case: CaseRef) -> CaseLocation:
        """Where ``case``'s timeline and access log are stored (the index, caught up, says)."""
        return self._timelines.locate(case, self.current_work())

    # -- stored aggregates -----------------------------------------------------------------
    def timeline(self, case: CaseRef) -> CaseTimeline | None:
        return self._get(self.locate(case).timeline_id)

    def access_log(self, case: CaseRef) -> CaseAccessLog | None:
        return self._get(self.locate(case).access_log_id)

    def events_after(self, aggregate_id: Any, version: int, limit: int) -> list[Any]:
        """Up to ``limit`` of an aggregate's stored events after ``version``, without loading it."""
        stored = self.recorder.select_events(aggregate_id, gt=version, limit=limit)
        return [self.mapper.to_domain_event(record) for record in stored]

    def _get(self, aggregate_id: Any) -> Any:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    # -- the audit chain -------------------------------------------------------------------
    def verify(self, case: CaseRef) -> Verification | None:
        """Re-check the chain from the stored records themselves, not from the cache."""
        return self._verify_stored(self.locate(case).timeline_id)

    def verify_all(self) -> dict[CaseRef, Verification]:
        """Every timeline's chain, re-checked from the stored records."""
        results = {}
        for timeline_id, case in self._timelines.cases():
            verification = self._verify_stored(timeline_id)
            if verification is not None:
                results[case] = verification
        return results

    def _verify_stored(self, timeline_id: Any) -> Verification | None:
        stored = self.recorder.select_events(timeline_id)
        if not stored:
            return None
        return verify_chain(self._entries_from(stored[1:]))

    def _entries_from(self, stored: list[Any]) -> Iterator[Any]:
        for record in stored:
            try:
                yield self.mapper.to_domain_event(record)
            except Exception as error:  # noqa: BLE001 - altered bytes may fail to decode in many ways
                yield error

    # -- the access log --------------------------------------------------------------------
    def record_access(
        self,
        case_id: str,
        actor: str,
        actor_municipality: str,
        resource: str,
        purpose: str,
        outcome: str,
        municipality: str = "",
        *,
        service: str = SERVICE,
        source_key: str | None = None,
    ) -> None:
        """One read of a case, into the case store's own access log (not the kit's ``CaseAccess``).

        The kit's command path calls this for the case store's own reads; the inbound
        handler for every other service's reads, with their ``service`` and ``source_key``.
        ``municipality`` is the case's own (the reader's when empty, as in records that
        predate it: only a reader's own cases were logged that way).
        """
        key = source_key or f"local:{uuid4()}"
        case = CaseRef(municipality or actor_municipality, case_id)

        def write() -> None:
            where = self.locate(case)
            log = self._get(where.access_log_id) or where.new_access_log()
            log.record(key, actor, actor_municipality, service, resource, purpose, outcome)
            self.save(log)

        _retry_on_conflict(write)


def _retry_on_conflict(write: Callable[[], T]) -> T:
    """Concurrent readers append to the same log: reload and try again on a version conflict."""
    for _ in range(LOCAL_WRITE_ATTEMPTS - 1):
        try:
            return write()
        except IntegrityError:
            continue
    return write()
