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
from datetime import datetime
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

    @event(Opened)
    def __init__(self, case_id: str, municipality: str) -> None:
        self.case_id = case_id
        self.municipality = municipality
        self.entries: list[CaseTimeline.EntryAppended] = []
        self.source_keys: set[str] = set()
        self.head_hash = chain_genesis(CHAIN_KIND, municipality, case_id)

    def append(
        self, source_key: str, occurred_at: datetime, source: str, event_type: str, actor: str, summary: str
    ) -> bool:
        """Append an entry; False (and nothing appended) if this source key is already here."""
        if source_key in self.source_keys:
            return False
        content = {
            "source_key": source_key,
            "occurred_at": occurred_at.isoformat(),
            "source": source,
            "event_type": event_type,
            "actor": actor,
            "summary": summary,
        }
        position = len(self.entries) + 1
        if position == 1 and self.head_hash == GENESIS_HASH:  # opened before ADR 0019, no entries yet
            self.head_hash = chain_genesis(CHAIN_KIND, self.municipality, self.case_id)
        recorded_at = self.EntryAppended.create_timestamp()
        self.trigger_event(
            self.EntryAppended,
            timestamp=recorded_at,
            position=position,
            previous_hash=self.head_hash,
            entry_hash=link_hash(self.head_hash, position, recorded_at, content),
            chain=CHAIN_VERSION,
            **content,
        )
        return True
