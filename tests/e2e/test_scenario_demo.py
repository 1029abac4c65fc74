"""``natverk demo`` (what ``make demo`` runs) against the stack as processes, then the statistics it feeds."""

from __future__ import annotations

import csv
import io
import json

import pytest

from services.demo import EXPECTED_TYPES
from services.stack import Stack
from tests.e2e.test_ops_cli import natverk
from tests.support.apps import eventually

pytestmark = pytest.mark.e2e


async def test_the_demo_prints_a_timeline_every_service_contributed_to_and_feeds_the_statistics(
    stack: Stack,
) -> None:
    result = natverk(stack, "demo")
    assert result.returncode == 0, result.stderr
    timeline = json.loads(result.stdout)
    types = {entry["event_type"] for entry in timeline["items"]}
    for service in stack.services:
        assert EXPECTED_TYPES[service] <= types, (
            f"{service} is missing from the demo timeline: {sorted(types)}"
        )
    assert all(entry["hash"] for entry in timeline["items"])

    def autumn_counted() -> dict[str, dict[str, str]] | None:
        report = natverk(stack, "stats", "--from", "2026-09-01", "--to", "2026-12-31", "--format", "csv")
        assert report.returncode == 0, report.stderr
        rows = {row["municipality"]: row for row in csv.DictReader(io.StringIO(report.stdout))}
        return (
            rows
            if {"0380", "1980", "2180"} <= rows.keys() and int(rows["0380"]["home_returns"]) >= 1
            else None
        )

    # the demo's autumn placements: a home return in 0380, a breakdown and new home in 1980, a network home in 2180
    rows = await eventually(autumn_counted, timeout=20, interval=0.5)
    assert int(rows["1980"]["breakdowns"]) >= 1 and int(rows["1980"]["familjehem"]) >= 1
    assert int(rows["2180"]["natverkshem"]) >= 1 and rows["2180"]["kinship_share"] != "0.0%"
