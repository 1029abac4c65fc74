"""Checkpoints: every chain's head at one moment, bound by a Merkle root that is signed (ADR 0019).

A chain head names its chain (kind, municipality, case id), its length and its last hash.
The leaves are the heads in one order; the root binds them all, and a head's inclusion
proof lets an auditor check one case against a signed root without seeing any other case.
What is signed is the checkpoint's summary (``signed_text``); signing and checking the
signature belong to the adapter that holds the key (``services/case_store/signing.py``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields
from typing import Any

LEAF, NODE = b"\x00", b"\x01"  # domain separation: a leaf can never pass for a node
EMPTY_ROOT = hashlib.sha256(b"").hexdigest()


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))  # built once


def _canonical(value: Any) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")


@dataclass(frozen=True, order=True)
class ChainHead:
    kind: str  # "timeline" | "access-log"
    municipality: str
    case_id: str
    length: int
    head: str
    # An access log's records stored before chaining (ADR 0034): how many, and a running hash over
    # them in stored order.  None: not covered (a timeline, or a head signed before ADR 0034).
    unchained_records: int | None = None
    unchained_hash: str | None = None

    @property
    def chain(self) -> tuple[str, str, str]:
        return self.kind, self.municipality, self.case_id

    def signed_fields(self) -> dict[str, Any]:
        """What the leaf covers: a head that covers no unchained records is what it was before ADR
        0034, so checkpoints signed before it keep their roots.

        Read field by field, not with ``asdict``: every value is a str or an int, which
        ``asdict`` would deep-copy, and a checkpoint asks this of every chain in the store."""
        return {name: value for name in _HEAD_FIELDS if (value := getattr(self, name)) is not None}

    def leaf_hash(self) -> str:
        return hashlib.sha256(LEAF + _canonical(self.signed_fields())).hexdigest()

    def unchained_differ(self, stored: ChainHead) -> bool:
        """Whether ``stored`` holds other unchained records than this signed head covers (never when
        it covers none)."""
        signed = (self.unchained_records, self.unchained_hash)
        return self.unchained_records is not None and signed != (
            stored.unchained_records,
            stored.unchained_hash,
        )


_HEAD_FIELDS = tuple(field.name for field in fields(ChainHead))


def _node(left: str, right: str) -> str:
    return hashlib.sha256(NODE + bytes.fromhex(left) + bytes.fromhex(right)).hexdigest()


def _levels(leaves: list[str]) -> list[list[str]]:
    levels = [leaves]
    while len(levels[-1]) > 1:
        level = levels[-1]
        # An odd last node is carried up unchanged (never paired with itself).
        levels.append(
            [_node(*level[i : i + 2]) if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)]
        )
    return levels


def merkle_root(heads: list[ChainHead]) -> str:
    leaves = [head.leaf_hash() for head in sorted(heads)]
    return _levels(leaves)[-1][0] if leaves else EMPTY_ROOT


def inclusion_proofs(
    heads: list[ChainHead], wanted: set[tuple[str, str, str]]
) -> dict[tuple[str, str, str], list[list[str]]]:
    """For each wanted chain, the sibling hashes from its leaf to the root: ``[side, hash]`` pairs."""
    ordered = sorted(heads)
    levels = _levels([head.leaf_hash() for head in ordered])
    proofs = {}
    for index, head in enumerate(ordered):
        if head.chain not in wanted:
            continue
        proof, i = [], index
        for level in levels[:-1]:
            sibling = i ^ 1
            if sibling < len(level):
                proof.append(["left" if sibling < i else "right", level[sibling]])
            i //= 2
        proofs[head.chain] = proof
    return proofs


def root_from_proof(head: ChainHead, proof: list[list[str]]) -> str:
    value = head.leaf_hash()
    for side, sibling in proof:
        value = _node(sibling, value) if side == "left" else _node(value, sibling)
    return value


@dataclass(frozen=True)
class CheckpointSummary:
    """What a checkpoint's signature covers."""

    issued_at: str
    key_id: str
    chain_count: int
    merkle_root: str

    def signed_text(self) -> bytes:
        return _canonical({"checkpoint": 1, **asdict(self)})

    @classmethod
    def of(cls, issued_at: str, key_id: str, heads: list[ChainHead]) -> CheckpointSummary:
        return cls(issued_at, key_id, len(heads), merkle_root(heads))
