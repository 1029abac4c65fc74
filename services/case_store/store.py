"""What the case store's use cases share: its indexes, plain reads, chain checks and access log.

A case is (municipality, case id) (``identity.py``, ADR 0016).  Ingest (``ingest.py``) and
the HTTP reads (``reads.py``) build on this; ``application.py`` puts them together.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar
from uuid import uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from services.case_store import SERVICE
from services.case_store.chains import ChainDirectory
from services.case_store.domain.access_log import AccessRecordSeen, CaseAccessLog
from services.case_store.domain.placement_record import PlacementRecord
from services.case_store.domain.statistics import PlacementRow, with_type_from
from services.case_store.domain.timeline import CaseTimeline
from services.case_store.domain.verification import Verification
from services.case_store.identity import CaseLocation, TimelineDirectory
from services.kit.cases import CaseRef
from services.kit.index import CatchUpIndex
from services.kit.logs import get_logger
from services.kit.store import ServiceApplication

logger = get_logger(__name__)
T = TypeVar("T")
LOCAL_WRITE_ATTEMPTS = 5


PLACEMENT_EVENTS = (
    PlacementRecord.Started,
    PlacementRecord.TypeChanged,
    PlacementRecord.DistrictChanged,
    PlacementRecord.Ended,
)


def _fold_placements(rows: dict[Any, PlacementRow], e: Any) -> None:
    if isinstance(e, PlacementRecord.Started):
        history = ((e.start_date, e.placement_type),)
        rows[e.originator_id] = PlacementRow(
            e.municipality, e.case_id, e.placement_type, e.start_date, None, None, history, e.district
        )
    elif isinstance(e, PlacementRecord.TypeChanged):
        row = rows[e.originator_id]
        history = with_type_from(row.history, row.start_date, e.on, e.placement_type)
        rows[e.originator_id] = replace(row, placement_type=history[-1][1], history=history)
    elif isinstance(e, PlacementRecord.DistrictChanged):
        rows[e.originator_id] = replace(rows[e.originator_id], district=e.district)
    elif isinstance(e, PlacementRecord.Ended):
        rows[e.originator_id] = replace(rows[e.originator_id], end_date=e.end_date, end_reason=e.end_reason)


class CaseStore(ServiceApplication):
    name = SERVICE

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._placements = CatchUpIndex(self, _fold_placements, events=PLACEMENT_EVENTS)
        self._timelines = TimelineDirectory(self)
        self.chains = ChainDirectory(self)

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

    def access_log_started(self, case: CaseRef) -> CaseAccessLog.Started | None:
        """The opening of ``case``'s access log, if it has one."""
        started = self.events_after(self.locate(case).access_log_id, 0, 1)
        return started[0] if started else None

    def access_records(self, case: CaseRef) -> list[CaseAccessLog.AccessRecorded]:
        """Every record of ``case``'s access log about that case, oldest first (a whole log: for
        a registerutdrag or a test, never a page)."""
        stored = self.events_after(self.locate(case).access_log_id, 0, 10**9)
        if not stored:
            return []
        return [record for record in stored[1:] if stored[0].concerns(record, case.municipality)]

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
        """Re-check the timeline's chain from the stored records themselves, not from the cache."""
        return self.chains.check(self.locate(case).timeline_id)[1]

    def verify_all(self) -> dict[CaseRef, Verification]:
        """Every timeline's chain, re-checked from the stored records."""
        results = {}
        for timeline_id, case in self._timelines.cases():
            verification = self.chains.check(timeline_id)[1]
            if verification is not None:
                results[case] = verification
        return results

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
        source_digest: str = "",
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
            marker = self._marker_unless_repeat(source_key, source_digest, service) if source_key else None
            if marker is False:
                return  # recorded already: a repeat, however it came
            log = self._access_log_tail(self.locate(case))
            log.record(key, actor, actor_municipality, service, resource, purpose, outcome)
            self.save(log, *([marker] if isinstance(marker, AccessRecordSeen) else []))

        _retry_on_conflict(write)

    def _marker_unless_repeat(self, source_key: str, digest: str, service: str) -> AccessRecordSeen | bool:
        """The marker to store with another service's access record; False if it is a repeat.

        A marker stored with other content (or none) was not stored with this record: the read
        is recorded, never taken for a repeat, and the marker now says what it said.
        """
        marker_id = AccessRecordSeen.id_for(source_key)
        seen = None
        if not self.is_only_writer or self.exists(marker_id):  # a rebuild knows without a read
            try:
                seen = self.repository.get(marker_id)
            except AggregateNotFoundError:
                seen = None
        if seen is None:
            return AccessRecordSeen(source_key, digest)
        if seen.is_repeat(digest):
            return False
        logger.warning("an access record was marked seen with other content; recorded", service=service)
        seen.seen_again(digest)
        return seen

    def _access_log_tail(self, where: CaseLocation) -> CaseAccessLog:
        """The log as far as appending needs it: its opening and its last record, not the whole log."""
        pending = self._pending_aggregates() or {}
        if where.access_log_id in pending:
            return pending[where.access_log_id]
        if self.is_only_writer:  # a rebuild: what it saved is what is stored
            kept = self.kept_aggregate(where.access_log_id)
            if kept is not None:
                return kept
            if not self.exists(where.access_log_id):
                return where.new_access_log()
        first = self.recorder.select_events(where.access_log_id, limit=1)
        if not first:
            return where.new_access_log()
        last = self.recorder.select_events(where.access_log_id, desc=True, limit=1)
        started, newest = (self.mapper.to_domain_event(stored) for stored in (first[0], last[0]))
        return CaseAccessLog.at_tail(started, newest)


def _retry_on_conflict(write: Callable[[], T]) -> T:
    """Concurrent readers append to the same log: reload and try again on a version conflict."""
    for _ in range(LOCAL_WRITE_ATTEMPTS - 1):
        try:
            return write()
        except IntegrityError:
            continue
    return write()
