"""The case store's part of a registerutdrag (GDPR art. 15, ADR 0018): each case's timeline and access log.

Of the caller's municipality's cases only (ADR 0016).  Both are read from the stored records,
never by loading a long log as an aggregate; of an access log from before ADR 0016 only the
records about this municipality's case are shown (``CaseStore.access_records``).
"""

from __future__ import annotations

from dataclasses import dataclass

from services.case_store.domain.access_log import CaseAccessLog
from services.case_store.domain.timeline import CaseTimeline, entries_in
from services.case_store.store import CaseStore
from services.kit.auth import Caller
from services.kit.cases import CaseRef
from services.kit.subject_access import ChildsCases, Holdings

EVERY_ENTRY = 10**9


@dataclass(frozen=True)
class CaseRecord:
    """A case's timeline entries and access records, oldest first."""

    case_id: str
    timeline: list[CaseTimeline.EntryAppended]
    access_log: list[CaseAccessLog.AccessRecorded]


class CaseSubjectAccess(CaseStore):
    def subject_access(self, caller: Caller, asked: ChildsCases) -> Holdings[CaseRecord]:
        """What the case store holds about each case asked about."""
        municipality = caller.municipality
        return Holdings.of(
            self.name, municipality, asked, lambda case_id: self._case_record(CaseRef(municipality, case_id))
        )

    def _case_record(self, case: CaseRef) -> CaseRecord | None:
        entries = list(entries_in(self.events_after(self.locate(case).timeline_id, 0, EVERY_ENTRY)))
        records = self.access_records(case)
        return CaseRecord(case.case_id, entries, records) if entries or records else None
