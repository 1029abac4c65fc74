"""HTTP for the audit trail: verify every chain against the latest signed checkpoint, issue a
checkpoint on demand, take the latest one away, and the public key that checks it (ADR 0019).

Verification is paged: each call checks ``limit`` chains (timelines and access logs, by
municipality and case id).  `ops` checks every municipality's, an auditor their own.
"""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.case_store.application import CaseStoreApplication as CaseStore
from services.case_store.audit import CheckpointExport, PublicKey
from services.case_store.audit_report import AuditReport, ChainProblem
from services.case_store.checkpoints import Forgery, IssuedCheckpoint
from services.case_store.domain.checkpoint import ChainHead, CheckpointSummary
from services.kit.commands import Kit
from services.kit.pages import encode_cursor
from services.kit.params import CaseIdQuery, Paging

VERIFY_ROLES = ("ops", "auditor")
ISSUE_ROLES = ("ops",)

router = APIRouter(prefix="/audit", tags=["audit"])


class CheckpointSummaryView(BaseModel):
    issued_at: str
    key_id: str
    chain_count: int
    merkle_root: str

    @classmethod
    def of(cls, summary: CheckpointSummary) -> CheckpointSummaryView:
        return cls(**vars(summary))


class ChainProblemView(BaseModel):
    municipality: str
    case_id: str
    chain: str = Field(description="timeline | access-log")
    problem: str = Field(description="broken | moved | cut | rewritten | missing")
    first_broken_position: int | None
    reason: str

    @classmethod
    def of(cls, problem: ChainProblem) -> ChainProblemView:
        return cls(**vars(problem))


class ForgeryView(BaseModel):
    line: int
    issued_at: str | None
    reason: str

    @classmethod
    def of(cls, forgery: Forgery) -> ForgeryView:
        return cls(**vars(forgery))


class UnfiledCheckpointView(BaseModel):
    issued_at: str
    merkle_root: str
    reason: str


class AuditReportView(BaseModel):
    """A page of the check: ``limit`` bounds the chains checked, not the problems shown."""

    chains_checked: int
    problems: list[ChainProblemView]
    checkpoint: CheckpointSummaryView | None = Field(description="the latest checkpoint that holds")
    forged_checkpoints: list[ForgeryView]
    unfiled_checkpoints: list[UnfiledCheckpointView] = Field(
        description="checkpoints the store records issuing that the checkpoint file no longer holds"
    )
    next_cursor: str | None = Field(
        description="pass it as `cursor` to check the next chains; null when done"
    )
    unchained_records_not_covered: int = Field(
        0,
        description="access records stored before chaining (ADR 0019) in this page's access logs that no "
        "checkpoint covers: none was issued yet, or the latest one was signed before checkpoints covered "
        "them (ADR 0034); one forged, deleted or edited among them cannot be named until the next one",
    )

    @classmethod
    def of(cls, report: AuditReport) -> AuditReportView:
        return cls(
            chains_checked=report.chains_checked,
            problems=[ChainProblemView.of(problem) for problem in report.problems],
            checkpoint=CheckpointSummaryView.of(report.checkpoint) if report.checkpoint else None,
            forged_checkpoints=[ForgeryView.of(forgery) for forgery in report.forged_checkpoints],
            unfiled_checkpoints=[UnfiledCheckpointView(**vars(u)) for u in report.unfiled_checkpoints],
            next_cursor=encode_cursor(report.next_key),
            unchained_records_not_covered=report.unchained_records_not_covered,
        )


class ChainHeadView(BaseModel):
    kind: str
    municipality: str
    case_id: str
    length: int
    head: str
    unchained_records: int | None = Field(
        None, description="access log: its records stored before chaining, as signed (null: not covered)"
    )
    unchained_hash: str | None = Field(None, description="access log: the running hash over those records")
    proof: list[list[str]] = Field(description="[side, hash] pairs from the head's leaf to the Merkle root")


class CheckpointView(BaseModel):
    """A signed checkpoint: what ``natverk verify --checkpoint FILE --public-key FILE`` checks."""

    summary: CheckpointSummaryView
    signature: str
    chains: list[ChainHeadView] = Field(description="the chains of the case asked about (none if none was)")

    @classmethod
    def of(cls, export: CheckpointExport | IssuedCheckpoint) -> CheckpointView:
        proofs = export.proofs if isinstance(export, CheckpointExport) else {}
        chains = [ChainHeadView(**vars(head), proof=proofs.get(head.chain, [])) for head in _shown(export)]
        return cls(
            summary=CheckpointSummaryView.of(export.summary), signature=export.signature, chains=chains
        )


def _shown(export: CheckpointExport | IssuedCheckpoint) -> list[ChainHead]:
    return export.heads if isinstance(export, CheckpointExport) else []


class RetiredKeyView(BaseModel):
    key_id: str
    algorithm: str = "Ed25519"
    public_key_pem: str


class PublicKeyView(RetiredKeyView):
    retired: list[RetiredKeyView] = Field(
        description="the keys this one replaced, oldest first: checkpoints they signed stay valid"
    )

    @classmethod
    def of(cls, key: PublicKey) -> PublicKeyView:
        retired = [
            RetiredKeyView(key_id=old.key_id, public_key_pem=old.public_key_pem) for old in key.retired
        ]
        return cls(key_id=key.key_id, public_key_pem=key.public_key_pem, retired=retired)


@router.get("/verify", response_model=AuditReportView)
def verify_every_chain(kit: Kit, page: Paging) -> AuditReportView:
    """Re-check a page of chains (timelines and access logs) from the stored records, and hold each
    against the latest valid checkpoint; names per case what is wrong.  Follow `next_cursor` to check
    them all (`natverk verify` does)."""
    return kit.query(CaseStore.audit_report, page, view=AuditReportView, roles=VERIFY_ROLES)


@router.post("/checkpoints", response_model=CheckpointView, status_code=201)
def issue_checkpoint(kit: Kit) -> CheckpointView:
    """Sign every chain's head now (refused with 409 if the store no longer matches the latest one)."""
    return kit.command(CaseStore.issue_checkpoint, view=CheckpointView, roles=ISSUE_ROLES, status=201)


@router.get("/checkpoints/latest", response_model=CheckpointView)
def latest_checkpoint(kit: Kit, case_id: CaseIdQuery = None) -> CheckpointView:
    """The latest valid checkpoint; with `case_id`, that case's chain heads (timeline, access log)
    with their Merkle inclusion proofs, logged as a read of the case."""
    return kit.query(CaseStore.latest_checkpoint, case_id, view=CheckpointView, roles=VERIFY_ROLES)


@router.get("/public-key", response_model=PublicKeyView)
def public_key(kit: Kit) -> PublicKeyView:
    """The Ed25519 public key checkpoints are signed with (PEM), and the retired keys earlier ones were
    signed with (each checkpoint names its key's `key_id`)."""
    return kit.query(CaseStore.signing_key, view=PublicKeyView, roles=VERIFY_ROLES)
