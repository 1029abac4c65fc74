"""The audit's checkpoint use cases: issue a signed checkpoint (on demand, or when one is due),
read the latest, and the public key that checks it (ADR 0019).  Whether the store still extends
what the latest checkpoint signed is ``checkpoint_drift.py``; verification against the latest
checkpoint is ``audit_report.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from services.case_store.checkpoint_drift import CheckpointDrift
from services.case_store.checkpoints import (
    CheckpointFile,
    CheckpointStanding,
    IssuedCheckpoint,
    UnfiledCheckpoint,
)
from services.case_store.domain.audit_checkpoint import AuditCheckpoint
from services.case_store.domain.checkpoint import ChainHead, CheckpointSummary, inclusion_proofs
from services.case_store.signing import CheckpointSigner, key_id_of, public_key_pem
from services.case_store.store import CaseStore
from services.kit.auth import Caller
from services.kit.cases import CaseDataNotFound, CaseRef
from services.kit.index import CatchUpIndex


class CheckpointFileIncomplete(Exception):
    def __init__(self, missing: int) -> None:
        super().__init__(
            f"{missing} checkpoint(s) the store issued are missing from the checkpoint file: restore it "
            "(from a backup or the natverk.audit.checkpoints.v1 topic) before signing again"
        )
        self.missing = missing


class StoreDiffersFromCheckpoint(Exception):
    def __init__(self, differing: int) -> None:
        super().__init__(f"{differing} chain(s) no longer match the latest checkpoint: run `natverk verify`")
        self.differing = differing


@dataclass(frozen=True)
class CheckpointExport:
    """A checkpoint as an auditor takes it away: the signed summary and, when asked about a case,
    that case's chain heads, each with its Merkle inclusion proof (a read of that case)."""

    summary: CheckpointSummary
    signature: str
    heads: list[ChainHead]
    proofs: dict[tuple[str, str, str], list[list[str]]]
    case: CaseRef | None = None

    def case_refs(self) -> list[CaseRef]:
        return [self.case] if self.case is not None else []


@dataclass(frozen=True)
class PublicKey:
    key_id: str
    public_key_pem: str
    retired: tuple[PublicKey, ...] = ()  # the keys it replaced, oldest first (ADR 0030)


class NoCheckpointYet(LookupError):
    def __init__(self) -> None:
        super().__init__("no valid checkpoint has been issued yet")


@dataclass(frozen=True)
class StoredCheckpoint:
    summary: CheckpointSummary
    signature: str


def _fold_issued(rows: dict[Any, StoredCheckpoint], e: Any) -> None:
    if isinstance(e, AuditCheckpoint.Issued):
        summary = CheckpointSummary(e.issued_at, e.key_id, e.chain_count, e.merkle_root)
        rows[e.originator_id] = StoredCheckpoint(summary, e.signature)


class CaseAudit(CaseStore):
    signer: CheckpointSigner | None = None  # set by the wiring (``app.py``)
    checkpoint_file: CheckpointFile | None = None

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env)
        # Every checkpoint the store recorded issuing: the file must still hold each one it signed.
        self._issued: CatchUpIndex[StoredCheckpoint] = CatchUpIndex(
            self, _fold_issued, events=(AuditCheckpoint.Issued,)
        )
        self._drift = CheckpointDrift(self)

    def issue_checkpoint(self, caller: Caller | None = None) -> IssuedCheckpoint:
        """Sign every chain's head now; store it (the relay publishes it) and append it to the file.

        Only if every chain the latest checkpoint signed is still stored and still carries the
        head it signed: otherwise signing would make an edit made since (say, while the service
        was stopped) look like the truth.  ``StoreDiffersFromCheckpoint`` says so instead.
        """
        assert self.signer is not None and self.checkpoint_file is not None
        stored = self.chains.heads()
        heads = [head for _, head in stored]
        standing = self.checkpoint_standing()
        if standing.unfiled:  # signing now would sign over whatever changed since the lost ones
            raise CheckpointFileIncomplete(len(standing.unfiled))
        previous = standing.latest
        if previous is not None and (differing := self._drift.differing_from(previous, stored)):
            raise StoreDiffersFromCheckpoint(differing)
        summary = CheckpointSummary.of(datetime.now(UTC).isoformat(), self.signer.key_id, heads)
        checkpoint = IssuedCheckpoint(summary, self.signer.sign(summary.signed_text()), heads)
        # The file first: a crash in between leaves a filed checkpoint the store does not record
        # (harmless), never a recorded one the file lacks (which reads as a removed line).
        self.checkpoint_file.append(checkpoint)
        if self.current_work() is None:
            with self.unit_of_work():
                self.save(AuditCheckpoint.issue(summary, checkpoint.signature))
        else:
            self.save(AuditCheckpoint.issue(summary, checkpoint.signature))
        return checkpoint

    def checkpoint_if_due(self, leading: bool, interval_seconds: float) -> IssuedCheckpoint | None:
        """The periodic job: a checkpoint when the latest one is older than the interval and the
        heads have moved since (or there is none), on the replica whose relay leads only, so that
        replicas do not each sign their own."""
        if not leading:
            return None
        latest = self.checkpoint_standing().latest
        if latest is not None:
            age = datetime.now(UTC) - datetime.fromisoformat(latest.summary.issued_at)
            if age.total_seconds() < interval_seconds or self._drift.unchanged_since(latest):
                return None
        return self.issue_checkpoint()

    def checkpoint_standing(self) -> CheckpointStanding:
        """The checkpoint file's standing; none at all for a store opened without its key (a
        rebuild, a test), whose chains are then checked against themselves only."""
        if self.signer is None or self.checkpoint_file is None:
            return CheckpointStanding(None, [])
        keys = self.signer.keys
        standing = self.checkpoint_file.standing(keys)
        unfiled = [
            UnfiledCheckpoint(issued.summary.issued_at, issued.summary.merkle_root)
            for issued in self._issued.rows()
            if (issued.summary.issued_at, issued.summary.merkle_root) not in standing.filed
            and keys.problem(issued.summary.key_id, issued.summary.signed_text(), issued.signature) is None
        ]
        return replace(standing, unfiled=sorted(unfiled, key=lambda u: u.issued_at))

    def signing_key(self, caller: Caller) -> PublicKey:
        assert self.signer is not None
        retired = tuple(PublicKey(key_id_of(key), public_key_pem(key)) for key in self.signer.retired)
        return PublicKey(self.signer.key_id, public_key_pem(self.signer.public_key), retired)

    def latest_checkpoint(self, caller: Caller, case_id: str | None) -> CheckpointExport:
        """The latest valid checkpoint; with ``case_id``, the heads of the caller's municipality's
        case of that id and their proofs (absent from the checkpoint: not found, logged as such)."""
        latest = self.checkpoint_standing().latest
        if latest is None:
            raise NoCheckpointYet()
        if case_id is None:
            return CheckpointExport(latest.summary, latest.signature, [], {})
        case = CaseRef(caller.municipality, case_id)
        heads = [head for head in latest.heads if head.chain[1:] == (case.municipality, case.case_id)]
        if not heads:
            raise CaseDataNotFound(case)
        proofs = inclusion_proofs(latest.heads, {head.chain for head in heads})
        return CheckpointExport(latest.summary, latest.signature, heads, proofs, case)
