"""The case store's HTTP reads: ``use_case(caller, ...)`` returning a small read object.

The kit's command path runs them: it logs each case a result carries in that
case's access log before any data leaves, and answers ``CaseDataNotFound``
with its one 404.  A caller asks about a case id of its own municipality: the
case (caller's municipality, case id) (ADR 0016); another municipality's case of
the same id is another case, which the caller can neither see nor learn exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import BaseModel, Field, model_validator

from contracts.common import MUNICIPALITIES
from services.case_store.domain.access_log import CaseAccessLog
from services.case_store.domain.statistics import MunicipalityFigures, placement_report
from services.case_store.domain.timeline import CaseTimeline
from services.case_store.domain.verification import Verification
from services.case_store.store import CaseStore
from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound, CaseRef

SEES_EVERY_MUNICIPALITY = "ops"


class StatisticsPeriod(BaseModel):
    """A reporting period, both days included; it cannot end before it starts."""

    period_from: date = Field(alias="from")
    period_to: date = Field(alias="to")

    @model_validator(mode="after")
    def _in_order(self) -> StatisticsPeriod:
        if self.period_to < self.period_from:
            raise ValueError("`to` must not be before `from`")
        return self


@dataclass(frozen=True)
class TimelineRead:
    """A case's timeline as it stood at ``as_of`` (all of it when None)."""

    case_id: str
    municipality: str
    as_of: datetime | None
    entries: list[CaseTimeline.EntryAppended]


@dataclass(frozen=True)
class ChainCheck:
    case_id: str
    municipality: str
    verification: Verification


@dataclass(frozen=True)
class AccessLogRead:
    case_id: str
    municipality: str
    records: list[CaseAccessLog.AccessRecorded]


@dataclass(frozen=True)
class PlacementFigures:
    """Figures only: no case ids, so nothing here is logged as a read of a case."""

    period_from: date
    period_to: date
    municipalities: list[MunicipalityFigures]


@dataclass(frozen=True)
class BrokenChain:
    municipality: str
    case_id: str
    first_broken_position: int | None
    reason: str | None


@dataclass(frozen=True)
class ChainsReport:
    timelines_checked: int
    broken: list[BrokenChain]


class CaseReads(CaseStore):
    def read_timeline(self, caller: Caller, case_id: str, as_of: datetime | None) -> TimelineRead:
        timeline = self._readable_timeline(caller, case_id)
        entries = [e for e in timeline.entries if as_of is None or e.timestamp <= as_of]
        return TimelineRead(timeline.case_id, timeline.municipality, as_of, entries)

    def verify_timeline(self, caller: Caller, case_id: str) -> ChainCheck:
        timeline = self._readable_timeline(caller, case_id)
        verification = self.verify(CaseRef(timeline.municipality, timeline.case_id))
        if verification is None:
            raise CaseDataNotFound()
        return ChainCheck(timeline.case_id, timeline.municipality, verification)

    def read_access_log(self, caller: Caller, case_id: str) -> AccessLogRead:
        timeline = self._readable_timeline(caller, case_id)
        log = self.access_log(CaseRef(timeline.municipality, timeline.case_id))
        records = log.records_of(timeline.municipality) if log else []
        return AccessLogRead(timeline.case_id, timeline.municipality, records)

    def placement_statistics(self, caller: Caller, period: StatisticsPeriod) -> PlacementFigures:
        """`ops` sees every municipality; everyone else their own."""
        visible = MUNICIPALITIES if caller.has_any_role(SEES_EVERY_MUNICIPALITY) else (caller.municipality,)
        rows = [row for row in self.placement_rows() if row.municipality in visible]
        figures = placement_report(rows, period.period_from, period.period_to)
        return PlacementFigures(period.period_from, period.period_to, figures)

    def chain_report(self, caller: Caller) -> ChainsReport:
        """Every timeline re-checked; the broken ones named, to others than `ops` only their own."""
        results = self.verify_all()
        sees_all = caller.has_any_role(SEES_EVERY_MUNICIPALITY)
        broken = [
            BrokenChain(case.municipality, case.case_id, result.first_broken_position, result.reason)
            for case, result in sorted(results.items())
            if not result.ok and (sees_all or case.municipality == caller.municipality)
        ]
        return ChainsReport(len(results), broken)

    def _readable_timeline(self, caller: Caller, case_id: str) -> CaseTimeline:
        """The timeline of the case (caller's municipality, case id); else not found.

        The attempt names that case, so that the kit logs it in that case's access log.
        """
        case = CaseRef(caller.municipality, case_id)
        timeline = self.timeline(case)
        if timeline is None or timeline.municipality != case.municipality:
            raise CaseDataNotFound(case)
        return timeline
