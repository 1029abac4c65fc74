"""An external auditor checks an exported checkpoint and a timeline with the public key alone:
``natverk verify --checkpoint FILE --public-key FILE --timeline FILE``, no service running (ADR 0019).

The files are what the case store's HTTP API gives an auditor (SQLite store, no broker).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from fastapi.testclient import TestClient

from services.case_store.app import create_app
from services.case_store.signing import key_id_of
from services.cli import main
from tests.conftest import make_settings
from tests.support.tokens import bearer

NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)
AUDITOR = bearer("0380", ("auditor",), subject="auditor-1")


@pytest.fixture
def exported(tmp_path: Path) -> Path:
    """checkpoint.json, public-key.pem and timeline.json of case 0380/C-2, as an auditor took them."""
    app = create_app(make_settings(tmp_path / "store"), start_runtime=False)
    store = app.state.runtime.app
    try:
        with TestClient(app, base_url="http://case-store") as client:
            for municipality, case_id in (("0380", "C-1"), ("0380", "C-2"), ("1980", "C-2"), ("0380", "C-3")):
                for n in range(3):
                    store.record_event(
                        case_id, municipality, f"k{n}", NOW, "referrals", "se.x.v1", "cw", f"s{n}"
                    )
            assert (
                client.post("/api/v1/audit/checkpoints", headers=bearer("0380", ("ops",))).status_code == 201
            )
            store.record_event("C-2", "0380", "k9", NOW, "referrals", "se.x.v1", "cw", "after the checkpoint")
            files = {
                "checkpoint.json": client.get(
                    "/api/v1/audit/checkpoints/latest", params={"case_id": "C-2"}, headers=AUDITOR
                ).json(),
                "timeline.json": client.get("/api/v1/cases/C-2/timeline", headers=AUDITOR).json(),
            }
            key = client.get("/api/v1/audit/public-key", headers=AUDITOR).json()["public_key_pem"]
    finally:
        store.close()
    out = tmp_path / "export"
    out.mkdir()
    for name, body in files.items():
        (out / name).write_text(json.dumps(body))
    (out / "public-key.pem").write_text(key)
    return out


def verify(folder: Path, timeline: str = "timeline.json", key: str = "public-key.pem") -> int:
    files = {"--checkpoint": "checkpoint.json", "--public-key": key, "--timeline": timeline}
    return main(
        ["verify", *(part for option, name in files.items() for part in (option, str(folder / name)))]
    )


def test_the_export_verifies_and_holds_only_the_case_asked_about(exported: Path, capsys) -> None:
    assert verify(exported) == 0
    assert "verify" in capsys.readouterr().out
    checkpoint = json.loads((exported / "checkpoint.json").read_text())
    assert [(c["kind"], c["municipality"], c["case_id"]) for c in checkpoint["chains"]] == [
        ("timeline", "0380", "C-2")  # no read of it before the checkpoint: no access log yet
    ]
    assert checkpoint["summary"]["chain_count"] == 4


def test_an_edited_timeline_is_named_at_its_broken_position(exported: Path, capsys) -> None:
    timeline = json.loads((exported / "timeline.json").read_text())
    timeline["items"][1]["summary"] = "something else"
    (exported / "edited.json").write_text(json.dumps(timeline))
    assert verify(exported, timeline="edited.json") == 1
    assert capsys.readouterr().out.splitlines() == [
        "BROKEN 0380/C-2 timeline at position 2: entry content or recording time does not match its hash"
    ]


def test_a_timeline_cut_below_what_the_checkpoint_signed_is_named(exported: Path, capsys) -> None:
    timeline = json.loads((exported / "timeline.json").read_text())
    timeline["items"] = timeline["items"][:2]
    (exported / "cut.json").write_text(json.dumps(timeline))
    assert verify(exported, timeline="cut.json") == 1
    assert capsys.readouterr().out.splitlines() == [
        "CUT 0380/C-2 timeline: the checkpoint signed 3 entries, the export has 2"
    ]


def test_a_checkpoint_with_an_altered_head_or_another_key_is_named_forged(exported: Path, capsys) -> None:
    checkpoint = json.loads((exported / "checkpoint.json").read_text())
    checkpoint["chains"][0]["length"] += 1
    (exported / "checkpoint.json").write_text(json.dumps(checkpoint))
    assert verify(exported) == 1
    assert capsys.readouterr().out.startswith(
        "FORGED chain head 0380/C-2 timeline: not under the signed root"
    )
    other = Ed25519PrivateKey.generate().public_key()
    pem = other.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    (exported / "other.pem").write_bytes(pem)
    assert verify(exported, key="other.pem") == 1
    signed_with = checkpoint["summary"]["key_id"]
    assert capsys.readouterr().out.splitlines() == [
        f"the checkpoint names key {signed_with}, not this public key ({key_id_of(other)})"
    ]
    checkpoint["chains"][0]["length"] -= 1
    checkpoint["signature"] = checkpoint["signature"][::-1]
    (exported / "checkpoint.json").write_text(json.dumps(checkpoint))
    assert verify(exported) == 1
    assert capsys.readouterr().out.splitlines() == [
        "FORGED checkpoint: its signature does not verify with this public key"
    ]


def test_a_file_that_cannot_be_read_is_a_bad_argument_named_not_a_forgery(exported: Path, capsys) -> None:
    """An auditor must tell a mistyped path (exit 2) from a checkpoint that does not hold (exit 1)."""
    for missing in ({"timeline": "nowhere.json"}, {"key": "nowhere.pem"}):
        assert verify(exported, **missing) == 2
        printed = capsys.readouterr()
        assert printed.out == "" and "nowhere" in printed.err and printed.err.startswith("natverk verify: ")
    (exported / "junk.pem").write_text("not a key")
    assert verify(exported, key="junk.pem") == 1
    assert capsys.readouterr().out.splitlines() == ["the public key file is not a PEM public key"]


def test_an_export_with_the_cases_access_log_verifies_offline(tmp_path: Path, capsys) -> None:
    """An access log's signed head also covers its records stored before chaining (ADR 0034): the
    export carries that, and the offline check holds the head to the signed root with it."""
    app = create_app(make_settings(tmp_path / "store"), start_runtime=False)
    store = app.state.runtime.app
    try:
        with TestClient(app, base_url="http://case-store") as client:
            store.record_event("C-4", "0380", "k0", NOW, "referrals", "se.x.v1", "cw", "s0")
            store.record_access("C-4", "reader-1", "0380", "GET /x", "case work", "granted", "0380")
            assert (
                client.post("/api/v1/audit/checkpoints", headers=bearer("0380", ("ops",))).status_code == 201
            )
            checkpoint = client.get(
                "/api/v1/audit/checkpoints/latest", params={"case_id": "C-4"}, headers=AUDITOR
            )
            key = client.get("/api/v1/audit/public-key", headers=AUDITOR).json()["public_key_pem"]
    finally:
        store.close()
    assert sorted(chain["kind"] for chain in checkpoint.json()["chains"]) == ["access-log", "timeline"]
    (tmp_path / "checkpoint.json").write_text(checkpoint.text)
    (tmp_path / "public-key.pem").write_text(key)
    files = [
        "--checkpoint",
        str(tmp_path / "checkpoint.json"),
        "--public-key",
        str(tmp_path / "public-key.pem"),
    ]
    assert main(["verify", *files]) == 0, capsys.readouterr().out
