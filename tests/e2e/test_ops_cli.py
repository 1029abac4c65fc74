"""The ops CLI against the stack as processes: statistics report, chain verification, DLQ tools."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import uuid
from typing import Any

import httpx
import pytest

from contracts.topics import PLACEMENTS, PLACEMENTS_DLQ
from services.stack import Stack
from tests.support.apps import eventually
from tests.support.broker import produce, read_topic
from tests.support.events import encode, placement_ended, placement_started, valid_pin
from tests.support.tokens import bearer

pytestmark = pytest.mark.e2e


def natverk(stack: Stack, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **stack.extra_env}
    return subprocess.run(
        [sys.executable, "-m", "services.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_the_statistics_report_counts_children_by_municipality_and_type(stack: Stack) -> None:
    tag = uuid.uuid4().hex[:6]
    events = [
        placement_started(f"0380-S1-{tag}", f"P1-{tag}", placement_type="familjehem"),
        placement_started(f"0380-S2-{tag}", f"P2-{tag}", placement_type="natverkshem"),
        placement_ended(f"0380-S1-{tag}", f"P1-{tag}", end_reason="breakdown", placement_type="familjehem"),
        placement_started(f"1980-S3-{tag}", f"P3-{tag}", municipality="1980", placement_type="jourhem"),
    ]
    for event in events:
        await produce(
            stack.settings.kafka_bootstrap, PLACEMENTS, [encode(event)], key=event["subject"].encode()
        )

    async with httpx.AsyncClient(timeout=5) as client:

        async def counted():
            response = await client.get(
                f"{stack.url('case_store')}/api/v1/statistics/placements",
                params={"from": "2026-11-01", "to": "2026-12-31"},
                headers=bearer("0380", ("ops",)),
            )
            figures = {m["municipality"]: m for m in response.json()["municipalities"]}
            done = figures.get("0380", {}).get("breakdowns", 0) >= 1 and "1980" in figures
            return figures if done else None

        await eventually(counted, timeout=20)
    result = natverk(stack, "stats", "--from", "2026-11-01", "--to", "2026-12-31", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = {row["municipality"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert int(rows["0380"]["familjehem"]) >= 1 and int(rows["0380"]["natverkshem"]) >= 1
    assert int(rows["0380"]["breakdowns"]) >= 1 and int(rows["1980"]["jourhem"]) >= 1
    table = natverk(stack, "stats", "--from", "2026-11-01", "--to", "2026-12-31")
    assert table.stdout.startswith("Children in 24-hour care, 2026-11-01 to 2026-12-31")
    as_json = json.loads(
        natverk(stack, "stats", "--from", "2026-11-01", "--to", "2026-12-31", "--format", "json").stdout
    )
    assert {m["municipality"] for m in as_json["municipalities"]} >= {"0380", "1980"}
    assert "S1-" not in result.stdout + table.stdout  # figures only, never case ids


def test_verify_checks_every_chain(stack: Stack) -> None:
    result = natverk(stack, "verify")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _poison(case_id: str, **data: object) -> bytes:
    """A placement event that names its case but fails validation (no placement id, no dates...)."""
    data = {"case_id": case_id, "municipality": "0380", **data}
    return json.dumps({"specversion": "1.0", "type": "se.placement.started.v1", "data": data}).encode()


async def _dead_lettered(stack: Stack, poison: bytes, key: bytes) -> Any:
    await produce(stack.settings.kafka_bootstrap, PLACEMENTS, [poison], key=key)

    async def dead_lettered():
        return [
            r for r in await read_topic(stack.settings.kafka_bootstrap, PLACEMENTS_DLQ) if r.value == poison
        ]

    return (await eventually(dead_lettered, timeout=20))[0]


async def test_dead_letters_are_listed_shown_masked_and_redriven_unchanged(stack: Stack) -> None:
    pin = valid_pin(77)
    poison = _poison("0380-dlq-test", pin=pin)
    letter = await _dead_lettered(stack, poison, b"0380-dlq-test")
    listed = natverk(stack, "dlq", "list", PLACEMENTS_DLQ)
    assert listed.returncode == 0 and str(letter.offset) in listed.stdout
    assert pin not in listed.stdout
    shown = natverk(
        stack,
        "dlq",
        "show",
        PLACEMENTS_DLQ,
        "--partition",
        str(letter.partition),
        "--offsets",
        str(letter.offset),
    )
    assert shown.returncode == 0 and "se.placement.started.v1" in shown.stdout, shown.stderr
    assert pin not in shown.stdout  # masked
    before = [r for r in await read_topic(stack.settings.kafka_bootstrap, PLACEMENTS) if r.value == poison]
    redriven = natverk(
        stack,
        "dlq",
        "redrive",
        PLACEMENTS_DLQ,
        "--partition",
        str(letter.partition),
        "--offsets",
        str(letter.offset),
    )
    assert redriven.returncode == 0, redriven.stderr
    after = [r for r in await read_topic(stack.settings.kafka_bootstrap, PLACEMENTS) if r.value == poison]
    assert len(after) == len(before) + 1
    assert dict(after[-1].headers)["redriven_from"] == f"{letter.partition}:{letter.offset}".encode()
    refused = natverk(stack, "dlq", "redrive", PLACEMENTS_DLQ)
    assert refused.returncode == 2 and "--offsets" in refused.stderr


async def test_showing_a_dead_letter_logs_who_read_which_case_and_why_in_the_case_store(stack: Stack) -> None:
    """Dead letters carry case data; `show` read them from the broker and left no access record."""
    case_id = f"0380-DLQ-{uuid.uuid4().hex[:6]}"
    letter = await _dead_lettered(stack, _poison(case_id), case_id.encode())
    where = ["--partition", str(letter.partition), "--offsets", str(letter.offset)]
    shown = natverk(stack, "dlq", "show", PLACEMENTS_DLQ, *where)
    assert shown.returncode == 0 and case_id in shown.stdout, shown.stderr

    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(
            f"{stack.url('case_store')}/api/v1/cases/{case_id}/access-log",
            headers=bearer("0380", ("auditor",)),
        )
    response.raise_for_status()
    reads = [
        (r["actor"], r["service"], r["resource"], r["purpose"], r["outcome"])
        for r in response.json()["items"]
        if not r["resource"].endswith("/access-log")  # the auditor's own read
    ]
    assert reads == [("natverk-cli", "case_store", "POST /ops/dead-letter-reads", "operations", "granted")]


def test_the_outbox_of_every_service_with_a_relay_is_listed_and_empty(stack: Stack) -> None:
    for service in ("referrals", "scheduling", "network_support", "collaboration"):
        listed = natverk(stack, "outbox", "list", "--service", service)
        assert (listed.returncode, listed.stdout.strip()) == (0, f"{service}: nothing parked"), listed.stderr


def test_releasing_a_record_that_is_not_parked_says_so_and_fails(stack: Stack) -> None:
    released = natverk(stack, "outbox", "release", "--service", "referrals", "--notification", "1")
    assert released.returncode == 2
    assert "answered 404: no parked record with that notification id" in released.stderr


def test_a_report_the_service_refuses_says_why_in_one_line(stack: Stack) -> None:
    refused = natverk(stack, "stats", "--from", "2026-12-31", "--to", "2026-01-01")
    assert refused.returncode == 2
    assert "answered 422: the request is not valid" in refused.stderr
    assert "`to` must not be before `from`" in refused.stderr
