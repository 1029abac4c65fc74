"""Ingest, the case store's hot path: every inbound event into its case's timeline, and
placement events, in the same transaction, into the statistics.

The kit runs each call in its unit of work with the tracking record (a fetched
batch in one); inside a batch, ids the indexes have never seen are created
without a store read (ADR 0013).  Every event goes to the timeline of its case,
(municipality, case id) (ADR 0016): the same case id in another municipality is
another case, so no event is ever refused for the case's owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from services.case_store.domain.placement_record import PlacementRecord
from services.case_store.domain.timeline import CaseTimeline, NewEntry
from services.case_store.store import CaseStore
from services.kit.cases import CaseRef
from services.kit.index import CatchUpIndex


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
    district: str | None = None
    occurred_on: date | None = None  # the local day it happened: a change holds from then


class PlacementObserver(Protocol):
    def placement_recorded(self, municipality: str, what: str, label: str) -> None: ...


class _Silent:
    def placement_recorded(self, municipality: str, what: str, label: str) -> None:
        pass


class CaseIngest(CaseStore):
    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
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
    ) -> bool:
        entry = NewEntry(source_key, occurred_at, source, event_type, actor, summary)
        timeline = self._timeline_with(CaseRef(municipality, case_id), entry)
        if timeline is not None:
            self.save(timeline)
        return timeline is not None

    def record_placement_event(
        self,
        placement: PlacementFact,
        source_key: str,
        occurred_at: datetime,
        source: str,
        event_type: str,
        actor: str,
        summary: str,
    ) -> bool:
        """A placement event: into the timeline and, in the same transaction, into the statistics;
        one delivered again (its source key is in the timeline) into neither."""
        entry = NewEntry(source_key, occurred_at, source, event_type, actor, summary)
        timeline = self._timeline_with(CaseRef(placement.municipality, placement.case_id), entry)
        if timeline is None:
            return False
        record, changed = self._placement_record(placement)
        self.save(timeline, record)
        for what, label in changed:
            self.observer.placement_recorded(placement.municipality, what, label)
        return True

    def _placement_record(self, placement: PlacementFact) -> tuple[PlacementRecord, list[tuple[str, str]]]:
        """The placement's statistics record with this event applied, and what it changed."""
        record_id = PlacementRecord.id_for(placement.municipality, placement.placement_id)
        record = self._get_unless_unseen(record_id, self._placements)
        changed = []
        if record is None:
            record = PlacementRecord.start(
                record_id,
                municipality=placement.municipality,
                case_id=placement.case_id,
                placement_id=placement.placement_id,
                placement_type=placement.placement_type,
                start_date=placement.start_date,
                district=placement.district,
            )
            changed.append(("started", placement.placement_type))
        elif placement.kind == "changed" and record.change_type(
            placement.placement_type, placement.occurred_on or placement.start_date
        ):
            changed.append(("changed", placement.placement_type))
        record.note_district(placement.district)
        if (
            placement.kind == "ended"
            and placement.end_date
            and placement.end_reason
            and record.end(placement.end_date, placement.end_reason)
        ):
            changed.append(("ended", placement.end_reason))
        return record, changed

    def _timeline_with(self, case: CaseRef, entry: NewEntry) -> CaseTimeline | None:
        """The case's timeline with ``entry`` appended, or opened with it (one stored event, ADR
        0037); None if the timeline already holds it (an event delivered again)."""
        where = self.locate(case)
        timeline = self._get_unless_unseen(where.timeline_id, where.known)
        if timeline is None:
            return CaseTimeline.open_with_entry(where.timeline_id, case.case_id, case.municipality, entry)
        return timeline if timeline.append(entry) else None

    def _get_unless_unseen(self, aggregate_id: Any, seen: CatchUpIndex[Any] | bool) -> Any:
        """Inside a batch, an id its index has never seen is new: no store read for it.

        ``seen`` is the index, or its answer already asked for.  Most of a burst's events
        open new timelines and placement records, and a read that finds nothing was the
        largest single cost of ingest.  If another replica created the aggregate since the
        index caught up, saving a second one fails on the version conflict, the batch is
        rolled back, and its records are retried one at a time, where the index has caught
        up again (or, outside any unit of work, the store is always read).
        """
        work = self.current_work()
        if work is not None and aggregate_id not in (self._pending_aggregates() or {}):
            known = seen if isinstance(seen, bool) else seen.holds(aggregate_id, work)
            if not known:
                return None
        return self._get(aggregate_id)
