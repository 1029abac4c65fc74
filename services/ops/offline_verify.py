"""Verifying an exported checkpoint, and a timeline against it, with the public key alone (ADR 0019).

No service runs: ``natverk verify --checkpoint FILE --public-key FILE [--timeline FILE]``.  The
checkpoint is one taken from ``GET /api/v1/audit/checkpoints/latest`` (``natverk
export-checkpoint``: a municipality's chain heads, each with its Merkle inclusion proof), or a
summary and signature with every chain head (``chains`` without proofs: the root is recomputed).  The timeline is what ``natverk export-timeline`` wrote: every entry of one
case's timeline as ``GET /api/v1/cases/{case_id}/timeline`` shows it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from services.case_store.domain.checkpoint import ChainHead, CheckpointSummary, merkle_root, root_from_proof
from services.case_store.domain.timeline import entry_hash
from services.case_store.domain.verification import verify_chain
from services.case_store.signing import key_id_of, load_public_key, verify_signature
from services.kit.domain.chain import chain_genesis, link_hash

CONTENT = ("source_key", "occurred_at", "source", "event_type", "actor", "summary")


@dataclass(frozen=True)
class ExportedEntry:
    """A timeline entry as exported: what its hash is made of, times as the service hashed them."""

    position: int
    previous_hash: str
    entry_hash: str
    chain: int
    recorded_at: datetime
    content: dict[str, str]

    @classmethod
    def of(cls, item: dict[str, Any]) -> ExportedEntry:
        content = {name: str(item[name]) for name in CONTENT}
        content["occurred_at"] = datetime.fromisoformat(item["occurred_at"]).isoformat()
        return cls(
            item["position"],
            item["previous_hash"],
            item["hash"],
            item["chain"],
            datetime.fromisoformat(item["recorded_at"]),
            content,
        )

    def expected_hash(self, previous_hash: str) -> str:
        if self.chain == 1:
            return entry_hash(previous_hash, self.position, self.content)
        return link_hash(previous_hash, self.position, self.recorded_at, self.content)


class CannotRead(Exception):
    """A file named on the command line cannot be read at all (a wrong path, no permission): a bad
    argument, which says nothing about what the files hold."""


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise CannotRead(f"cannot read the {what} file {path} ({type(error).__name__})") from None


def verify_offline(checkpoint_file: Path, public_key_file: Path, timeline_file: Path | None) -> list[str]:
    """What is wrong, one line each; an empty list when everything holds.  ``CannotRead`` when a
    file cannot be read at all."""
    key_bytes, checkpoint_bytes = _read(public_key_file, "public key"), _read(checkpoint_file, "checkpoint")
    timeline_bytes = _read(timeline_file, "timeline") if timeline_file is not None else None
    try:
        public_key = load_public_key(key_bytes)
    except (ValueError, TypeError):
        return ["the public key file is not a PEM public key"]
    try:
        exported = json.loads(checkpoint_bytes.decode("utf-8"))
        summary = CheckpointSummary(**exported["summary"])
        chains = exported["chains"]
        heads = [
            ChainHead(
                **{k: c[k] for k in ("kind", "municipality", "case_id", "length", "head")},
                # an access log's unchained records, where the checkpoint covers them (ADR 0034)
                **{k: c.get(k) for k in ("unchained_records", "unchained_hash")},
            )
            for c in chains
        ]
    except (ValueError, TypeError, KeyError) as error:
        return [f"the checkpoint file is not a checkpoint export ({type(error).__name__})"]
    if summary.key_id != key_id_of(public_key):
        return [f"the checkpoint names key {summary.key_id}, not this public key ({key_id_of(public_key)})"]
    if not verify_signature(public_key, summary.signed_text(), str(exported.get("signature", ""))):
        return ["FORGED checkpoint: its signature does not verify with this public key"]
    problems = _heads_problems(summary, heads, chains)
    if timeline_bytes is not None and not problems:
        problems += _timeline_problems(timeline_bytes, {head.chain: head for head in heads})
    return problems


def _heads_problems(
    summary: CheckpointSummary, heads: list[ChainHead], chains: list[dict[str, Any]]
) -> list[str]:
    if not chains:
        return []  # a summary alone: its signature is all there is to check
    if all("proof" in chain for chain in chains):  # exported: a case's heads, each with its proof
        return [
            f"FORGED chain head {head.municipality}/{head.case_id} {head.kind}: not under the signed root"
            for head, chain in zip(heads, chains, strict=True)
            if root_from_proof(head, chain["proof"]) != summary.merkle_root
        ]
    if merkle_root(heads) != summary.merkle_root or len(heads) != summary.chain_count:
        return ["FORGED checkpoint: its chain heads do not match its signed Merkle root"]
    return []


def _timeline_problems(timeline_bytes: bytes, signed: dict[tuple[str, str, str], ChainHead]) -> list[str]:
    try:
        timeline = json.loads(timeline_bytes.decode("utf-8"))
        municipality, case_id = timeline["municipality"], timeline["case_id"]
        entries = [ExportedEntry.of(item) for item in timeline["items"]]
    except (ValueError, TypeError, KeyError) as error:
        return [f"the timeline file is not a timeline export ({type(error).__name__})"]
    label = f"{municipality}/{case_id} timeline"
    result = verify_chain(entries, chain_genesis("timeline", municipality, case_id))
    if not result.ok:
        return [f"BROKEN {label} at position {result.first_broken_position}: {result.reason}"]
    head = signed.get(("timeline", municipality, case_id))
    if head is None:
        return [f"UNSIGNED {label}: the checkpoint holds no head for it"]
    if result.entries_checked < head.length:
        return [
            f"CUT {label}: the checkpoint signed {head.length} entries, the export has {result.entries_checked}"
        ]
    if result.hash_at(head.length) != head.head:
        return [f"REWRITTEN {label} at position {head.length}: differs from the signed checkpoint"]
    return []
