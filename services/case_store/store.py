"""What the case store's use cases share: its indexes, plain reads, chain checks and access log.

Ingest (``ingest.py``) and the HTTP reads (``reads.py``) build on this;
``application.py`` puts them together.
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


def _fold_timelines(rows: dict[Any, tuple[str, str]], e: Any) -> None:
    if isinstance(e, CaseTimeline.Opened):
        rows[e.originator_id] = (e.case_id, e.municipality)


class CaseStore(ServiceApplication):
    name = SERVICE

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._placements = CatchUpIndex(self, _fold_placements)
        self._timelines = CatchUpIndex(self, _fold_timelines)

    # -- indexes ---------------------------------------------------------------------------
    def placement_rows(self) -> list[PlacementRow]:
        return self._placements.rows()

    def case_ids(self) -> list[str]:
        return [case_id for case_id, _ in self._timelines.rows()]

    def timeline_owners(self) -> list[tuple[str, str]]:
        """(case id, municipality) of every timeline."""
        return self._timelines.rows()

    # -- stored aggregates -----------------------------------------------------------------
    def timeline(self, case_id: str) -> CaseTimeline | None:
        return self._get(CaseTimeline.id_for(case_id))

    def access_log(self, case_id: str) -> CaseAccessLog | None:
        return self._get(CaseAccessLog.id_for(case_id))

    def _get(self, aggregate_id: Any) -> Any:
        try:
            return self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    # -- the audit chain -------------------------------------------------------------------
    def verify(self, case_id: str) -> Verification | None:
        """Re-check the chain from the stored records themselves, not from the cache."""
        timeline_id = CaseTimeline.id_for(case_id)
        stored = self.recorder.select_events(timeline_id)
        if not stored:
            return None
        return verify_chain(self._entries_from(stored[1:]))

    def verify_all(self) -> dict[str, Verification]:
        """Every timeline's chain, re-checked from the stored records."""
        results = {}
        for case_id in self.case_ids():
            verification = self.verify(case_id)
            if verification is not None:
                results[case_id] = verification
        return results

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
        The log is keyed by case id alone for now, so ``municipality`` is not kept.
        """
        key = source_key or f"local:{uuid4()}"

        def write() -> None:
            log = self.access_log(case_id) or CaseAccessLog(case_id=case_id)
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
