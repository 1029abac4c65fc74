"""Checking one case's chain of access records, link by link, from what is stored (ADR 0020).

The records are given in position order, 1 to the head, as the store holds them under
their ids: a record, ``None`` where none is stored, or the ``Exception`` decoding it
raised.  The walk names the first position that does not hold and why.  The reason is
a diagnosis (an insider who edits a record's content and its content digest makes an
edit look like a re-dating); where the chain breaks is what the hashes prove.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.kit.domain.case_access import CaseAccess, chain_kind, content_digest, content_of
from services.kit.domain.chain import chain_genesis, link_hash

MISSING = "record missing"
UNREADABLE = "record unreadable: its stored bytes were altered"
MOVED = "record names another case: moved from or to another case's chain"
OUT_OF_PLACE = "record stored at another position than its own"
RELINKED = "link to the previous record broken: the previous record was replaced"
EDITED = "record content edited"
REDATED = "recording time changed"


@dataclass(frozen=True)
class ChainCheck:
    """How far a case's chain holds: ``first_broken_position`` None when all of it does."""

    records_checked: int
    first_broken_position: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken_position is None


def check_access_chain(
    service: str,
    municipality: str,
    case_id: str,
    records: Iterable[CaseAccess.Recorded | Exception | None],
) -> ChainCheck:
    """Walk ``records`` (positions 1, 2, ...) from the case's genesis; stop at the first broken link."""
    previous = chain_genesis(chain_kind(service), municipality, case_id)
    checked = 0
    for position, record in enumerate(records, start=1):
        if record is None or isinstance(record, Exception):
            return ChainCheck(checked, position, MISSING if record is None else UNREADABLE)
        reason = _fault(record, position, previous, (municipality, case_id))
        if reason is not None:
            return ChainCheck(checked, position, reason)
        previous = record.entry_hash
        checked += 1
    return ChainCheck(checked)


def _fault(record: CaseAccess.Recorded, position: int, previous: str, case: tuple[str, str]) -> str | None:
    content = content_of(record)
    if (content["municipality"], content["case_id"]) != case:
        return MOVED
    if getattr(record, "position", 0) != position:
        return OUT_OF_PLACE
    if getattr(record, "previous_hash", "") != previous:
        return RELINKED
    if getattr(record, "content_hash", "") != content_digest(content):
        return EDITED
    if link_hash(previous, position, record.timestamp, content) != getattr(record, "entry_hash", ""):
        return REDATED
    return None
