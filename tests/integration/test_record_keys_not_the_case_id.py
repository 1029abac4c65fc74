"""A case system whose records are not keyed by their case id (ARCHITECTURE §3: record key = case
id, UTF-8), published as a partner's librdkafka client would: each record is applied as usual,
counted by topic, problem and municipality, and logged with its position and the problem, never
with the key, the case id or anything personal (ADR 0017, addendum on record keys)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from confluent_kafka import Producer
from prometheus_client.parser import text_string_to_metric_families
from structlog.testing import capture_logs

from contracts.topics import PLACEMENTS
from services.case_store.app import create_app as create_case_store
from services.kit.settings import ServiceSettings
from services.referrals.app import create_app as create_referrals
from tests.support.apps import eventually, serving
from tests.support.events import encode, placement_started, valid_pin
from tests.support.tokens import bearer

pytestmark = [pytest.mark.integration, pytest.mark.one_backend]
READER = bearer("0380", ("coordinator",), subject="coordinator-1")
MISMATCHES = "natverk_inbound_records_key_mismatch"
WARNING = "record key is not its case id; applied as usual"


def _publish(bootstrap: str, records: list[tuple[bytes | None, bytes]]) -> list[tuple[int, int]]:
    """Produce with librdkafka's defaults (its partitioner: a null key goes to a random
    partition); the (partition, offset) each record was written at, in order."""
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 20})
    written: dict[int, tuple[int, int]] = {}
    failures: list[Any] = []

    def delivered(n: int) -> Any:
        def report(error: Any, message: Any) -> None:
            if error:
                failures.append(error)
            else:
                written[n] = (message.partition(), message.offset())

        return report

    for n, (key, value) in enumerate(records):
        producer.produce(PLACEMENTS, value=value, key=key, on_delivery=delivered(n))
    assert producer.flush(20) == 0
    assert not failures, failures
    return [written[n] for n in range(len(records))]


async def _referral_count(client: httpx.AsyncClient, case_id: str) -> int:
    response = await client.get("/api/v1/referrals", params={"case_id": case_id}, headers=READER)
    return len(response.json()["items"])


async def _mismatches(client: httpx.AsyncClient) -> dict[tuple[str, str, str], float]:
    """(topic, problem, municipality) -> how many records the service counted so."""
    text = (await client.get("/metrics")).text
    return {
        (s.labels["topic"], s.labels["problem"], s.labels["municipality"]): s.value
        for family in text_string_to_metric_families(text)
        if family.name == MISMATCHES
        for s in family.samples
        if s.name == f"{MISMATCHES}_total"
    }


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        (None, "missing"),
        (b"", "missing"),
        (b"LK-another-case", "not_case_id"),
        (b"\xffLK-another-case", "not_utf8"),
    ],
    ids=["null key", "empty key", "another case's id", "not utf-8"],
)
async def test_a_placement_not_keyed_by_its_case_id_is_applied_counted_and_logged_without_personal_data(
    settings: ServiceSettings, key: bytes | None, problem: str
) -> None:
    run = uuid.uuid4().hex[:6]
    odd, well_keyed, pin = f"LK-{run}-odd", f"LK-{run}-ok", valid_pin(7117)
    records = [
        (key, encode(placement_started(odd, f"P-{odd}", pin=pin))),
        (well_keyed.encode(), encode(placement_started(well_keyed, f"P-{well_keyed}"))),
    ]
    with capture_logs() as logged:
        async with serving(create_referrals(settings)) as referrals:
            positions = await asyncio.to_thread(_publish, settings.kafka_bootstrap, records)
            await eventually(lambda: _referral_count(referrals, well_keyed), timeout=20)
            applied = await eventually(lambda: _referral_count(referrals, odd), timeout=10)
            counted = await _mismatches(referrals)
    warnings = [entry for entry in logged if entry["event"] == WARNING]
    assert applied == 1
    assert counted == {(PLACEMENTS, problem, "0380"): 1.0}
    partition, offset = positions[0]
    assert [(w["log_level"], w["topic"], w["partition"], w["offset"], w["problem"]) for w in warnings] == [
        ("warning", PLACEMENTS, partition, offset, problem)
    ]
    everything_logged = repr(logged)
    personal = {odd, f"P-{odd}", pin, pin[2:], (key or b"").decode("utf-8", "ignore")} - {""}
    assert not [value for value in personal if value in everything_logged]


async def test_records_our_relays_write_are_keyed_by_case_id_and_never_counted(
    settings: ServiceSettings,
) -> None:
    case = f"LK-{uuid.uuid4().hex[:6]}"
    async with (
        serving(create_referrals(settings)) as referrals,
        serving(create_case_store(settings)) as case_store,
    ):
        await asyncio.to_thread(
            _publish, settings.kafka_bootstrap, [(case.encode(), encode(placement_started(case, "P-1")))]
        )

        async def referral_in_timeline() -> bool:
            response = await case_store.get(f"/api/v1/cases/{case}/timeline", headers=READER)
            types = [e["event_type"] for e in response.json()["items"]] if response.is_success else []
            return "se.natverk.referral.received.v1" in types

        await eventually(referral_in_timeline, timeout=20)
        counted = {**await _mismatches(referrals), **await _mismatches(case_store)}
    assert counted == {}
