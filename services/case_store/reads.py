"""The case store's HTTP reads: ``use_case(caller, ...)`` returning a small read object.

The kit's command path runs them: it logs each case a result carries in that
case's access log before any data leaves, and answers ``CaseDataNotFound``
with its one 404.  A caller asks about a case id of its own municipality: the
case (caller's municipality, case id) (ADR 0016); another municipality's case of
the same id is another case, which the caller can neither see nor learn exists.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import takewhile
from typing import Any

from pydantic import BaseModel, Field, model_validator

from contracts.common import MUNICIPALITIES, Day
from contracts.placements import PLACEMENT_TYPES
from services.case_store.domain.access_log import CaseAccessLog
from services.case_store.domain.district_table import as_the_table_shows, district_table
from services.case_store.domain.statistics import MunicipalityFigures, placement_report
from services.case_store.domain.timeline import CaseTimeline, entries_in
from services.case_store.domain.verification import Verification
from services.case_store.identity import CaseLocation
from services.case_store.store import CaseStore
from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound, CaseRef
from services.kit.domain.swedish_time import LOCAL
from services.kit.pages import Paged, PageRequest

SEES_EVERY_MUNICIPALITY = "ops"


class StatisticsPeriod(BaseModel):
    """A reporting period, both days included; it cannot end before it starts."""

    period_from: Day = Field(alias="from")
    period_to: Day = Field(alias="to")

    @model_validator(mode="after")
    def _in_order(self) -> StatisticsPeriod:
        if self.period_to < self.period_from:
            raise ValueError("`to` must not be before `from`")
        return self


def _moment(stored: str) -> datetime:
    """An entry's ``occurred_at``.  Records whose time had no offset were taken until such times
    were refused at the edge; those entries keep the text they were chained with, read as
    Swedish time (as ``swedish_day`` reads such a moment) so they compare with ``as_of``."""
    moment = datetime.fromisoformat(stored)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=LOCAL)


@dataclass(frozen=True)
class TimeView:
    """Which of a timeline's entries to show: what had happened by ``as_of`` (its ``occurred_at``)
    and what the case store knew by ``known_as_of`` (when it recorded it); None: no limit."""

    as_of: datetime | None = None
    known_as_of: datetime | None = None

    def shows(self, entry: CaseTimeline.EntryAppended) -> bool:
        return self.as_of is None or _moment(entry.occurred_at) <= self.as_of

    def knew(self, entry: CaseTimeline.EntryAppended) -> bool:
        return self.known_as_of is None or entry.timestamp <= self.known_as_of


@dataclass(frozen=True)
class TimelineRead:
    """A page of a case's timeline as seen from ``when``."""

    case_id: str
    municipality: str
    when: TimeView
    entries: Paged[CaseTimeline.EntryAppended]


@dataclass(frozen=True)
class ChainCheck:
    case_id: str
    municipality: str
    verification: Verification


@dataclass(frozen=True)
class AccessLogRead:
    """A page of a case's access log, oldest first."""

    case_id: str
    municipality: str
    records: Paged[CaseAccessLog.AccessRecorded]


@dataclass(frozen=True)
class PlacementFigures:
    """Figures only: no case ids, so nothing here is logged as a read of a case."""

    period_from: date
    period_to: date
    municipalities: list[MunicipalityFigures]


class CaseReads(CaseStore):
    def read_timeline(self, caller: Caller, case_id: str, when: TimeView, page: PageRequest) -> TimelineRead:
        """A page of the entries after the cursor's position that ``when`` shows.

        Entries are recorded in order, so ``known_as_of`` ends the timeline at the first one
        recorded later; ``as_of`` skips those that happened later (an event can arrive late).
        The store is read a chunk at a time, only as far as the page needs.
        """
        where = self._readable_case(caller, case_id)
        chunks = self._entries_after(where.timeline_id, page.position_after(), page.limit + 1)
        stored = takewhile(when.knew, chunks)
        entries = page.select(filter(when.shows, stored), key=lambda entry: entry.position)
        return TimelineRead(where.case.case_id, where.case.municipality, when, entries)

    def _entries_after(
        self, timeline_id: Any, position: int, chunk_size: int
    ) -> Iterator[CaseTimeline.EntryAppended]:
        """The entries after ``position``, read ``chunk_size`` at a time (a page and one more).

        Entry n is the timeline's version n, or n + 1 in one opened before ADR 0037: reading
        from version ``position`` finds both (the older kind's entry ``position`` is skipped)."""
        version = position
        while chunk := self.events_after(timeline_id, version, chunk_size):
            yield from (entry for entry in entries_in(chunk) if entry.position > position)
            version = chunk[-1].originator_version

    def verify_timeline(self, caller: Caller, case_id: str) -> ChainCheck:
        where = self._readable_case(caller, case_id)
        verification = self.verify(where.case)
        if verification is None:
            raise CaseDataNotFound()
        return ChainCheck(where.case.case_id, where.case.municipality, verification)

    def read_access_log(self, caller: Caller, case_id: str, page: PageRequest) -> AccessLogRead:
        """A page of the records after the cursor's (the stored version of the last one examined).
        A case id with no timeline but reads logged of it (someone fishing for a case, or a read
        before the case's first event arrived) has its log read too: the attempts are the point."""
        where = self.locate(CaseRef(caller.municipality, case_id))
        if not where.known and not self.exists(where.access_log_id):
            raise CaseDataNotFound(where.case)
        case = where.case
        started = self.events_after(where.access_log_id, 0, 1)
        if not started:
            return AccessLogRead(case.case_id, case.municipality, Paged([]))
        stored = self.events_after(where.access_log_id, page.position_after(1), page.limit + 1)
        examined = page.select(stored, key=lambda record: record.originator_version)
        about = [r for r in examined.items if started[0].concerns(r, case.municipality)]
        return AccessLogRead(case.case_id, case.municipality, Paged(about, examined.next_key))

    def placement_statistics(self, caller: Caller, period: StatisticsPeriod) -> PlacementFigures:
        """`ops` sees every municipality; everyone else their own, with small counts suppressed."""
        visible = MUNICIPALITIES if caller.has_any_role(SEES_EVERY_MUNICIPALITY) else (caller.municipality,)
        rows = [row for row in self.placement_rows() if row.municipality in visible]
        start, end = period.period_from, period.period_to
        figures = placement_report(rows, start, end)
        if not caller.has_any_role(SEES_EVERY_MUNICIPALITY):  # small counts hidden, as in the district table
            table = district_table(rows, start, end, PLACEMENT_TYPES, suppress=True)
            figures = [as_the_table_shows(municipality, table) for municipality in figures]
        return PlacementFigures(start, end, figures)

    def _readable_case(self, caller: Caller, case_id: str) -> CaseLocation:
        """Where the case (caller's municipality, case id) is stored, if it has a timeline; else not found.

        The attempt names that case, so that the kit logs it in that case's access log.
        """
        where = self.locate(CaseRef(caller.municipality, case_id))
        if not where.known:
            raise CaseDataNotFound(where.case)
        return where
