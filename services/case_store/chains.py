"""Every chain the case store holds, and re-checking one from its stored records (ADR 0019).

A chain is a case's timeline or its access log.  The directory follows the notification
log and knows, for each stored chain, the case its opening names and its head (length and
last hash; for an access log also the count and running hash of its records stored before
chaining, ADR 0034): what a checkpoint signs.  Checking a chain reads its records from the
store, never from the directory or a cache: an edit made under a running service is seen.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from services.case_store.domain.access_log import CaseAccessLog
from services.case_store.domain.checkpoint import ChainHead
from services.case_store.domain.timeline import CaseTimeline
from services.case_store.domain.verification import (
    Misplaced,
    Verification,
    opening_unreadable,
    stored_under_another_case,
    verify_chain,
)
from services.kit.domain.chain import chain_genesis
from services.kit.index import CatchUpIndex
from services.kit.store import ServiceApplication

TIMELINE, ACCESS_LOG = "timeline", "access-log"
# Each class is its own topic to the store: an index reads only the classes it names (ADR 0037).
OPENINGS = (CaseTimeline.Opened, CaseTimeline.OpenedWithEntry, CaseAccessLog.Started)
FOLDED = (*OPENINGS, CaseTimeline.EntryAppended, CaseAccessLog.AccessRecorded)


@dataclass
class Unchained:
    """An access log's records stored before chaining, as met in stored order (ADR 0034)."""

    records: int = 0
    hash: str = ""

    def add(self, record: CaseAccessLog.AccessRecorded) -> None:
        self.records, self.hash = self.records + 1, record.unchained_hash(self.hash)


def opening_head(kind: str, municipality: str, case_id: str) -> ChainHead:
    """A chain's head before its first link; an access log's covers its unchained records (none yet)."""
    unchained = (0, "") if kind == ACCESS_LOG else (None, None)
    return ChainHead(kind, municipality, case_id, 0, "", *unchained)


def _fold(rows: dict[Any, ChainHead], e: Any) -> None:
    row = rows.get(e.originator_id)
    if isinstance(e, CaseTimeline.OpenedWithEntry):  # an opening and link 1 at once (ADR 0037)
        rows[e.originator_id] = ChainHead(TIMELINE, e.municipality, e.case_id, 1, e.entry_hash)
    elif isinstance(e, OPENINGS):
        kind = TIMELINE if isinstance(e, CaseTimeline.Opened) else ACCESS_LOG
        rows[e.originator_id] = opening_head(kind, e.municipality, e.case_id)
    elif row is None:
        return
    elif isinstance(e, CaseTimeline.EntryAppended) or (
        isinstance(e, CaseAccessLog.AccessRecorded) and e.chain > 1
    ):
        rows[e.originator_id] = replace(row, length=e.position, head=e.entry_hash)
    elif isinstance(e, CaseAccessLog.AccessRecorded) and row.unchained_records is not None:
        hashed = e.unchained_hash(row.unchained_hash or "")
        rows[e.originator_id] = replace(
            row, unchained_records=row.unchained_records + 1, unchained_hash=hashed
        )


def _note_unreadable(rows: dict[Any, ChainHead], notification: Any) -> None:
    """A stored event of a chain that no longer decodes: the chain is checked all the same (from
    its records, which name what is wrong), under no case if its opening is what cannot be read."""
    kind = TIMELINE if notification.topic.startswith(get_topic(CaseTimeline)) else ACCESS_LOG
    rows.setdefault(notification.originator_id, ChainHead(kind, "", "", 0, ""))


def expected_ids(kind: str, municipality: str, case_id: str) -> tuple[UUID, ...]:
    """Where a chain of ``kind`` about (municipality, case id) may be stored (ADR 0016)."""
    aggregate = CaseTimeline if kind == TIMELINE else CaseAccessLog
    return aggregate.id_for(municipality, case_id), aggregate.legacy_id_for(case_id)


class ChainDirectory:
    def __init__(self, app: ServiceApplication) -> None:
        self._app = app
        self.index: CatchUpIndex[ChainHead] = CatchUpIndex(
            app, _fold, events=FOLDED, unreadable=_note_unreadable
        )

    def heads(self) -> list[tuple[UUID, ChainHead]]:
        """(stored id, head) of every chain, caught up with the store."""
        return self.index.items()

    def check(self, chain_id: UUID) -> tuple[ChainHead | None, Verification | None]:
        """The chain stored under ``chain_id`` re-checked from its records; (None, None) if none is."""
        stored = self._app.recorder.select_events(chain_id)
        if not stored:
            return None, None
        try:
            opening = self._app.mapper.to_domain_event(stored[0])
        except Exception:  # noqa: BLE001 - altered bytes may fail to decode in many ways
            return None, opening_unreadable()
        kind = TIMELINE if isinstance(opening, CaseTimeline.Opened) else ACCESS_LOG
        if not isinstance(opening, OPENINGS):
            return None, opening_unreadable()
        head = opening_head(kind, opening.municipality, opening.case_id)
        if chain_id not in expected_ids(kind, opening.municipality, opening.case_id):
            return head, stored_under_another_case()
        unchained = Unchained()
        links = self._links(stored[1:], kind, opening.timestamp, unchained)
        if isinstance(opening, CaseTimeline.OpenedWithEntry):  # it holds link 1 itself (ADR 0037)
            links = itertools.chain([opening.first_entry()], links)
        result = verify_chain(links, chain_genesis(kind, opening.municipality, opening.case_id))
        head = replace(head, length=result.entries_checked, head=result.hash_at(result.entries_checked) or "")
        if kind == ACCESS_LOG:  # all of them only if the walk got to the end (``result.ok``)
            head = replace(head, unchained_records=unchained.records, unchained_hash=unchained.hash)
        return head, result

    def _links(self, stored: list[Any], kind: str, began: datetime, unchained: Unchained) -> Iterator[Any]:
        """The chain's links in order; an access record stored before ADR 0019 (unchained) is
        shown but outside the chain, so only where one could stand: before the chained ones, and
        dated from the log's start to the first chained record.  Those are tallied in ``unchained``,
        which a checkpoint signs (ADR 0034): one forged with a date from that window is named there."""
        chained_before, last_unchained = False, began
        for record in stored:
            try:
                link = self._app.mapper.to_domain_event(record)
            except Exception as error:  # noqa: BLE001 - altered bytes may fail to decode in many ways
                yield error
                continue
            if kind == ACCESS_LOG and link.chain == 1:
                if chained_before:  # nothing is stored the old way once the chain began
                    yield Misplaced("an unchained access record after chained ones: inserted since")
                elif link.timestamp < began:
                    yield Misplaced("an unchained access record dated before its log began: inserted since")
                last_unchained = max(last_unchained, link.timestamp)
                unchained.add(link)
                continue
            if not chained_before and link.timestamp < last_unchained:
                yield Misplaced("an unchained access record dated after the chain began: inserted since")
            chained_before = True
            yield link
