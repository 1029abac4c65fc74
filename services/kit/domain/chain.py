"""Hash chains of what is stored about a case: its timeline and its access logs (ADR 0019).

A chain starts from a hash of its opening (what it is a chain of: its kind, the case's
municipality and case id), so a chain moved to another case, or an opening edited to
name another municipality, breaks at its first link.  Each link's hash covers the
previous link's hash, its position, when it was recorded and its content: a changed,
removed, reordered or re-dated entry breaks the chain from that point on.  A chain
re-hashed after an edit holds together again; the signed checkpoints of its head
(``services/case_store/domain/checkpoint.py``) are what reveal that.

The canonical text hashed here is part of every stored chain: it never changes.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

CHAIN_VERSION = 2

# One encoder for every hash: ``json.dumps`` with options builds a new encoder on each call,
# a cost paid twice for every timeline a placement opens.  Same options, same text.
_CANONICAL = json.JSONEncoder(sort_keys=True, ensure_ascii=False)


def chain_genesis(kind: str, municipality: str, case_id: str) -> str:
    """The hash a chain of ``kind`` about the case (municipality, case id) starts from."""
    opening = _CANONICAL.encode(
        {"chain": CHAIN_VERSION, "kind": kind, "municipality": municipality, "case_id": case_id}
    )
    return hashlib.sha256(opening.encode("utf-8")).hexdigest()


def link_hash(previous_hash: str, position: int, recorded_at: datetime, content: dict[str, str]) -> str:
    """The hash of link ``position``: the previous hash, the position, the recording time, the content."""
    canonical = _CANONICAL.encode(
        {"position": position, "recorded_at": recorded_at.isoformat(), "content": content}
    )
    return hashlib.sha256((previous_hash + canonical).encode("utf-8")).hexdigest()


def normalised_time(text: str) -> datetime:
    """A recording time as exported (``Z`` or ``+00:00``), as it was hashed."""
    return datetime.fromisoformat(text)
