"""A case's timeline: every event of every service about one case, hash-chained.

A case is (municipality, case id): the same case id in two municipalities is two
timelines (ADR 0016).  Timelines stored before that are keyed by case id alone and
stay where they are (``legacy_id_for``); their ``Opened`` event names their municipality.

Each entry's hash covers its content, position and recording time and the previous
entry's hash, from a start that names the case (``services.kit.domain.chain``, ADR 0019):
a changed, removed, reordered or re-dated entry, or an opening edited to name another
case, breaks the chain from that point on.  Entries stored before ADR 0019 (``chain`` 1)
were hashed without the recording time from a constant start; they still verify as such,
and a timeline's new entries link on from them.  An event seen before (same source key)
is not appended again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.chain import CHAIN_VERSION, chain_genesis, link_hash
from services.kit.domain.ids import stable_id

GENESIS_HASH = "0" * 64  # where chains stored before ADR 0019 start
CHAIN_KIND = "timeline"


def entry_hash(previous_hash: str, position: int, content: dict[str, str]) -> str:
    """An entry's hash as chained before ADR 0019 (``chain`` 1): no recording time."""
    canonical = json.dumps({"position": position, **content}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256((previous_hash + canonical).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewEntry:
    """What one upstream event puts into its case's timeline."""

    source_key: str
    occurred_at: datetime
    source: str
    event_type: str
    actor: str
    summary: str

    def content(self) -> dict[str, str]:
        """What an entry's hash covers besides its position and recording time."""
        return {
            "source_key": self.source_key,
            "occurred_at": self.occurred_at.isoformat(),
            "source": self.source,
            "event_type": self.event_type,
            "actor": self.actor,
            "summary": self.summary,
        }


def _link(previous_hash: str, position: int, recorded_at: datetime, entry: NewEntry) -> dict[str, Any]:
    """An entry's stored fields: its content, where it stands and how it is chained (ADR 0019)."""
    content = entry.content()
    return {
        "timestamp": recorded_at,
        "position": position,
        "previous_hash": previous_hash,
        "entry_hash": link_hash(previous_hash, position, recorded_at, content),
        "chain": CHAIN_VERSION,
        **content,
    }


class CaseTimeline(Aggregate):
    class Opened(Aggregate.Created):
        case_id: str
        municipality: str

    class EntryAppended(Aggregate.Event):
        position: int
        source_key: str
        occurred_at: str
        source: str
        event_type: str
        actor: str
        summary: str
        previous_hash: str
        entry_hash: str
        chain: int = 1  # entries stored before ADR 0019 carry no chain version

        def expected_hash(self, previous_hash: str) -> str:
            """What this entry's hash must be, linked to ``previous_hash``."""
            if self.chain == 1:
                return entry_hash(previous_hash, self.position, self.content())
            return link_hash(previous_hash, self.position, self.timestamp, self.content())

        def apply(self, aggregate: CaseTimeline) -> None:
            aggregate.entries.append(self)
            aggregate.source_keys.add(self.source_key)
            aggregate.head_hash = self.entry_hash

        def content(self) -> dict[str, str]:
            return {
                "source_key": self.source_key,
                "occurred_at": self.occurred_at,
                "source": self.source,
                "event_type": self.event_type,
                "actor": self.actor,
                "summary": self.summary,
            }

    class OpenedWithEntry(Opened):
        """A timeline opened with its first entry, in one stored event where there were two
        (ADR 0037): the entry's fields are those of an ``EntryAppended`` at position 1."""

        position: int
        source_key: str
        occurred_at: str
        source: str
        event_type: str
        actor: str
        summary: str
        previous_hash: str
        entry_hash: str
        chain: int

        def first_entry(self) -> CaseTimeline.EntryAppended:
            """The entry this opening holds, as every reader and the chain check see entries."""
            fields = {name: getattr(self, name) for name in _ENTRY_FIELDS}
            return CaseTimeline.EntryAppended(**fields)

        def apply(self, aggregate: CaseTimeline) -> None:
            self.first_entry().apply(aggregate)

    @staticmethod
    def id_for(municipality: str, case_id: str) -> UUID:
        """The timeline of the case (municipality, case id) (ADR 0016)."""
        return stable_id("case-timeline", municipality, case_id)

    @staticmethod
    def legacy_id_for(case_id: str) -> UUID:
        """Where a timeline stored before ADR 0016 lives: keyed by case id alone; never created now."""
        return stable_id("timeline", case_id)

    @classmethod
    def create_id(cls, case_id: str, municipality: str, **_: object) -> UUID:
        return cls.id_for(municipality, case_id)

    @classmethod
    def open_with_entry(
        cls, timeline_id: UUID, case_id: str, municipality: str, entry: NewEntry
    ) -> CaseTimeline:
        """A new timeline under ``timeline_id`` (the id its caller derived), holding ``entry``."""
        genesis = chain_genesis(CHAIN_KIND, municipality, case_id)
        link = _link(genesis, 1, cls.OpenedWithEntry.create_timestamp(), entry)
        return cls._create(
            cls.OpenedWithEntry, id=timeline_id, case_id=case_id, municipality=municipality, **link
        )

    @event(Opened)
    def __init__(self, case_id: str, municipality: str) -> None:
        self.case_id = case_id
        self.municipality = municipality
        self.entries: list[CaseTimeline.EntryAppended] = []
        self.source_keys: set[str] = set()
        self.head_hash = ""  # no entry yet: the next one links to the case's genesis hash

    def append(self, entry: NewEntry) -> bool:
        """Append an entry; False (and nothing appended) if its source key is already here."""
        if entry.source_key in self.source_keys:
            return False
        head = self.head_hash or chain_genesis(CHAIN_KIND, self.municipality, self.case_id)
        link = _link(head, len(self.entries) + 1, self.EntryAppended.create_timestamp(), entry)
        self.trigger_event(self.EntryAppended, **link)
        return True


_ENTRY_FIELDS = tuple(field.name for field in fields(CaseTimeline.EntryAppended))


def entries_in(stored: Iterable[Any]) -> Iterator[CaseTimeline.EntryAppended]:
    """The entries among a timeline's stored events, in order, whichever way it was opened."""
    for event_ in stored:
        if isinstance(event_, CaseTimeline.EntryAppended):
            yield event_
        elif isinstance(event_, CaseTimeline.OpenedWithEntry):
            yield event_.first_entry()
