"""Running deploy/kafka's scripts against fake Kafka tools that record their calls."""

from __future__ import annotations

import subprocess
from pathlib import Path

KAFKA = Path(__file__).resolve().parents[2] / "deploy" / "kafka"


def fake_tool(folder: Path, tool: str) -> tuple[Path, Path]:
    """A stand-in for ``tool`` that appends its arguments to a file: (the tool, its calls)."""
    calls, fake = folder / f"{tool}.calls", folder / f"{tool}.sh"
    fake.write_text(f'#!/usr/bin/env bash\necho "$*" >> {calls}\n')
    fake.chmod(0o755)
    return fake, calls


def run_script(script: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KAFKA / script), *args], check=False, env=env, capture_output=True, text=True)
