"""Checking a timeline's hash chain, entry by entry, from what is stored."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from services.case_store.domain.timeline import GENESIS_HASH, CaseTimeline, entry_hash


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries_checked: int
    first_broken_position: int | None = None
    reason: str | None = None


def verify_chain(entries: Iterable[CaseTimeline.EntryAppended | Exception]) -> Verification:
    """Walk the entries in stored order; name the first one whose link does not hold.

    An ``Exception`` in place of an entry means that stored entry could not be read.
    """
    previous = GENESIS_HASH
    checked = 0
    for expected_position, entry in enumerate(entries, start=1):
        if isinstance(entry, Exception):
            return Verification(
                False, checked, expected_position, "entry unreadable: stored bytes were altered"
            )
        if entry.position != expected_position:
            return Verification(False, checked, expected_position, "entry missing or out of order")
        if entry.previous_hash != previous:
            return Verification(False, checked, expected_position, "link to the previous entry is broken")
        if entry_hash(previous, entry.position, entry.content()) != entry.entry_hash:
            return Verification(False, checked, expected_position, "entry content does not match its hash")
        previous = entry.entry_hash
        checked += 1
    return Verification(True, checked)
