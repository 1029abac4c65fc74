"""A case's timeline: every event of every service about one case, hash-chained.

A case is (municipality, case id): the same case id in two municipalities is two
timelines (ADR 0016).  Timelines stored before that are keyed by case id alone and
stay where they are (``legacy_id_for``); their ``Opened`` event names their municipality.

Each entry's hash covers its content and the previous entry's hash, so a
changed, removed or reordered entry breaks the chain from that point on.
An event seen before (same source key) is not appended again.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.ids import stable_id

GENESIS_HASH = "0" * 64


def entry_hash(previous_hash: str, position: int, content: dict[str, str]) -> str:
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
        self.head_hash = GENESIS_HASH

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
        self.trigger_event(
            self.EntryAppended,
            position=position,
            previous_hash=self.head_hash,
            entry_hash=entry_hash(self.head_hash, position, content),
            **content,
        )
        return True
