"""Where a case's timeline and access log are stored (ADR 0016).

A case is (municipality, case id).  Its timeline and access log live under ids derived
from both, except for a case whose timeline was stored before that, keyed by case id
alone: that timeline (and its access log) stays under the legacy id, for the
municipality its ``Opened`` event names, and only for it.

The catch-up index of timelines already folds every ``Opened`` event; it also notes
which were stored under a legacy id, so choosing between the two ids costs no store read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from services.case_store.domain.access_log import CaseAccessLog
from services.case_store.domain.timeline import CaseTimeline
from services.kit.cases import CaseRef
from services.kit.index import CatchUpIndex
from services.kit.store import ServiceApplication


@dataclass(frozen=True)
class CaseLocation:
    """The stored aggregates of one case, and whether its timeline is known to exist."""

    case: CaseRef
    timeline_id: UUID
    known: bool
    legacy: bool = False

    @property
    def access_log_id(self) -> UUID:
        """Asked for only by reads and access records: ingest never needs it (it costs a uuid5)."""
        if self.legacy:
            return CaseAccessLog.legacy_id_for(self.case.case_id)
        return CaseAccessLog.id_for(self.case.municipality, self.case.case_id)

    def new_access_log(self) -> CaseAccessLog:
        return CaseAccessLog.start(self.access_log_id, self.case.case_id, self.case.municipality)


class TimelineDirectory:
    """Every timeline's case, caught up with the store, and the cases stored under legacy ids."""

    def __init__(self, app: ServiceApplication) -> None:
        self._legacy_owner: dict[str, str] = {}  # case id -> municipality, for legacy timelines
        self.index: CatchUpIndex[CaseRef] = CatchUpIndex(
            app,
            self._fold,
            events=(CaseTimeline.Opened, CaseTimeline.OpenedWithEntry),  # ADR 0037
        )

    def _fold(self, rows: dict[Any, CaseRef], e: Any) -> None:
        if isinstance(e, CaseTimeline.Opened):
            rows[e.originator_id] = CaseRef(e.municipality, e.case_id)
            # Only a timeline not under its case's own id (just made, so cached) can be a legacy one.
            if e.originator_id != CaseTimeline.id_for(e.municipality, e.case_id) and (
                e.originator_id == CaseTimeline.legacy_id_for(e.case_id)
            ):
                self._legacy_owner[e.case_id] = e.municipality

    def cases(self) -> list[tuple[UUID, CaseRef]]:
        """(timeline id, case) of every timeline."""
        return self.index.items()

    def locate(self, case: CaseRef, work: object | None) -> CaseLocation:
        """Where ``case`` is stored; the index catches up once per unit of ``work`` (now, without one).

        Legacy timelines are only ever found, never made, so once caught up, the index knows
        them all: a case id whose legacy timeline names another municipality is a new case here.
        """
        timeline_id = CaseTimeline.id_for(case.municipality, case.case_id)
        known = self.index.holds(timeline_id, work if work is not None else object())
        if self._legacy_owner.get(case.case_id) == case.municipality:
            return CaseLocation(case, CaseTimeline.legacy_id_for(case.case_id), True, legacy=True)
        return CaseLocation(case, timeline_id, known)
