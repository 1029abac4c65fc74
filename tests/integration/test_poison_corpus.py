"""A corpus of bad records among valid ones: each bad one is dead-lettered unchanged with its
reason, each valid one is processed, the consumer never stops, and no personal identity
number reaches the logs."""

from __future__ import annotations

import logging
import uuid

import pytest
from aiokafka import AIOKafkaProducer

from contracts.topics import PLACEMENTS, PLACEMENTS_DLQ
from services.kit.settings import ServiceSettings
from services.referrals.app import create_app
from tests.support.apps import eventually, serving
from tests.support.broker import read_topic
from tests.support.events import cloud_event, encode, placement_data, placement_started, valid_pin
from tests.support.tokens import bearer

pytestmark = pytest.mark.integration
SECRET_PIN = valid_pin(4242)
BAD_LUHN_PIN = SECRET_PIN[:-1] + str((int(SECRET_PIN[-1]) + 1) % 10)


def _corpus(case: str) -> dict[str, tuple[bytes, str]]:
    """name -> (record value, expected start of the DLQ reason)."""
    good = placement_started(f"{case}-x", "P-x", pin=SECRET_PIN)
    return {
        "not json": (b"<xml>no</xml>", "not valid JSON"),
        "bad utf-8": (b'{"a": "\xff\xfe"}', "not valid UTF-8"),
        "empty": (b"", "empty record"),
        "two megabytes": (b'{"pad": "' + b"x" * (2 * 1024 * 1024) + b'"}', "not a CloudEvent"),
        "wrong specversion": (encode({**good, "specversion": "0.3"}), "not a CloudEvent"),
        "unknown type": (encode({**good, "type": "se.placement.exploded.v1"}), "unknown event type"),
        "time without offset": (encode({**good, "time": "2026-11-20T10:00:00"}), "not a CloudEvent: time"),
        "bad luhn": (
            encode(placement_started(f"{case}-l", "P-l", pin=BAD_LUHN_PIN)),
            "data invalid: data.child.pin",
        ),
        "unknown municipality": (
            encode(
                cloud_event(
                    "se.placement.started.v1", placement_data(f"{case}-m", "P-m", municipality="0114")
                )
            ),
            "data invalid: data.municipality",
        ),
        "missing fields": (
            encode(cloud_event("se.placement.started.v1", {"case_id": f"{case}-f"})),
            "data invalid",
        ),
        "deeply nested": (b'{"data": ' + b"[" * 5000 + b"]" * 5000 + b"}", "JSON nested deeper"),
    }


async def _publish(bootstrap: str, values: list[bytes]) -> None:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, enable_idempotence=False, max_request_size=8 * 1024 * 1024
    )
    await producer.start()
    try:
        for value in values:
            await producer.send_and_wait(PLACEMENTS, value, key=b"poison")
    finally:
        await producer.stop()


async def test_every_bad_record_is_dead_lettered_unchanged_and_every_valid_one_processed(
    settings: ServiceSettings, caplog: pytest.LogCaptureFixture
) -> None:
    case = f"PC-{uuid.uuid4().hex[:6]}"
    corpus = _corpus(case)
    valid = [encode(placement_started(f"{case}-ok{n}", f"P-ok{n}", pin=SECRET_PIN)) for n in range(3)]
    interleaved = [
        valid[0],
        *[v for v, _ in list(corpus.values())[:5]],
        valid[1],
        *[v for v, _ in list(corpus.values())[5:]],
        valid[2],
    ]
    caplog.set_level(logging.DEBUG)
    caplog.set_level(
        logging.WARNING, logger="aiokafka"
    )  # as configure_logging sets it: the client logs record values at DEBUG
    reader = bearer("0380", ("coordinator",))
    async with serving(create_app(settings)) as client:
        await _publish(settings.kafka_bootstrap, interleaved)

        async def all_valid_processed() -> bool:
            for n in range(3):
                listed = await client.get(
                    "/api/v1/referrals", params={"case_id": f"{case}-ok{n}"}, headers=reader
                )
                if len(listed.json()["items"]) != 1:
                    return False
            return True

        await eventually(all_valid_processed, timeout=20)
        health = await client.get("/readyz")
    dead = await read_topic(settings.kafka_bootstrap, PLACEMENTS_DLQ, expect=len(corpus), timeout=15)
    by_value = {record.value: {k: v.decode() for k, v in record.headers} for record in dead}
    for name, (value, reason) in corpus.items():
        assert value in by_value, f"{name} was not dead-lettered unchanged"
        assert by_value[value]["error"].startswith(reason), f"{name}: {by_value[value]['error']}"
    assert len(dead) == len(corpus)
    assert health.status_code == 200
    everything_logged = caplog.text + " ".join(str(r.__dict__) for r in caplog.records)
    assert SECRET_PIN not in everything_logged and BAD_LUHN_PIN not in everything_logged
