"""A service that cannot start with its configuration says so in one line naming the setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_the_case_store_outside_development_mode_without_a_signing_key_refuses_in_one_line(
    tmp_path: Path,
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("NATVERK_")},
        "NATVERK_DEV": "0",
        "NATVERK_JWT_SECRET": "s3cret-" * 6,
        "NATVERK_JWT_AUDIENCE": "natverk",
        "NATVERK_JWT_ISSUER": "https://idp.example.se",
        "NATVERK_DATA_DIR": str(tmp_path),
    }
    started = subprocess.run(
        [sys.executable, "-m", "services.case_store"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert started.returncode == 2
    assert started.stderr.splitlines() == [
        "natverk: invalid configuration, not starting:",
        "  NATVERK_AUDIT_SIGNING_KEY_FILE: must name the Ed25519 key checkpoints are signed with",
    ]
    assert "Traceback" not in started.stderr and "s3cret" not in started.stderr


def _started(module: str, tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("NATVERK_")},
        "NATVERK_DEV": "1",
        "NATVERK_DATA_DIR": str(tmp_path),
        **settings,
    }
    return subprocess.run(
        [sys.executable, "-m", module], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_a_service_whose_postgresql_refuses_the_connection_says_why_in_one_line_without_the_password(
    tmp_path: Path,
) -> None:
    started = _started(
        "services.referrals",
        tmp_path,
        NATVERK_DATABASE_URL="postgresql://natverk:pw-s3cret@127.0.0.1:1/natverk",
    )
    assert started.returncode == 1
    first, reason = started.stderr.splitlines()
    assert first == "natverk: referrals cannot open its store, not starting:"
    assert reason.startswith("  NATVERK_DATABASE_URL: cannot open the store (OperationalError: ")
    assert "Connection refused" in reason or "connection" in reason.lower()
    assert "Traceback" not in started.stderr and "s3cret" not in started.stderr


def test_a_service_whose_data_folder_cannot_be_made_says_so_in_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    started = _started("services.scheduling", tmp_path, NATVERK_DATA_DIR=str(blocker / "var"))
    assert started.returncode == 1
    assert started.stderr.splitlines() == [
        "natverk: scheduling cannot open its store, not starting:",
        "  NATVERK_DATA_DIR: cannot open the store (NotADirectoryError: Not a directory)",
    ]


def test_a_service_whose_store_file_is_not_a_database_says_so_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "collaboration.sqlite").write_bytes(b"this is not a database file, it is text " * 20)
    started = _started("services.collaboration", tmp_path)
    assert started.returncode == 1
    assert started.stderr.splitlines() == [
        "natverk: collaboration cannot open its store, not starting:",
        "  NATVERK_DATA_DIR: cannot open the store (DatabaseError: file is not a database)",
    ]
