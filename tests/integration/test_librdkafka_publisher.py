"""A partner's case system publishing on ``ext.placements.v1`` with librdkafka (confluent_kafka),
as a real one would: compressed batches, librdkafka's own partitioner, an idempotent producer, and
the odd or hostile records such a client can put on the wire (ARCHITECTURE §3, "Bad input").

What counts is what the consumers do: the case store's timeline over HTTP, the referrals the
referrals service creates, and what lands on ``ext.placements.v1.dlq``.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from confluent_kafka import Producer

from contracts.topics import PLACEMENTS, PLACEMENTS_DLQ
from services.case_store.app import create_app as create_case_store
from services.kit.settings import ServiceSettings
from services.referrals.app import create_app as create_referrals
from tests.support.apps import eventually, serving
from tests.support.broker import read_topic
from tests.support.events import cloud_event, encode, placement_data, placement_ended, placement_started
from tests.support.tokens import bearer

pytestmark = [pytest.mark.integration, pytest.mark.one_backend]
READER = bearer("0380", ("coordinator",), subject="coordinator-1")  # may read both services
PRODUCER_CONFIGS = {
    "gzip": {"compression.type": "gzip"},
    "snappy": {"compression.type": "snappy"},
    "lz4": {"compression.type": "lz4"},
    "zstd": {"compression.type": "zstd"},
    "idempotent": {"enable.idempotence": True, "compression.type": "zstd"},
}
Record = tuple[bytes | None, bytes | None, list[tuple[str, bytes | None]]]


def _publish(bootstrap: str, records: list[Record], **config: Any) -> None:
    """Produce with librdkafka's defaults (its partitioner, its batching) and wait for every ack."""
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 20, **config})
    failures: list[Any] = []
    for key, value, headers in records:
        producer.produce(
            PLACEMENTS,
            value=value,
            key=key,
            headers=headers or None,
            on_delivery=lambda error, _message: error and failures.append(error),
        )
    assert producer.flush(20) == 0
    assert not failures, failures


async def _records_handled(client: httpx.AsyncClient) -> float:
    """How many records of the inbound topic the service has handled, whatever the outcome."""
    text = (await client.get("/metrics")).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("natverk_consumer_records_total{") and f'topic="{PLACEMENTS}"' in line
    )


async def _timeline_types(client: httpx.AsyncClient, case_id: str) -> list[str]:
    response = await client.get(f"/api/v1/cases/{case_id}/timeline", headers=READER)
    if response.status_code != 200:
        return []
    types = [entry["event_type"] for entry in response.json()["items"]]
    return [t for t in types if t.startswith("se.placement.")]  # not the referrals' own events


async def _referral_count(client: httpx.AsyncClient, case_id: str) -> int:
    response = await client.get("/api/v1/referrals", params={"case_id": case_id}, headers=READER)
    return len(response.json()["items"])


def _story(case_id: str) -> list[Record]:
    """A placement started, changed and ended: three records that must be applied in this order."""
    changed = cloud_event(
        "se.placement.changed.v1",
        placement_data(case_id, f"P-{case_id}", placement_type="familjehem"),
        time="2026-11-21T10:00:00Z",
    )
    ended = {**placement_ended(case_id, f"P-{case_id}"), "time": "2026-11-22T10:00:00Z"}
    events = [placement_started(case_id, f"P-{case_id}"), changed, ended]
    return [(case_id.encode(), encode(event), []) for event in events]


async def test_compressed_and_idempotent_librdkafka_batches_are_applied_in_each_case_s_order(
    settings: ServiceSettings,
) -> None:
    run = uuid.uuid4().hex[:6]
    cases = {name: [f"LK-{name[:4]}-{run}-{n}" for n in range(4)] for name in PRODUCER_CONFIGS}
    expected = ["se.placement.started.v1", "se.placement.changed.v1", "se.placement.ended.v1"]
    async with serving(create_case_store(settings)) as case_store:
        for name, config in PRODUCER_CONFIGS.items():
            # Interleave the cases' records: each case's stay in order only by key and partition.
            stories = [_story(case_id) for case_id in cases[name]]
            interleaved = [story[step] for step in range(3) for story in stories]
            await asyncio.to_thread(_publish, settings.kafka_bootstrap, interleaved, **config)

        async def all_applied() -> dict[str, list[str]] | None:
            seen = {c: await _timeline_types(case_store, c) for ids in cases.values() for c in ids}
            return seen if all(len(types) == 3 for types in seen.values()) else None

        timelines = await eventually(all_applied, timeout=20)
    assert timelines == {c: expected for ids in cases.values() for c in ids}


class Probe:
    """One record a faulty or hostile case system might send, named by a ``probe`` header."""

    def __init__(self, name: str, value: bytes | None, key: bytes | None = b"probe", **options: Any):
        self.name = name
        self.value = value
        self.key = key
        self.headers: list[tuple[str, bytes | None]] = [("probe", name.encode()), *options.get("headers", [])]
        self.case_id: str | None = options.get("case_id")

    def record(self) -> Record:
        return (self.key, self.value, self.headers)


def _valid(case_id: str, **envelope: Any) -> dict[str, Any]:
    return {**placement_started(case_id, f"P-{case_id}"), **envelope}


def _probes(run: str) -> Iterator[Probe]:
    def case(name: str) -> str:
        return f"LB-{run}-{name}"

    yield Probe("tombstone", None)
    yield Probe("empty", b"")
    yield Probe("null key", encode(_valid(case("nokey"))), key=None, case_id=case("nokey"))
    yield Probe("other key", encode(_valid(case("okey"))), key=b"someone-else", case_id=case("okey"))
    odd = [("dup", b"one"), ("dup", b"two"), ("empty", b"")]
    many = [(f"h{n}", b"v") for n in range(500)]
    yield Probe("odd headers", encode(_valid(case("hdr"))), headers=odd + many, case_id=case("hdr"))
    yield Probe("odd headers, bad value", b"\xff\xfe not utf-8", headers=odd)
    padding = "x" * 990_000
    yield Probe("near max size", encode(_valid(case("big"), pad=padding)), case_id=case("big"))
    yield Probe("near max size, bad", b'{"pad": "' + b"y" * 998_000 + b'"}')
    yield Probe("bad utf-8", b'{"specversion": "1.0", "id": "\xff"}')
    yield Probe("deep nesting", b'{"specversion": "1.0", "x": ' + b"[" * 20_000 + b"]" * 20_000 + b"}")
    nan = encode(_valid(case("nan"), weird=0.5)).replace(b"0.5", b"NaN")
    yield Probe("NaN extension", nan, case_id=case("nan"))
    infinity = encode(_valid(case("inf"))).replace(b'"school_change": false', b'"school_change": Infinity')
    yield Probe("Infinity in data", infinity, case_id=case("inf"))
    huge = b'{"specversion": "1.0", "n": ' + b"9" * 5_000 + b"}"  # past Python's int parsing limit
    yield Probe("huge integer", huge)
    long_number = encode(_valid(case("longint"), weird=0.5)).replace(b"0.5", b"7" * 4_000)
    yield Probe("long integer extension", long_number, case_id=case("longint"))
    twice = encode(_valid(case("dupkey")))
    twice = twice.replace(b'"municipality": "0380"', b'"municipality": "0380", "municipality": "1980"')
    unknown = encode({**_valid(case("type")), "type": f"se.placement.{case('secret')}.v1"})
    yield Probe("unknown type", unknown, case_id=case("type"))
    yield Probe("duplicate JSON keys", twice, case_id=case("dupkey"))
    future = encode(_valid(case("future"), time="9999-12-31T23:59:59Z"))
    yield Probe("time far in the future", future, case_id=case("future"))
    past = encode(_valid(case("past"), time="1850-01-01T00:00:00Z"))
    yield Probe("time before 1900", past, case_id=case("past"))
    reused = str(uuid.uuid4())
    first = placement_started(case("reuse"), "P-a", event_id=reused)
    yield Probe("id used", encode(first), case_id=case("reuse"))
    again = placement_started(case("reuse"), "P-b", event_id=reused, placement_type="hvb")
    yield Probe("id reused, other data", encode(again), case_id=case("reuse"))


def _submitted_strings(value: bytes | None) -> set[str]:
    """The string values a record carried that a reason could echo (long enough to mean something)."""
    try:
        document = json.loads(value or b"")
    except (ValueError, RecursionError):  # not JSON, or nested too deep to read: nothing to echo
        return set()
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for item in node.values():
                walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str) and len(node) >= 6:
            found.add(node)

    walk(document)
    return found


def _problems(probe: Probe, dead: list[Any], referrals: int, timeline: list[str]) -> list[str]:
    """Each probe is applied once everywhere or dead-lettered unchanged and applied nowhere."""
    problems = []
    applied = referrals == 1 and len(timeline) == 1
    if len(dead) > 1 or (dead and (referrals or timeline)) or (not dead and not applied):
        problems.append(f"dead-lettered {len(dead)}x, referrals {referrals}, timeline {timeline}")
    for record in dead:
        if record.value != probe.value:
            problems.append(
                f"dead-lettered changed: {len(record.value or b'')} bytes, was {probe.value!r:.40}"
            )
        headers = [(k, v) for k, v in list(record.headers) if k in {h for h, _ in probe.headers}]
        if headers != probe.headers:
            problems.append(f"headers changed: {headers[:6]!r:.200}")
        reason = dict(record.headers).get("error", b"").decode()
        if not reason or any(s in reason for s in _submitted_strings(probe.value)):
            problems.append(f"error header {reason!r:.200}")
    return problems


async def test_each_odd_librdkafka_record_is_applied_once_or_dead_lettered_unchanged_and_the_next_is_applied(
    settings: ServiceSettings,
) -> None:
    run = uuid.uuid4().hex[:6]
    probes = list(_probes(run))
    last = f"LB-{run}-last"
    records = [probe.record() for probe in probes] + [(last.encode(), encode(_valid(last)), [])]
    async with (
        serving(create_referrals(settings)) as referrals,
        serving(create_case_store(settings)) as cases,
    ):
        await asyncio.to_thread(_publish, settings.kafka_bootstrap, records)

        async def every_record_handled() -> bool:
            """By both services, each record counted under one outcome: the last one applied is
            not enough, as records on another partition (the null key's) may still be in hand."""
            handled = [await _records_handled(client) for client in (referrals, cases)]
            return all(count >= len(records) for count in handled)

        await eventually(every_record_handled, timeout=25)
        outcomes = {}
        for probe in probes:
            count = await _referral_count(referrals, probe.case_id) if probe.case_id else 0
            timeline = await _timeline_types(cases, probe.case_id) if probe.case_id else []
            outcomes[probe.name] = (count, timeline)
    dead = await read_topic(settings.kafka_bootstrap, PLACEMENTS_DLQ, timeout=10)
    by_probe: dict[str, list[Any]] = {}
    for record in dead:
        by_probe.setdefault(dict(record.headers).get("probe", b"?").decode(), []).append(record)
    reused = [p for p in probes if p.name.startswith("id ")]
    problems = {
        probe.name: found
        for probe in probes
        if not probe.name.startswith("id ")
        and (found := _problems(probe, by_probe.get(probe.name, []), *outcomes[probe.name]))
    }
    # The reused id: one effect for the two records (ARCHITECTURE §3), whatever the second carries.
    reuse_count, reuse_timeline = outcomes[reused[0].name]
    if (reuse_count, len(reuse_timeline)) != (1, 1) or any(p.name in by_probe for p in reused):
        problems["id reused"] = [f"referrals {reuse_count}, timeline {reuse_timeline}"]
    assert not problems, json.dumps({"problems": problems, "outcomes": outcomes}, indent=1)


@pytest.mark.parametrize("header", [b"\xff\x00\xfe", None], ids=["binary", "null"])
async def test_a_record_with_a_binary_or_null_header_value_stalls_nothing_and_the_next_is_applied(
    settings: ServiceSettings, header: bytes | None
) -> None:
    odd, last = f"LH-{uuid.uuid4().hex[:6]}", f"LH-{uuid.uuid4().hex[:6]}-last"
    records: list[Record] = [
        (odd.encode(), encode(_valid(odd)), [("trace", header)]),
        (last.encode(), encode(_valid(last)), []),
    ]
    async with serving(create_referrals(settings)) as referrals:
        await asyncio.to_thread(_publish, settings.kafka_bootstrap, records)
        await eventually(lambda: _referral_count(referrals, last), timeout=10)
        applied = await _referral_count(referrals, odd)
    dead = await read_topic(settings.kafka_bootstrap, PLACEMENTS_DLQ, timeout=5)
    assert (applied, len(dead)) in {(1, 0), (0, 1)}
