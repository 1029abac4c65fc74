"""Who looked at a case: every read of its data, allowed or refused, in one chained log per case.

A case is (municipality, case id) (ADR 0016).  A log stored before that is keyed by case
id alone, its ``Started`` names no municipality, and it may hold reads of another
municipality's case of the same id: ``concerns`` leaves those out.

Records are hash-chained like a timeline (ADR 0019).  Records stored before that carry
no chain (``chain`` 1): they still load, are shown, and are reported as unchained; the
chain of a log starts with its first newer record.  A log only ever grows at its tail,
and appending needs only its opening and its last record (``at_tail``), never the whole
log: a long-read case costs no more per read than a new one.

A record keeps when the read was made (``occurred_at``: the reading service's event time,
ADR 0035) beside when it was recorded: lag, a redrive or a rebuild re-dates only the latter.
Records stored before that have none, and hash without it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.chain import CHAIN_VERSION, chain_genesis, link_hash
from services.kit.domain.ids import stable_id

CHAIN_KIND = "access-log"


class CaseAccessLog(Aggregate):
    class Started(Aggregate.Created):
        case_id: str
        municipality: str = ""  # "" in logs started before ADR 0016

        def concerns(self, record: CaseAccessLog.AccessRecorded, municipality: str) -> bool:
            """Whether ``record``, of the log this event started, is about ``municipality``'s case.

            A log that names its municipality was only ever given its own case's records.  One
            started before ADR 0016 was given every read of its case id: a granted read, or one
            that found nothing, concerned the reader's own municipality's case (nobody is granted
            another's), so of those only its own municipality's readers' are its case's; a
            refused read was about a case of another municipality than the reader's, and is kept.
            """
            return (
                bool(self.municipality)
                or record.actor_municipality == municipality
                or (record.outcome == "denied")
            )

        def genesis(self) -> str:
            return chain_genesis(CHAIN_KIND, self.municipality, self.case_id)

    class AccessRecorded(Aggregate.Event):
        source_key: str
        actor: str
        actor_municipality: str
        service: str
        resource: str
        purpose: str
        outcome: str
        position: int = 0  # 0, "" and chain 1: records stored before ADR 0019
        previous_hash: str = ""
        entry_hash: str = ""
        chain: int = 1
        occurred_at: str = ""  # "" in records stored before ADR 0035: only their recording is known

        def apply(self, aggregate: CaseAccessLog) -> None:
            if self.chain > 1:
                aggregate.length, aggregate.head_hash = self.position, self.entry_hash

        def content(self) -> dict[str, str]:
            names = ("source_key", "actor", "actor_municipality", "service", "resource", "purpose", "outcome")
            # hashed only where stored: a record from before ADR 0035 hashes as it always did
            names += ("occurred_at",) if self.occurred_at else ()
            return {name: getattr(self, name) for name in names}

        def expected_hash(self, previous_hash: str) -> str:
            return link_hash(previous_hash, self.position, self.timestamp, self.content())

        def unchained_hash(self, previous_hash: str) -> str:
            """The running hash over a log's unchained records, this one added (ADR 0034)."""
            return link_hash(previous_hash, 0, self.timestamp, self.content())

    @staticmethod
    def id_for(municipality: str, case_id: str) -> UUID:
        """The access log of the case (municipality, case id)."""
        return stable_id("case-access-log", municipality, case_id)

    @staticmethod
    def legacy_id_for(case_id: str) -> UUID:
        """Where a log stored before ADR 0016 lives: keyed by case id alone."""
        return stable_id("access-log", case_id)

    @classmethod
    def create_id(cls, case_id: str, municipality: str, **_: object) -> UUID:
        return cls.id_for(municipality, case_id)

    @classmethod
    def start(cls, log_id: UUID, case_id: str, municipality: str) -> CaseAccessLog:
        """A new log under ``log_id``: the legacy id, for a case whose timeline has it too."""
        return cls._create(cls.Started, id=log_id, case_id=case_id, municipality=municipality)

    @classmethod
    def at_tail(cls, started: CaseAccessLog.Started, last: Aggregate.Event) -> CaseAccessLog:
        """The log as far as appending needs it, from its opening and its last stored event.

        Nothing but the chain's head is state here (records are read a page at a time), so
        the opening and the last event say all of it; the store's version check still
        refuses a second record at the same place.
        """
        log = started.mutate(None)
        assert log is not None
        log.version = last.originator_version  # the next record follows the stored ones
        if isinstance(last, cls.AccessRecorded):
            last.apply(log)
        return log

    @event(Started)
    def __init__(self, case_id: str, municipality: str = "") -> None:
        self.case_id = case_id
        self.municipality = municipality
        self.length = 0
        self.head_hash = chain_genesis(CHAIN_KIND, municipality, case_id)

    def record(
        self,
        source_key: str,
        actor: str,
        actor_municipality: str,
        service: str,
        resource: str,
        purpose: str,
        outcome: str,
        occurred_at: datetime | None = None,
    ) -> None:
        """Record one access at the tail of the chain; ``occurred_at`` is when the read was made
        (another service's; a read of the case store's own is made as it is recorded)."""
        recorded_at: datetime = self.AccessRecorded.create_timestamp()
        content = {
            "source_key": source_key,
            "actor": actor,
            "actor_municipality": actor_municipality,
            "service": service,
            "resource": resource,
            "purpose": purpose,
            "outcome": outcome,
            "occurred_at": (occurred_at or recorded_at).isoformat(),
        }
        position = self.length + 1
        self.trigger_event(
            self.AccessRecorded,
            timestamp=recorded_at,
            position=position,
            previous_hash=self.head_hash,
            entry_hash=link_hash(self.head_hash, position, recorded_at, content),
            chain=CHAIN_VERSION,
            **content,
        )


class AccessRecordSeen(Aggregate):
    """That a record from another service, known by its (source, id), is in its case's log.

    Created with the record, in the same transaction: a repeat of the record, by any
    route (a republish after broker loss carries new relay positions), finds it.
    """

    @staticmethod
    def id_for(source_key: str) -> UUID:
        return stable_id("access-record", source_key)

    @classmethod
    def create_id(cls, source_key: str, **_: object) -> UUID:
        return cls.id_for(source_key)

    @event("Seen")
    def __init__(self, source_key: str, digest: str = "") -> None:
        # What the record said (``record_digest``): a repeat says the same.  A marker without it, or
        # with another, was not stored with this record (planted ahead of a read to hide it).
        self.digest = digest

    def is_repeat(self, digest: str) -> bool:
        return bool(self.digest) and self.digest == digest

    @event("SeenAgain")
    def seen_again(self, digest: str) -> None:
        self.digest = digest


def record_digest(content: dict[str, Any], occurred_at: str) -> str:
    """A hash of what an access record from another service says and when it happened there."""
    canonical = json.dumps({"content": content, "at": occurred_at}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
