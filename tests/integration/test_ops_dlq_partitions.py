"""``natverk dlq redrive`` on a real broker: an offset names a place in one partition, so offsets
found in more than one partition are refused until ``--partition`` says which (offset 0 of every
partition was re-driven at once)."""

from __future__ import annotations

import asyncio

import pytest
from aiokafka import AIOKafkaProducer

from contracts.topics import PLACEMENTS, PLACEMENTS_DLQ
from services.cli import main
from services.kit.topics import ensure_topics
from tests.support.broker import LocalBroker, read_topic

pytestmark = pytest.mark.integration


async def _dead_letter_in_partitions(bootstrap: str, *partitions: int) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        for partition in partitions:
            headers = [("error", b"data invalid: data.start_date"), ("original_topic", PLACEMENTS.encode())]
            value = f'{{"probe": {partition}}}'.encode()
            await producer.send_and_wait(
                PLACEMENTS_DLQ, value, key=b"k", partition=partition, headers=headers
            )
    finally:
        await producer.stop()


def test_redriving_an_offset_that_is_in_two_partitions_asks_which_and_moves_nothing(
    broker: LocalBroker, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NATVERK_KAFKA_BOOTSTRAP", broker.bootstrap)
    asyncio.run(_dead_letter_in_partitions(broker.bootstrap, 0, 1))
    assert main(["dlq", "redrive", PLACEMENTS_DLQ, "--offsets", "0"]) == 2
    assert "--partition" in capsys.readouterr().err
    assert asyncio.run(read_topic(broker.bootstrap, PLACEMENTS, timeout=3)) == []
    assert main(["dlq", "redrive", PLACEMENTS_DLQ, "--offsets", "0", "--partition", "1"]) == 0
    assert "re-drove 1 record(s)" in capsys.readouterr().out
    [redriven] = asyncio.run(read_topic(broker.bootstrap, PLACEMENTS, timeout=3))
    assert redriven.value == b'{"probe": 1}'


def test_listing_a_dead_letter_topic_the_broker_does_not_have_says_so_and_fails(
    broker: LocalBroker, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mistyped name was answered "is empty", exit 0."""
    monkeypatch.setenv("NATVERK_KAFKA_BOOTSTRAP", broker.bootstrap)
    assert main(["dlq", "list", "natverk.nosuch.v1.dlq"]) == 2
    assert "has no topic" in capsys.readouterr().err
    asyncio.run(ensure_topics(broker.bootstrap, [PLACEMENTS_DLQ], partitions=2))
    assert main(["dlq", "list", PLACEMENTS_DLQ]) == 0
    assert capsys.readouterr().out.strip() == f"{PLACEMENTS_DLQ} is empty"


@pytest.mark.parametrize(
    "key", [b"\xff\xfe not utf-8", b"", b"0380-C-199001011234"], ids=["not UTF-8", "empty", "with a number"]
)
def test_a_redriven_record_keeps_its_key_and_headers_byte_for_byte(
    key: bytes, broker: LocalBroker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key was republished as shown: decoded with replacement characters, an empty one as none,
    and anything shaped like a personal number masked, so the record came back keyed otherwise."""
    monkeypatch.setenv("NATVERK_KAFKA_BOOTSTRAP", broker.bootstrap)
    headers = [
        ("error", b"data invalid: data.start_date"),
        ("original_topic", PLACEMENTS.encode()),
        ("traceparent", b"\xff\x00 bytes"),
    ]

    async def dead_letter() -> None:
        producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap)
        await producer.start()
        try:
            await producer.send_and_wait(
                PLACEMENTS_DLQ, b'{"probe": 1}', key=key, partition=0, headers=headers
            )
        finally:
            await producer.stop()

    asyncio.run(dead_letter())
    assert main(["dlq", "redrive", PLACEMENTS_DLQ, "--all"]) == 0
    [redriven] = asyncio.run(read_topic(broker.bootstrap, PLACEMENTS, timeout=3))
    assert redriven.key == key
    assert dict(redriven.headers)["traceparent"] == b"\xff\x00 bytes"
    assert "error" not in dict(redriven.headers)
