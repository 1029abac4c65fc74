"""Operations behind ``natverk dlq|verify|stats``: dead-letter inspection and re-drive, chain
verification and the placement statistics report.

Dead-lettered records may hold personal data: listings show only offsets,
reasons and sizes; ``show`` masks anything shaped like a personal identity
number.  A re-drive republishes a record unchanged to the topic it came from;
consumers drop what they already processed, so re-driving twice is harmless.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer, TopicPartition

from contracts.topics import DLQ_SUFFIX
from services.kit.auth import mint_token
from services.kit.logs import scrub
from services.kit.settings import ServiceSettings
from services.kit.topics import reader_from_the_beginning


@dataclass(frozen=True)
class DeadLetter:
    partition: int
    offset: int
    key: str
    error: str
    original_topic: str
    size: int
    value: bytes
    headers: dict[str, str]


def _require_dlq(topic: str) -> None:
    if not topic.endswith(DLQ_SUFFIX):
        raise ValueError(f"{topic!r} is not a dead-letter topic (they end in {DLQ_SUFFIX!r})")


async def read_dead_letters(bootstrap: str, topic: str, limit: int = 1000) -> list[DeadLetter]:
    """Every record in ``topic`` from the start (no consumer group: reading moves nothing)."""
    _require_dlq(topic)
    consumer = reader_from_the_beginning(bootstrap)
    try:
        await consumer.start()
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        if not partitions:
            await consumer.topics()
            cluster = await consumer._client.fetch_all_metadata()
            partitions = [TopicPartition(topic, p) for p in sorted(cluster.partitions_for_topic(topic) or ())]
        if not partitions:
            return []
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        letters: list[DeadLetter] = []
        # Read until a fetch comes back empty: the local broker's end offsets can be low, so
        # they are not trusted to say when the topic is exhausted.
        while len(letters) < limit:
            batches = await consumer.getmany(timeout_ms=500, max_records=500)
            if not batches:
                break
            for records in batches.values():
                letters.extend(_letter(record) for record in records)
        return sorted(letters, key=lambda d: (d.partition, d.offset))[:limit]
    finally:
        await consumer.stop()


def _letter(record: Any) -> DeadLetter:
    headers = {k: (v or b"").decode("utf-8", "replace") for k, v in (record.headers or ())}
    return DeadLetter(
        partition=record.partition,
        offset=record.offset,
        key=scrub((record.key or b"").decode("utf-8", "replace")),
        error=headers.get("error", "(no reason recorded)"),
        original_topic=headers.get("original_topic", ""),
        size=len(record.value or b""),
        value=record.value or b"",
        headers=headers,
    )


def describe(letters: list[DeadLetter]) -> str:
    lines = [f"{'partition':>9} {'offset':>7} {'bytes':>8}  original topic        reason"]
    lines += [
        f"{d.partition:>9} {d.offset:>7} {d.size:>8}  {d.original_topic:<21} {d.error}" for d in letters
    ]
    return "\n".join(lines)


def show(letter: DeadLetter, max_bytes: int = 4000) -> str:
    text = letter.value[:max_bytes].decode("utf-8", "replace")
    more = f"\n... ({letter.size - max_bytes} more bytes)" if letter.size > max_bytes else ""
    headers = {k: scrub(v) for k, v in letter.headers.items()}
    return f"headers: {json.dumps(headers, ensure_ascii=False)}\nkey: {letter.key}\nvalue (personal numbers masked):\n{scrub(text)}{more}"


async def redrive(bootstrap: str, letters: list[DeadLetter]) -> int:
    """Republish each record unchanged to its original topic; returns how many."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=False, acks="all")
    try:
        await producer.start()
        for letter in letters:
            if not letter.original_topic:
                raise ValueError(
                    f"offset {letter.offset} has no original_topic header; cannot tell where it belongs"
                )
            headers = [(k, v.encode()) for k, v in letter.headers.items() if k not in ("error",)]
            headers.append(("redriven_from", f"{letter.partition}:{letter.offset}".encode()))
            await producer.send_and_wait(
                letter.original_topic, letter.value, key=letter.key.encode() or None, headers=headers
            )
        return len(letters)
    finally:
        await producer.stop()


# -- reports from the case store -------------------------------------------------------------
def _ops_headers(settings: ServiceSettings) -> dict[str, str]:
    token = mint_token(settings.jwt_secret.get_secret_value(), "natverk-cli", "0380", ["ops"], 300)
    return {"Authorization": f"Bearer {token}", "X-Access-Purpose": "operations"}


def case_store_url(settings: ServiceSettings) -> str:
    return f"http://{settings.host}:{settings.case_store_port}"


def fetch_statistics(
    settings: ServiceSettings, period_from: str, period_to: str, url: str | None = None
) -> dict[str, Any]:
    response = httpx.get(
        f"{url or case_store_url(settings)}/api/v1/statistics/placements",
        params={"from": period_from, "to": period_to},
        headers=_ops_headers(settings),
        timeout=30,
    )
    response.raise_for_status()
    return response.json()


def fetch_chain_report(settings: ServiceSettings, url: str | None = None) -> dict[str, Any]:
    response = httpx.get(
        f"{url or case_store_url(settings)}/api/v1/audit/verify", headers=_ops_headers(settings), timeout=300
    )
    response.raise_for_status()
    return response.json()


def statistics_table(report: dict[str, Any]) -> list[list[str]]:
    """Rows like the Stockholm table: one per municipality, one column per placement type."""
    types = sorted({t for m in report["municipalities"] for t in m["by_type"]})
    header = [
        "municipality",
        "children",
        *types,
        "breakdowns",
        "re_placements",
        "home_returns",
        "kinship_share",
    ]
    rows = [header]
    for m in report["municipalities"]:
        share = "" if m["kinship_share"] is None else f"{m['kinship_share']:.1%}"
        rows.append(
            [
                m["municipality"],
                str(m["children"]),
                *(str(m["by_type"].get(t, 0)) for t in types),
                str(m["breakdowns"]),
                str(m["re_placements"]),
                str(m["home_returns"]),
                share,
            ]
        )
    return rows


def render_statistics(report: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report, indent=2, ensure_ascii=False)
    rows = statistics_table(report)
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        return out.getvalue()
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    title = f"Children in 24-hour care, {report['period_from']} to {report['period_to']}"
    lines = [title, ""] + [
        "  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=False)) for row in rows
    ]
    return "\n".join(lines)


# -- rebuilding the case store from the topics ------------------------------------------------
async def rebuild_case_store(settings: ServiceSettings, timeout: float = 600.0) -> dict[str, Any]:
    """Replay every topic the case store reads into a fresh store (``settings.data_dir`` /
    ``database_url``) under a consumer group of its own; returns counts and the time taken."""
    import asyncio
    import time
    import uuid

    from services.case_store.app import build_runtime

    fresh = settings.model_copy(update={"consumer_group_prefix": f"rebuild-{uuid.uuid4().hex[:8]}-"})
    runtime = build_runtime(fresh)
    started = time.monotonic()
    await runtime.start()
    try:
        topics = sorted(runtime.consumer.specs_topics()) if runtime.consumer else []
        partitions = [(t, p) for t in topics for p in range(settings.topic_partitions)]
        ends = await runtime.offsets.end_offsets(partitions)
        targets = {tp: end for tp, end in ends.items() if end > 0}
        # Caught up = past the end offsets and then quiet for a second (the local broker can
        # report ends below the true ones for batched partitions).
        last_seen, quiet_since = None, time.monotonic()
        while True:
            positions = dict(runtime.consumer.positions)
            if positions != last_seen:
                last_seen, quiet_since = positions, time.monotonic()
            reached = all(positions.get(tp, 0) >= end for tp, end in targets.items())
            if reached and time.monotonic() - quiet_since >= 1.0:
                break
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"not caught up after {timeout:.0f}s")
            await asyncio.sleep(0.2)
        elapsed = quiet_since - started
        records = sum(last_seen.values()) if last_seen else 0
        timelines = len(runtime.app.case_ids())
        verified = runtime.app.verify_all()
        return {
            "records": records,
            "seconds": round(elapsed, 2),
            "records_per_second": round(records / elapsed, 1) if elapsed else None,
            "timelines": timelines,
            "broken": sum(not v.ok for v in verified.values()),
        }
    finally:
        await runtime.stop()
