"""What the case store's use cases share: its indexes, plain reads and chain checks, and its
access log (written by ``access_recording.py``, mixed in here).

A case is (municipality, case id) (``identity.py``, ADR 0016).  Ingest (``ingest.py``) and
the HTTP reads (``reads.py``) build on this; ``application.py`` puts them together.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from services.case_store import SERVICE
from services.case_store.access_recording import AccessRecording
from services.case_store.chains import ChainDirectory
from services.case_store.domain.access_log import CaseAccessLog
from services.case_store.domain.placement_record import PlacementRecord
from services.case_store.domain.statistics import PlacementRow, with_type_from
from services.case_store.domain.timeline import CaseTimeline
from services.case_store.domain.verification import Verification
from services.case_store.identity import CaseLocation, TimelineDirectory
from services.kit.cases import CaseRef
from services.kit.index import CatchUpIndex

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


class CaseStore(AccessRecording):
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
