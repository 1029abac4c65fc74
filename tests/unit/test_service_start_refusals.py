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
