"""The crash harness, bounded for the suite (``make soak`` runs it for ten minutes with a fresh seed)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.chaos.harness import run

pytestmark = pytest.mark.chaos
SEED = int(os.environ.get("NATVERK_CHAOS_SEED", "20261122"))
SECONDS = float(os.environ.get("NATVERK_CHAOS_SECONDS", "40"))


async def test_under_kills_pauses_broker_restarts_and_cut_connections_every_ok_command_has_exactly_one_effect(
    tmp_path: Path,
) -> None:
    report = await run(SECONDS, SEED, tmp_path, fault_every=2.5)
    print(report.summary())
    assert report.commands[("referral", "ok")] > 0 and report.commands[("placement", "ok")] > 0, (
        report.summary()
    )
    assert len(report.faults) >= 5, report.summary()
    assert report.violations == [], f"{report.summary()}\nfaults: {report.faults}\n" + "\n".join(
        report.violations[:20]
    )
