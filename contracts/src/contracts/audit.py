"""Audit checkpoints: the case store's signed statement of every chain head at one moment."""

from __future__ import annotations

from pydantic import Field

from contracts.common import ContractModel


class AuditCheckpointIssuedV1(ContractModel):
    """Signed with the case store's Ed25519 key (``GET /api/v1/audit/public-key``) over the canonical
    JSON of ``{"checkpoint": 1, "issued_at", "key_id", "chain_count", "merkle_root"}`` (sorted keys, no
    spaces).  The chain heads themselves are in the case store's checkpoint file and, per municipality,
    at ``GET /api/v1/audit/checkpoints/latest`` with their Merkle inclusion proofs."""

    issued_at: str = Field(max_length=64, description="RFC 3339 time, exactly the text that was signed")
    key_id: str = Field(pattern=r"^[0-9a-f]{16}$")
    chain_count: int = Field(ge=0)
    merkle_root: str = Field(pattern=r"^[0-9a-f]{64}$")
    signature: str = Field(max_length=200, description="base64 Ed25519 signature")

    def summary(self) -> str:
        return f"Audit checkpoint of {self.chain_count} chains"
