"""Signed checkpoints kept outside the event store (ADR 0019).

The file holds one short JSON line per checkpoint, appended: its signed summary and its
signature.  The heads it covers are written beside it, one file per checkpoint in the folder
``<file>.heads/`` (their Merkle root is signed, so they need no signature of their own), so that
reading the file stays cheap however many chains there are.  The file is what verification holds
the store against: someone who can edit the database cannot also unsign what was signed before.
A line whose signature does not hold, or the latest one whose heads do not match its root, is
named as forged and passed over for the latest one that holds.  Each line is checked with the key
it names, the current one or a retired one (ADR 0030); a line signed with a retired key after one
signed with a newer key is forged too.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from services.case_store.domain.checkpoint import ChainHead, CheckpointSummary, merkle_root
from services.case_store.signing import CheckpointKeys
from services.kit.settings import ServiceSettings

CHECKPOINT_FILE_NAME = "case_store-checkpoints.jsonl"


@dataclass(frozen=True)
class IssuedCheckpoint:
    summary: CheckpointSummary
    signature: str
    heads: list[ChainHead] = field(repr=False)

    def line(self) -> dict[str, Any]:
        return {"summary": asdict(self.summary), "signature": self.signature}

    def heads_problem(self) -> str | None:
        if merkle_root(self.heads) != self.summary.merkle_root or len(self.heads) != self.summary.chain_count:
            return "its chain heads do not match its signed Merkle root"
        return None


@dataclass(frozen=True)
class Forgery:
    line: int
    issued_at: str | None
    reason: str


@dataclass(frozen=True)
class UnfiledCheckpoint:
    """A checkpoint the store recorded issuing that the file no longer holds."""

    issued_at: str
    merkle_root: str
    reason: str = "issued (the store records it) but not in the checkpoint file: the file was cut or removed"


@dataclass(frozen=True)
class CheckpointStanding:
    """The latest checkpoint that holds, every line that does not, and (held against the store's
    record of what it issued) every checkpoint missing from the file."""

    latest: IssuedCheckpoint | None
    forged: list[Forgery]
    filed: frozenset[tuple[str, str]] = frozenset()  # (issued at, Merkle root) of every signed line
    unfiled: list[UnfiledCheckpoint] = field(default_factory=list)


class CheckpointFile:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._cache: tuple[tuple[int, int], CheckpointStanding] | None = None

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> CheckpointFile:
        return cls(settings.audit_checkpoint_file or settings.data_dir / CHECKPOINT_FILE_NAME)

    @property
    def heads_folder(self) -> Path:
        return self.path.with_name(self.path.name + ".heads")

    def _heads_path(self, summary: CheckpointSummary) -> Path:
        return self.heads_folder / f"{summary.merkle_root}.json"

    def append(self, checkpoint: IssuedCheckpoint) -> None:
        self.heads_folder.mkdir(parents=True, exist_ok=True)
        heads = [head.signed_fields() for head in checkpoint.heads]
        _write_durably(self._heads_path(checkpoint.summary), json.dumps(heads, separators=(",", ":")), "w")
        _write_durably(
            self.path, json.dumps(checkpoint.line(), sort_keys=True, separators=(",", ":")) + "\n", "a"
        )

    def standing(self, keys: CheckpointKeys) -> CheckpointStanding:
        """The latest checkpoint that holds, and every line that does not (read again only when
        the file changed)."""
        if not self.path.exists():
            return CheckpointStanding(None, [])
        stat = self.path.stat()
        if self._cache is not None and self._cache[0] == (stat.st_mtime_ns, stat.st_size):
            return self._cache[1]
        standing = self._read(keys)
        self._cache = ((stat.st_mtime_ns, stat.st_size), standing)
        return standing

    def _read(self, keys: CheckpointKeys) -> CheckpointStanding:
        signed: list[tuple[int, CheckpointSummary, str]] = []
        forged = []
        newest_key = 0  # the newest key a valid line was signed with so far
        with self.path.open(encoding="utf-8", errors="replace") as file:
            for number, text in enumerate(file, start=1):
                if not text.strip():
                    continue
                summary, signature = _summary_of(text)
                if summary is None:
                    forged.append(Forgery(number, None, "not a checkpoint: the line is malformed"))
                elif problem := keys.problem(summary.key_id, summary.signed_text(), signature):
                    forged.append(Forgery(number, summary.issued_at, problem))
                elif (generation := keys.generation(summary.key_id) or 0) < newest_key:
                    forged.append(Forgery(number, summary.issued_at, keys.LATER_KEY_SIGNED))
                else:
                    newest_key = generation
                    signed.append((number, summary, signature))
        filed = frozenset((summary.issued_at, summary.merkle_root) for _, summary, _ in signed)
        for number, summary, signature in reversed(signed):
            checkpoint, problem = self._with_heads(summary, signature)
            if checkpoint is not None:
                return CheckpointStanding(checkpoint, sorted(forged, key=lambda f: f.line), filed)
            forged.append(Forgery(number, summary.issued_at, problem))
        return CheckpointStanding(None, sorted(forged, key=lambda f: f.line), filed)

    def _with_heads(self, summary: CheckpointSummary, signature: str) -> tuple[IssuedCheckpoint | None, str]:
        try:
            heads = [ChainHead(**head) for head in json.loads(self._heads_path(summary).read_text("utf-8"))]
        except (OSError, ValueError, TypeError):
            return None, "its chain heads are missing or unreadable"
        checkpoint = IssuedCheckpoint(summary, signature, heads)
        problem = checkpoint.heads_problem()
        return (None, problem) if problem else (checkpoint, "")


def _write_durably(path: Path, text: str, mode: str) -> None:
    with path.open(mode, encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())


def _summary_of(text: str) -> tuple[CheckpointSummary | None, str]:
    try:
        line = json.loads(text)
        summary = CheckpointSummary(**line["summary"])
        signature = line["signature"]
    except (ValueError, KeyError, TypeError):
        return None, ""
    return (summary, signature) if isinstance(signature, str) else (None, "")
