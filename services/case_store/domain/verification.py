"""Checking a hash chain, link by link, from what is stored (ADR 0019).

The same walk serves a timeline and an access log: each link knows the hash it must
have after a given previous hash (``expected_hash``).  A link stored before ADR 0019
(``chain`` 1) starts from the old constant start; a newer one from its case's opening.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from services.case_store.domain.timeline import GENESIS_HASH

OPENING = 0  # the "position" of a chain's opening, when that is what is wrong
MOVED = "stored under another case's id (chain moved or opening edited)"


class Link(Protocol):
    position: int
    previous_hash: str
    entry_hash: str
    chain: int

    def expected_hash(self, previous_hash: str) -> str: ...


class Misplaced(Exception):
    """A stored record that cannot stand where it stands (its message says why)."""


@dataclass(frozen=True)
class Verification:
    ok: bool
    entries_checked: int
    first_broken_position: int | None = None
    reason: str | None = None
    hashes: tuple[str, ...] = field(default=(), repr=False)  # of the links that hold, by position

    def hash_at(self, position: int) -> str | None:
        """The hash of link ``position`` if the chain holds up to it."""
        return self.hashes[position - 1] if 0 < position <= len(self.hashes) else None

    @classmethod
    def broken(cls, hashes: list[str], position: int, reason: str) -> Verification:
        return cls(False, len(hashes), position, reason, tuple(hashes))


def verify_chain(links: Iterable[Link | Exception], genesis: str = GENESIS_HASH) -> Verification:
    """Walk the links in stored order; name the first one that does not hold.

    ``genesis`` is the hash the case's opening gives; an ``Exception`` in place of a link
    means that stored link could not be read.
    """
    hashes: list[str] = []
    previous, newest_chain = None, 1
    for expected_position, link in enumerate(links, start=1):
        if isinstance(link, Misplaced):
            return Verification.broken(hashes, expected_position, str(link))
        if isinstance(link, Exception):
            return Verification.broken(
                hashes, expected_position, "entry unreadable: stored bytes were altered"
            )
        if link.position != expected_position:
            return Verification.broken(hashes, expected_position, "entry missing or out of order")
        if link.chain < newest_chain:
            return Verification.broken(
                hashes, expected_position, "entry chained the old way after newer ones"
            )
        newest_chain = link.chain
        if previous is None:
            previous = GENESIS_HASH if link.chain == 1 else genesis
            if link.previous_hash != previous:
                reason = "the chain does not start from this case's opening (opening edited or chain moved)"
                return Verification.broken(hashes, expected_position, reason)
        elif link.previous_hash != previous:
            return Verification.broken(hashes, expected_position, "link to the previous entry is broken")
        if link.expected_hash(previous) != link.entry_hash:
            reason = "entry content or recording time does not match its hash"
            return Verification.broken(hashes, expected_position, reason)
        previous = link.entry_hash
        hashes.append(link.entry_hash)
    return Verification(True, len(hashes), hashes=tuple(hashes))


def stored_under_another_case() -> Verification:
    """A chain found under an id that is not its opening's case's."""
    return Verification(False, 0, OPENING, MOVED)


def opening_unreadable() -> Verification:
    """A chain whose opening no longer decodes (or is not an opening): whose it is cannot be said."""
    return Verification(False, 0, OPENING, "opening unreadable: stored bytes were altered")
