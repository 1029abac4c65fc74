"""Rotating the case store's checkpoint key (ADR 0030): checkpoints signed before stay valid when the
old public key is named retired; nothing signed with a retired key counts after the newer key signed.

Through the case store's HTTP API with an ops token, on SQLite and PostgreSQL, with the checkpoint
file edited as someone holding an old private key would.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from services.case_store.checkpoints import CHECKPOINT_FILE_NAME
from services.case_store.domain.checkpoint import CheckpointSummary
from services.case_store.signing import DEV_KEY_NAME, CheckpointSigner
from services.cli import main
from services.kit.key_settings import read_signing_key
from services.kit.settings import ServiceSettings
from tests.conftest import make_settings
from tests.support.apps import case_store
from tests.support.tokens import bearer

CASE = "0380-R1"
OPS = bearer("0380", ("ops",), subject="ops-1")
OCCURRED = datetime(2026, 11, 20, 10, tzinfo=UTC)


def _pem(key: Ed25519PrivateKey, path: Path, public: bool = False) -> Path:
    if public:
        data = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    else:
        data = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    path.write_bytes(data)
    return path


def _record(settings: ServiceSettings, key: str) -> None:
    with case_store(settings) as client:
        client.app.state.runtime.app.record_event(
            CASE, "0380", key, OCCURRED, "referrals", "se.x.v1", "cw", "s"
        )


def _checkpoint(settings: ServiceSettings) -> dict[str, Any]:
    with case_store(settings) as client:
        response = client.post("/api/v1/audit/checkpoints", headers=OPS)
    assert response.status_code == 201, response.text
    return response.json()["summary"]


def _verify(settings: ServiceSettings) -> dict[str, Any]:
    with case_store(settings) as client:
        response = client.get("/api/v1/audit/verify", headers=OPS)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def before_rotation(tmp_path: Path, database_url: str | None) -> ServiceSettings:
    """A case store that signed one checkpoint with its first key (the development key)."""
    settings = make_settings(tmp_path, database_url=database_url)
    _record(settings, "k1")
    _checkpoint(settings)
    return settings


def _rotated(settings: ServiceSettings, *, name_the_old_key: bool) -> ServiceSettings:
    old = read_signing_key(settings.data_dir / DEV_KEY_NAME)
    new_key = _pem(Ed25519PrivateKey.generate(), settings.data_dir.parent / "new-key.pem")
    retired = (
        [_pem(old, settings.data_dir.parent / "old-key.pub.pem", public=True)] if name_the_old_key else []
    )
    return settings.model_copy(
        update={"audit_signing_key_file": new_key, "audit_retired_public_key_files": retired}
    )


def test_after_a_rotation_the_retired_keys_checkpoints_still_verify_and_the_new_key_signs_on(
    before_rotation: ServiceSettings,
) -> None:
    first = _verify(before_rotation)["checkpoint"]
    rotated = _rotated(before_rotation, name_the_old_key=True)
    report = _verify(rotated)
    assert (report["problems"], report["forged_checkpoints"]) == ([], [])
    assert report["checkpoint"] == first
    _record(rotated, "k2")
    signed = _checkpoint(rotated)
    report = _verify(rotated)
    assert (report["problems"], report["forged_checkpoints"]) == ([], [])
    assert report["checkpoint"]["key_id"] == signed["key_id"] != first["key_id"]


def test_the_public_key_endpoint_serves_the_retired_keys_beside_the_current_one(
    before_rotation: ServiceSettings,
) -> None:
    old_id = _verify(before_rotation)["checkpoint"]["key_id"]
    rotated = _rotated(before_rotation, name_the_old_key=True)
    with case_store(rotated) as client:
        keys = client.get("/api/v1/audit/public-key", headers=OPS).json()
    assert keys["key_id"] == CheckpointSigner.from_settings(rotated).key_id
    assert [key["key_id"] for key in keys["retired"]] == [old_id]
    assert keys["retired"][0]["public_key_pem"].startswith("-----BEGIN PUBLIC KEY-----")


def test_after_a_rotation_that_does_not_name_the_old_key_its_checkpoints_are_named_and_none_trusted(
    before_rotation: ServiceSettings,
) -> None:
    old_id = _verify(before_rotation)["checkpoint"]["key_id"]
    report = _verify(_rotated(before_rotation, name_the_old_key=False))
    assert report["checkpoint"] is None
    assert [(f["line"], f["reason"]) for f in report["forged_checkpoints"]] == [
        (1, f"signed with key {old_id}, which is neither the current key nor a retired one")
    ]


def test_a_checkpoint_signed_with_a_retired_key_after_the_newer_key_signed_is_named_forged(
    before_rotation: ServiceSettings,
) -> None:
    """Someone holding the old private key signs a later checkpoint: it is not trusted."""
    old = read_signing_key(before_rotation.data_dir / DEV_KEY_NAME)
    rotated = _rotated(before_rotation, name_the_old_key=True)
    _record(rotated, "k2")
    newer = _checkpoint(rotated)
    file = before_rotation.data_dir / CHECKPOINT_FILE_NAME
    issued_at = (datetime.fromisoformat(newer["issued_at"]) + timedelta(minutes=1)).isoformat()
    summary = CheckpointSummary(
        issued_at, CheckpointSigner(old).key_id, newer["chain_count"], newer["merkle_root"]
    )
    signature = CheckpointSigner(old).sign(summary.signed_text())
    with file.open("a") as lines:
        lines.write(json.dumps({"summary": asdict(summary), "signature": signature}) + "\n")
    report = _verify(rotated)
    assert report["checkpoint"]["issued_at"] == newer["issued_at"]
    assert [(f["line"], f["reason"]) for f in report["forged_checkpoints"]] == [
        (3, "signed with a retired key after a checkpoint signed with a newer key")
    ]


def test_an_auditor_exports_the_latest_checkpoint_with_the_retired_key_that_signed_it_and_it_verifies_offline(
    before_rotation: ServiceSettings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys
) -> None:
    """Rotated, nothing signed with the new key yet: the export carries the old key, not the new one."""
    rotated = _rotated(before_rotation, name_the_old_key=True)
    out = tmp_path / "export"
    with case_store(rotated) as client:
        monkeypatch.setattr(httpx, "get", lambda url, **options: client.get(url, **options))
        assert main(["export-checkpoint", CASE, "--out", str(out), "--url", "http://case-store"]) == 0
    checkpoint, key = str(out / "checkpoint.json"), str(out / "public-key.pem")
    capsys.readouterr()
    assert main(["verify", "--checkpoint", checkpoint, "--public-key", key]) == 0, capsys.readouterr().out
