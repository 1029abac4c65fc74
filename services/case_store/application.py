"""The case store's use cases: record events and accesses, read, verify."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Protocol, TypeVar
from uuid import uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError, Tracking

from services.case_store.domain.access_log import CaseAccessLog
from services.case_store.domain.placement_record import PlacementRecord
from services.case_store.domain.statistics import PlacementRow
from services.case_store.domain.timeline import CaseTimeline
from services.case_store.domain.verification import Verification, verify_chain
from services.kit.index import CatchUpIndex
from services.kit.store import ServiceApplication

T = TypeVar("T")
LOCAL_WRITE_ATTEMPTS = 5


class CaseOwnedElsewhere(Exception):
    """An event about a case id that another municipality's events opened."""


@dataclass(frozen=True)
class PlacementFact:
    """What a placement event tells the statistics."""

    kind: str  # started | changed | ended
    municipality: str
    case_id: str
    placement_id: str
    placement_type: str
    start_date: date
    end_date: date | None = None
    end_reason: str | None = None


class PlacementObserver(Protocol):
    def placement_recorded(self, municipality: str, what: str, label: str) -> None: ...


class _Silent:
    def placement_recorded(self, municipality: str, what: str, label: str) -> None:
        pass


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


class CaseStoreApplication(ServiceApplication):
    name = "case_store"

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        self._placements = CatchUpIndex(self, _fold_placements)
        self._timelines = CatchUpIndex(self, _fold_timelines)
        self.observer: PlacementObserver = _Silent()

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
        return self._append_to_timeline(
            case_id, municipality, source_key, occurred_at, source, event_type, actor, summary, (), tracking
        )

    def record_placement_event(
        self,
        placement: PlacementFact,
        source_key: str,
        occurred_at: datetime,
        source: str,
        event_type: str,
        actor: str,
        summary: str,
        tracking: Tracking | None = None,
    ) -> bool:
        """A placement event: into the timeline and, in the same transaction, into the statistics."""
        record = self._get_unless_unseen(
            PlacementRecord.id_for(placement.municipality, placement.placement_id), self._placements
        )
        changed = []
        if record is None:
            record = PlacementRecord(
                municipality=placement.municipality,
                case_id=placement.case_id,
                placement_id=placement.placement_id,
                placement_type=placement.placement_type,
                start_date=placement.start_date,
            )
            changed.append(("started", placement.placement_type))
        elif placement.kind == "changed" and record.change_type(placement.placement_type):
            changed.append(("changed", placement.placement_type))
        if (
            placement.kind == "ended"
            and placement.end_date
            and placement.end_reason
            and record.end(placement.end_date, placement.end_reason)
        ):
            changed.append(("ended", placement.end_reason))
        appended = self._append_to_timeline(
            placement.case_id,
            placement.municipality,
            source_key,
            occurred_at,
            source,
            event_type,
            actor,
            summary,
            (record,),
            tracking,
        )
        for what, label in changed:
            self.observer.placement_recorded(placement.municipality, what, label)
        return appended

    def _append_to_timeline(
        self,
        case_id: str,
        municipality: str,
        source_key: str,
        occurred_at: datetime,
        source: str,
        event_type: str,
        actor: str,
        summary: str,
        also: tuple[Any, ...],
        tracking: Tracking | None,
    ) -> bool:
        timeline = self._get_unless_unseen(CaseTimeline.id_for(case_id), self._timelines) or CaseTimeline(
            case_id=case_id, municipality=municipality
        )
        if timeline.municipality != municipality:
            raise CaseOwnedElsewhere("an event's municipality differs from the case's owner")
        appended = timeline.append(source_key, occurred_at, source, event_type, actor, summary)
        self.save(timeline if appended else None, *also, tracking=tracking)
        return appended

    # -- statistics ------------------------------------------------------------------------
    def placement_rows(self) -> list[PlacementRow]:
        return self._placements.rows()

    def case_ids(self) -> list[str]:
        return [case_id for case_id, _ in self._timelines.rows()]

    def timeline_owners(self) -> list[tuple[str, str]]:
        """(case id, municipality) of every timeline."""
        return self._timelines.rows()

    def verify_all(self) -> dict[str, Verification]:
        """Every timeline's chain, re-checked from the stored records."""
        results = {}
        for case_id in self.case_ids():
            verification = self.verify(case_id)
            if verification is not None:
                results[case_id] = verification
        return results

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
            except Exception as error:  # noqa: BLE001 - altered bytes may fail to decode in many ways
                yield error

    def _get_unless_unseen(self, aggregate_id: Any, index: CatchUpIndex[Any]) -> Any:
        """Inside a batch, an id its index has never seen is new: no store read for it.

        Most of a burst's events open new timelines and placement records, and a read that
        finds nothing was the largest single cost of ingest.  If another replica created
        the aggregate since the index caught up, saving a second one fails on the version
        conflict, the batch is rolled back, and its records are retried one at a time
        outside any batch, where this always reads the store.
        """
        work = self.current_work()
        if (
            work is not None
            and aggregate_id not in (self._pending_aggregates() or {})
            and not index.holds(aggregate_id, work)
        ):
            return None
        return self._get(aggregate_id)

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
