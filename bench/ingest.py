"""Ingest benchmark: ext.placements.v1 → case timeline, against the raw limits of this machine.

In one run it measures
  1. the raw broker produce rate (aiokafka, batched sends, acks=all),
  2. the raw store append rate (eventsourcing on SQLite: one event per transaction, as the
     consumer commits one record at a time, and 100 events per transaction; the latter once
     more after the burst, the ratio taking the mean of the two),
  3. the raw notification-log read rate (select and decode every stored event of that store),
  4. end-to-end ingest: N placement events published in a burst, until every one is in its
     case's timeline (throughput), and a paced run at a fixed rate (p50/p99 latency from publish
     to the timeline entry's recording time),
  5. a rebuild of the case store from its topics into a fresh store (`natverk rebuild`),
  6. one signed checkpoint over every chain the burst made (`POST /api/v1/audit/checkpoints`).
The burst starts once the case store has signed its first checkpoint, which a fresh store
does a few seconds after it starts leading, over every chain it holds by then: that one-off
would otherwise fall inside the burst (about 5 % of it) and be counted as ingest.  What a
checkpoint costs is measured on its own, in step 6, over the burst's chains.
and prints the figures and their ratios, writing them to bench/results/ingest-<time>.json.

    .venv/bin/python bench/ingest.py [--events 2000] [--rate 200] [--paced-seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx
from aiokafka import AIOKafkaProducer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# A local stack in development mode (the development token secret), as `make bench` runs it.
os.environ.setdefault("NATVERK_DEV", "1")

from eventsourcing.utils import get_topic

from bench.common import (
    new_stack,
    notification_log_read_rate,
    percentile,
    publish,
    wait_until,
    write_results,
)
from contracts.topics import PLACEMENTS
from services.case_store.domain.placement_record import PlacementRecord
from services.kit.domain.case_access import CaseAccess
from services.kit.settings import ServiceSettings
from services.kit.store import ServiceApplication, open_store
from services.kit.token_minting import mint_token
from services.ops import rebuild_case_store
from services.stack import Stack
from tests.support.events import encode, placement_started, valid_pin


async def raw_produce_rate(bootstrap: str, count: int) -> float:
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, enable_idempotence=False, acks="all", linger_ms=1
    )
    await producer.start()
    value = encode(placement_started("RAW-1", "P-RAW"))
    try:
        started = time.perf_counter()
        futures = [
            await producer.send("bench.raw", value, key=f"RAW-{i % 100}".encode()) for i in range(count)
        ]
        await asyncio.gather(*futures)
        return count / (time.perf_counter() - started)
    finally:
        await producer.stop()


def raw_append_rates(folder: Path, count: int) -> dict[str, float]:
    settings = ServiceSettings(data_dir=folder)
    app = open_store(ServiceApplication, settings, "bench_raw")
    started = time.perf_counter()
    for i in range(count):
        app.save(CaseAccess(f"C-{i}", "bench", "0380", "timeline", "bench", "granted"))
    single = count / (time.perf_counter() - started)
    batched = batched_append_rate(app, count)
    _, read_rate = notification_log_read_rate(app)
    app.close()
    return {"per_transaction_1": single, "per_transaction_100": batched, "notification_log_read": read_rate}


def batched_append_rate(app: ServiceApplication, count: int) -> float:
    started = time.perf_counter()
    for batch in range(count // 100):
        app.save(*[CaseAccess(f"C-{batch}-{i}", "bench", "0380", "t", "b", "granted") for i in range(100)])
    return (count // 100 * 100) / (time.perf_counter() - started)


def batched_append_rate_again(folder: Path, count: int) -> float:
    """The raw batched append measured a second time, after the burst, into a fresh store: the
    ratio's reference is the mean of the two, so one noisy moment on a shared machine moves it less."""
    app = open_store(ServiceApplication, ServiceSettings(data_dir=folder), "bench_raw")
    try:
        return batched_append_rate(app, count)
    finally:
        app.close()


def processed(client: httpx.Client, stack: Stack) -> float:
    text = client.get(f"{stack.url('case_store')}/metrics").text
    total = 0.0
    for line in text.splitlines():
        if line.startswith("natverk_consumer_records_total") and PLACEMENTS in line and "processed" in line:
            total += float(line.rsplit(" ", 1)[1])
    return total


def wait_processed(client: httpx.Client, stack: Stack, target: float, timeout: float = 300) -> None:
    if not wait_until(lambda: processed(client, stack) >= target, timeout):
        raise RuntimeError(f"only {processed(client, stack)} of {target} processed")


class StoredPlacements:
    """Placement records in the case store's SQLite file, counted read-only as they are committed.

    The burst's end is watched here rather than on ``/metrics``: a scrape every 50 ms cost the
    case store 2-3 % of its time (1.2 ms of CPU a scrape), so the bench slowed what it measured.
    """

    QUERY = "SELECT count(*), max(rowid) FROM stored_events WHERE rowid > ? AND topic = ?"

    def __init__(self, stack: Stack) -> None:
        path = stack.settings.data_dir / "case_store.sqlite"
        self._connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self._topic = get_topic(PlacementRecord.Started)
        self._after, self.count = 0, 0

    def reach(self, target: int, timeout: float = 300) -> None:
        if not wait_until(lambda: self._read() >= target, timeout):
            raise RuntimeError(f"only {self.count} of {target} placements stored")

    def _read(self) -> int:
        added, last = self._connection.execute(self.QUERY, (self._after, self._topic)).fetchone()
        self.count, self._after = self.count + added, last or self._after
        return self.count

    def close(self) -> None:
        self._connection.close()


def wait_for_first_checkpoint(client: httpx.Client, stack: Stack, headers: dict[str, str]) -> None:
    url = f"{stack.url('case_store')}/api/v1/audit/checkpoints/latest"
    if not wait_until(lambda: client.get(url, headers=headers).status_code == 200, 60):
        raise RuntimeError("the case store signed no checkpoint within a minute of starting")


def checkpoint_seconds(client: httpx.Client, stack: Stack, settings: ServiceSettings) -> float:
    """How long the case store takes to sign one checkpoint over every chain it holds."""
    ops = mint_token(settings.jwt_secret.get_secret_value(), "bench", "0380", ["ops"])
    started = time.perf_counter()
    response = client.post(
        f"{stack.url('case_store')}/api/v1/audit/checkpoints", headers={"Authorization": f"Bearer {ops}"}
    )
    response.raise_for_status()
    return time.perf_counter() - started


def latencies(
    client: httpx.Client, stack: Stack, sent: dict[str, float], headers: dict[str, str]
) -> list[float]:
    result = []
    for case_id, published_at in sent.items():
        timeline = client.get(
            f"{stack.url('case_store')}/api/v1/cases/{case_id}/timeline", headers=headers
        ).json()
        entry = next(e for e in timeline["items"] if e["event_type"] == "se.placement.started.v1")
        recorded = datetime.fromisoformat(entry["recorded_at"]).timestamp()
        result.append(recorded - published_at)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--paced-seconds", type=float, default=10.0)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="natverk-bench-"))
    stack = new_stack(folder / "stack", ["case_store"], ("case_store_port", "referrals_port"))
    settings, bootstrap = stack.settings, stack.settings.kafka_bootstrap
    stack.start()
    try:
        produce_rate = asyncio.run(raw_produce_rate(bootstrap, args.events))
        append = raw_append_rates(folder / "raw", args.events)
        headers = {
            "Authorization": "Bearer "
            + mint_token(settings.jwt_secret.get_secret_value(), "bench", "0380", ["auditor"])
        }
        with httpx.Client(timeout=30) as client:
            wait_for_first_checkpoint(client, stack, headers)
            burst = [
                placement_started(f"B-{i}-{uuid.uuid4().hex[:4]}", f"P-B-{i}", pin=valid_pin(i))
                for i in range(args.events)
            ]
            stored = StoredPlacements(stack)
            started = time.time()
            asyncio.run(publish(bootstrap, burst, rate=None))
            stored.reach(args.events)
            throughput = args.events / (time.time() - started)
            stored.close()
            wait_processed(client, stack, args.events)  # and the consumer counted every one
            around_the_burst = [
                append["per_transaction_100"],
                batched_append_rate_again(folder / "raw-after", args.events),
            ]
            append["per_transaction_100"] = statistics.mean(around_the_burst)

            paced_count = int(args.rate * args.paced_seconds)
            paced = [
                placement_started(f"L-{i}-{uuid.uuid4().hex[:4]}", f"P-L-{i}", pin=valid_pin(i))
                for i in range(paced_count)
            ]
            sent = asyncio.run(publish(bootstrap, paced, rate=args.rate))
            wait_processed(client, stack, args.events + paced_count)
            lat = latencies(client, stack, sent, headers)
            signing = checkpoint_seconds(client, stack, settings)
        rebuild = asyncio.run(
            rebuild_case_store(settings.model_copy(update={"data_dir": folder / "rebuilt"}))
        )
    finally:
        stack.stop()

    figures = {
        "when": datetime.now(UTC).isoformat(),
        "events": args.events,
        "raw_broker_produce_per_s": round(produce_rate, 1),
        "raw_store_append_per_s": {k: round(v, 1) for k, v in append.items()},
        "raw_batched_append_before_and_after_the_burst_per_s": [round(v, 1) for v in around_the_burst],
        "ingest_to_timeline_per_s": round(throughput, 1),
        "paced_rate_per_s": args.rate,
        "paced_events": len(lat),
        "latency_ms": {
            "p50": round(statistics.median(lat) * 1000, 1),
            "p99": round(percentile(lat, 0.99) * 1000, 1),
            "max": round(max(lat) * 1000, 1),
        },
        "rebuild": rebuild,
        "checkpoint_over_every_chain": {
            "timelines": args.events + len(lat),
            "seconds": round(signing, 3),
        },
        "ratios": {
            "rebuild_vs_raw_notification_read": round(
                rebuild["records_per_second"] / append["notification_log_read"], 3
            ),
            "ingest_vs_raw_produce": round(throughput / produce_rate, 3),
            "ingest_vs_raw_append_1_per_tx": round(throughput / append["per_transaction_1"], 3),
            "ingest_vs_raw_append_100_per_tx": round(throughput / append["per_transaction_100"], 3),
        },
    }
    write_results("ingest", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
