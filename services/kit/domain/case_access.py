"""A record that somebody read (or was refused) a case's data, one link of that case's chain.

Each service's records of one case, (municipality, case id), form a hash chain
(``services.kit.domain.chain``, ADR 0020): record ``n`` is stored under an id derived from
its service, its case and ``n`` (two writers cannot both take position ``n``: the store
refuses a second version 1), and its hash covers the previous record's hash, ``n``, its
recording time and its content.  Records stored before the chain have position 0 and no
hashes: they still load, and are reported as unchained.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.kit.domain.chain import chain_genesis, link_hash
from services.kit.domain.ids import stable_id

CONTENT_FIELDS = ("case_id", "municipality", "actor", "actor_municipality", "resource", "purpose", "outcome")


def chain_kind(service: str) -> str:
    """What the chain of a service's access records is a chain of (part of its genesis)."""
    return f"access-log:{service}"


def content_digest(content: dict[str, str]) -> str:
    """A hash of the content alone: tells an edited record from a re-dated one."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainHead:
    """The newest link of a case's chain (position 0: none yet) and how many unchained records it has."""

    position: int = 0
    entry_hash: str = ""
    unchained: int = 0
    # The link an unchained record was first stored after: records are chained from the first
    # chained one on, so such a record was inserted behind the service's back (None: none was).
    unchained_after: int | None = None

    def after(self, recorded: CaseAccess.Recorded) -> ChainHead:
        position = getattr(recorded, "position", 0)
        if not position:
            misplaced = self.unchained_after
            if misplaced is None and self.position:
                misplaced = self.position
            return replace(self, unchained=self.unchained + 1, unchained_after=misplaced)
        if position <= self.position:
            return self
        return replace(self, position=position, entry_hash=recorded.entry_hash)


class CaseAccess(Aggregate):
    """One read of case data: who, which case, what, why, and whether it was allowed."""

    @staticmethod
    def id_for(service: str, municipality: str, case_id: str, position: int) -> UUID:
        return stable_id("case-access", service, municipality, case_id, str(position))

    @classmethod
    def record(
        cls,
        service: str,
        head: ChainHead,
        content: dict[str, str],
        recorded_at: datetime,
    ) -> CaseAccess:
        """Link ``head.position + 1`` of the chain of the case ``content`` names, recorded at ``recorded_at``."""
        municipality, case_id = content["municipality"], content["case_id"]
        position = head.position + 1
        previous = head.entry_hash or chain_genesis(chain_kind(service), municipality, case_id)
        return cls._create(
            cls.Recorded,
            id=cls.id_for(service, municipality, case_id, position),
            timestamp=recorded_at,
            position=position,
            previous_hash=previous,
            entry_hash=link_hash(previous, position, recorded_at, content),
            content_hash=content_digest(content),
            **content,
        )

    @event("Recorded")
    def __init__(
        self,
        case_id: str,
        actor: str,
        actor_municipality: str,
        resource: str,
        purpose: str,
        outcome: str,
        municipality: str = "",
        position: int = 0,
        previous_hash: str = "",
        entry_hash: str = "",
        content_hash: str = "",
    ) -> None:
        # The case's own municipality (empty in records stored before it was kept: then
        # the reader's, since only granted reads of one's own cases were logged that way).
        self.municipality = municipality or actor_municipality
        self.case_id = case_id
        self.actor = actor
        self.actor_municipality = actor_municipality
        self.resource = resource
        self.purpose = purpose
        self.outcome = outcome
        self.position = position
        self.entry_hash = entry_hash


def content_of(recorded: CaseAccess.Recorded) -> dict[str, str]:
    """What a stored record's hash covers besides its position and time (the case resolved as loaded)."""
    values = {name: getattr(recorded, name, "") for name in CONTENT_FIELDS}
    values["municipality"] = values["municipality"] or recorded.actor_municipality
    return values
