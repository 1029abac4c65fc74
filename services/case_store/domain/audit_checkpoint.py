"""A signed checkpoint as the case store stores it: so that its relay publishes it (ADR 0019)."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from services.case_store.domain.checkpoint import CheckpointSummary
from services.kit.domain.ids import stable_id


class AuditCheckpoint(Aggregate):
    @staticmethod
    def id_for(summary: CheckpointSummary) -> UUID:
        return stable_id("audit-checkpoint", summary.issued_at, summary.merkle_root)

    @classmethod
    def create_id(cls, issued_at: str, merkle_root: str, **_: object) -> UUID:
        return stable_id("audit-checkpoint", issued_at, merkle_root)

    @classmethod
    def issue(cls, summary: CheckpointSummary, signature: str) -> AuditCheckpoint:
        return cls(summary.issued_at, summary.key_id, summary.chain_count, summary.merkle_root, signature)

    @event("Issued")
    def __init__(
        self, issued_at: str, key_id: str, chain_count: int, merkle_root: str, signature: str
    ) -> None:
        self.issued_at = issued_at
        self.key_id = key_id
        self.chain_count = chain_count
        self.merkle_root = merkle_root
        self.signature = signature
