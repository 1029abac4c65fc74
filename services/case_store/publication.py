"""What the case store publishes: its signed checkpoints, nothing about a case (ADR 0019)."""

from __future__ import annotations

from contracts.audit import AuditCheckpointIssuedV1
from contracts.topics import AUDIT_CHECKPOINTS
from services.case_store import SERVICE
from services.case_store.domain.audit_checkpoint import AuditCheckpoint
from services.kit.publication import Outgoing, PublicationTable

SOURCE = f"/natverk/{SERVICE}"


def _checkpoint(event: AuditCheckpoint.Issued) -> Outgoing:
    return Outgoing(
        topic=AUDIT_CHECKPOINTS,
        event_type="se.natverk.audit.checkpoint_issued.v1",
        subject=event.merkle_root,
        data=AuditCheckpointIssuedV1(
            issued_at=event.issued_at,
            key_id=event.key_id,
            chain_count=event.chain_count,
            merkle_root=event.merkle_root,
            signature=event.signature,
        ),
    )


def build_publication_table() -> PublicationTable:
    return PublicationTable(SOURCE, {AuditCheckpoint.Issued: _checkpoint})
