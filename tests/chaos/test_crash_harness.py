"""The crash harness, bounded for the suite (``make soak`` runs it for ten minutes with a fresh seed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.chaos.harness import run

pytestmark = pytest.mark.chaos
SEED = int(os.environ.get("NATVERK_CHAOS_SEED", "20261122"))
SECONDS = float(os.environ.get("NATVERK_CHAOS_SECONDS", "30"))


async def test_under_crashes_freezes_broker_loss_and_bad_connections_every_ok_command_has_exactly_one_effect(
    tmp_path: Path,
) -> None:
    report = await run(SECONDS, SEED, tmp_path, fault_every=2.0)
    print(report.text())
    assert len(report.faults) >= 5, report.text()
    assert report.failures == [], report.text()
