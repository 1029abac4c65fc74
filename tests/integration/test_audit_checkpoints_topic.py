"""Signed checkpoints leave the case store on their own topic, where anyone holding the public key
can check them (ADR 0019): real broker, both store backends."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from contracts.audit import AuditCheckpointIssuedV1
from contracts.topics import AUDIT_CHECKPOINTS
from services.case_store.app import create_app
from services.case_store.checkpoints import CheckpointFile
from services.case_store.domain.checkpoint import CheckpointSummary
from services.case_store.signing import CheckpointKeys, load_public_key, verify_signature
from services.kit.settings import ServiceSettings
from tests.support.apps import eventually, serving
from tests.support.broker import read_topic
from tests.support.tokens import bearer

pytestmark = [pytest.mark.integration, pytest.mark.one_backend]
OPS = bearer("0380", ("ops",))


async def test_a_checkpoint_is_published_signed_and_matches_the_one_in_the_file(
    settings: ServiceSettings,
) -> None:
    app = create_app(settings)
    async with serving(app) as client:
        store = app.state.runtime.app
        for n in range(3):
            store.record_event(
                "0380-P1", "0380", f"k{n}", datetime.now(UTC), "referrals", "se.x.v1", "cw", "s"
            )
        issued = await client.post("/api/v1/audit/checkpoints", headers=OPS)
        assert issued.status_code == 201
        key = load_public_key(
            (await client.get("/api/v1/audit/public-key", headers=OPS)).json()["public_key_pem"].encode()
        )
        issued_at = issued.json()["summary"]["issued_at"]
        published = await eventually(lambda: _checkpoints(settings.kafka_bootstrap, issued_at), timeout=20)
    in_file = CheckpointFile.from_settings(settings).standing(CheckpointKeys(key))
    [last] = [c for c in published if c.issued_at == issued.json()["summary"]["issued_at"]]
    summary = CheckpointSummary(last.issued_at, last.key_id, last.chain_count, last.merkle_root)
    assert verify_signature(key, summary.signed_text(), last.signature)
    # The file holds it too (the one signed at start may follow it, with the same root).
    assert (in_file.latest.summary.merkle_root, in_file.forged) == (summary.merkle_root, [])
    assert last.chain_count == 1  # the timeline (no reads yet)


async def _checkpoints(bootstrap: str, issued_at: str) -> list[AuditCheckpointIssuedV1]:
    """Every checkpoint on the topic, once the one issued at ``issued_at`` is among them."""
    records = await read_topic(bootstrap, AUDIT_CHECKPOINTS)
    published = [
        AuditCheckpointIssuedV1.model_validate(json.loads(record.value)["data"]) for record in records
    ]
    return published if any(c.issued_at == issued_at for c in published) else []
