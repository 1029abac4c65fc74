"""``natverk dlq show`` on a real broker prints a dead letter only once the case store has logged
its read (ADR 0004 addendum): if it cannot, nothing is printed; a letter naming no case is never
shown."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from aiokafka import AIOKafkaProducer

from contracts.topics import PLACEMENTS, PLACEMENTS_DLQ
from services.cli import main
from tests.support.broker import LocalBroker
from tests.support.ports import free_port
from tests.support.stub_server import refusing

pytestmark = pytest.mark.integration

CASE_DATA = "placement-at-Solgläntan"  # what must not be printed unless its read is logged


async def _dead_letter(bootstrap: str, value: bytes, key: bytes) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        headers = [("error", b"data invalid: data.start_date"), ("original_topic", PLACEMENTS.encode())]
        await producer.send_and_wait(PLACEMENTS_DLQ, value, key=key, headers=headers, partition=0)
    finally:
        await producer.stop()


def _placement(case_id: str) -> bytes:
    data = {"case_id": case_id, "municipality": "0380", "family_home_id": CASE_DATA}
    return json.dumps({"specversion": "1.0", "type": "se.placement.started.v1", "data": data}).encode()


@pytest.fixture
def unavailable_case_store() -> Iterator[str]:
    """Answers 503 as the case store does when it cannot store an access record."""
    with refusing(503, "unavailable", "try again later") as url:
        yield url


@pytest.mark.parametrize("case_store", ["not running", "unavailable"])
def test_a_dead_letter_is_not_shown_when_the_case_store_cannot_log_its_read(
    case_store: str,
    broker: LocalBroker,
    unavailable_case_store: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NATVERK_KAFKA_BOOTSTRAP", broker.bootstrap)
    asyncio.run(_dead_letter(broker.bootstrap, _placement("0380-DLQ-1"), b"0380-DLQ-1"))
    url = unavailable_case_store if case_store == "unavailable" else f"http://127.0.0.1:{free_port()}"
    assert main(["dlq", "show", PLACEMENTS_DLQ, "--url", url]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    [line] = out.err.splitlines()
    assert line.startswith("natverk dlq show: nothing shown, as its read could not be logged: "), line
    assert f"{url}/api/v1/ops/dead-letter-reads" in line and CASE_DATA not in line


def test_a_dead_letter_that_names_no_case_is_not_shown_and_the_command_fails(
    broker: LocalBroker, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not JSON: no municipality, so no case its read could be logged under (its key alone is a case
    id of any of three municipalities)."""
    monkeypatch.setenv("NATVERK_KAFKA_BOOTSTRAP", broker.bootstrap)
    asyncio.run(_dead_letter(broker.bootstrap, f"not json {CASE_DATA}".encode(), b"0380-DLQ-2"))
    unused = f"http://127.0.0.1:{free_port()}"  # nothing names a case: nothing to log, nothing asked
    assert main(["dlq", "show", PLACEMENTS_DLQ, "--url", unused]) == 1
    shown = capsys.readouterr().out
    assert "data invalid: data.start_date" in shown and "names no case" in shown
    assert CASE_DATA not in shown and "0380-DLQ-2" not in shown
