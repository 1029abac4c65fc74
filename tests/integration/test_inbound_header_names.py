"""A record whose header *name* is not UTF-8 on ``ext.placements.v1``.

The Kafka protocol says a header name is a string, but a client written against librdkafka's C
API (kcat, a partner's own producer) sends whatever bytes it is handed.  aiokafka decodes header
names while it unpacks a fetched batch, before any of our code sees a record.  Python clients
cannot send such a name, so the test writes the batch with aiokafka's pure-Python record builder
and a name that encodes to raw bytes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.producer import message_accumulator, producer
from aiokafka.record.default_records import _DefaultRecordBatchBuilderPy

from contracts.topics import PLACEMENTS, PLACEMENTS_DLQ
from services.case_store.app import create_app as create_case_store
from services.kit.settings import ServiceSettings
from services.referrals.app import create_app as create_referrals
from tests.support.apps import eventually, serving
from tests.support.broker import read_topic
from tests.support.events import encode, placement_started
from tests.support.tokens import bearer

pytestmark = [pytest.mark.integration, pytest.mark.one_backend]
READER = bearer("0380", ("coordinator",), subject="coordinator-1")
RAW_NAME = b"\xff\xfe-trace"
ESCAPED_NAME = RAW_NAME.decode("utf-8", "backslashreplace")  # "\\xff\\xfe-trace"


class _RawName(str):
    """A header name that goes on the wire as bytes that are not UTF-8."""

    def encode(self, *_: Any, **__: Any) -> bytes:  # type: ignore[override]
        return RAW_NAME


@contextmanager
def _python_record_builder(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # aiokafka's C builder encodes names itself; its pure-Python twin calls ``name.encode``.
    with monkeypatch.context() as patch:
        for module in (message_accumulator, producer):
            patch.setattr(module, "DefaultRecordBatchBuilder", _DefaultRecordBatchBuilderPy)
        yield


async def _publish(bootstrap: str, records: list[tuple[str, bytes, list[tuple[str, bytes]]]]) -> None:
    client = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=0)
    await client.start()
    try:
        for case_id, value, headers in records:  # one batch each: the bad one spoils no other
            await client.send_and_wait(PLACEMENTS, value, key=case_id.encode(), headers=headers)
    finally:
        await client.stop()


async def _referrals(client: httpx.AsyncClient, case_id: str) -> int:
    response = await client.get("/api/v1/referrals", params={"case_id": case_id}, headers=READER)
    return len(response.json()["items"])


async def _placement_entries(client: httpx.AsyncClient, case_id: str) -> int:
    response = await client.get(f"/api/v1/cases/{case_id}/timeline", headers=READER)
    if response.status_code != 200:
        return 0
    return sum(entry["event_type"].startswith("se.placement.") for entry in response.json()["items"])


@pytest.mark.parametrize("valid", [True, False], ids=["valid placement", "not JSON"])
async def test_a_record_whose_header_name_is_not_utf8_stalls_no_consumer_and_the_next_is_applied(
    settings: ServiceSettings, monkeypatch: pytest.MonkeyPatch, valid: bool
) -> None:
    odd, last = f"HN-{uuid.uuid4().hex[:6]}", f"HN-{uuid.uuid4().hex[:6]}-last"
    body = encode(placement_started(odd, f"P-{odd}")) if valid else b"\xff not JSON"
    records = [
        (odd, body, [(_RawName("trace"), b"1")]),
        (last, encode(placement_started(last, f"P-{last}")), []),
    ]
    async with (
        serving(create_referrals(settings)) as referrals,
        serving(create_case_store(settings)) as cases,
    ):
        with _python_record_builder(monkeypatch):
            await _publish(settings.kafka_bootstrap, records)

        async def last_applied() -> bool:
            return await _referrals(referrals, last) == 1 and await _placement_entries(cases, last) == 1

        await eventually(last_applied, timeout=20)
        applied = (await _referrals(referrals, odd), await _placement_entries(cases, odd))
    dead = await read_topic(settings.kafka_bootstrap, PLACEMENTS_DLQ, timeout=5)
    if valid:
        assert (applied, dead) == ((1, 1), [])
    else:  # dead-lettered once, its body unchanged, the name escaped
        assert applied == (0, 0)
        assert [(record.value, dict(record.headers).get(ESCAPED_NAME)) for record in dead] == [(body, b"1")]
