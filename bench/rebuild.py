"""Rebuild benchmark: `natverk rebuild` against the raw notification-log read rate, in one run.

Publishes --cases case stories onto the topics of a local broker: ten records each, placement
events from the case system and what referrals, scheduling and network_support relay about
the case, reads of it included (``tests/support/case_story.py``).  Then
  1. rebuilds the case store from them into an empty SQLite store (``rebuild_case_store``:
     every partition assigned, no consumer group, batches of 5,000), and, for comparison, only
     reads the topics with the rebuild's reader and only parses and validates the records,
  2. reads the rebuilt store's whole notification log in pages, decoding every event: the raw
     read rate (the median of three reads),
  3. inserts the rebuilt store's own stored events, already encoded, into an empty store,
     5,000 per transaction: the raw insert rate, which bounds any rebuild that writes each
     event through the event store,
and prints the figures and their ratios, writing them to bench/results/rebuild-<time>.json.
The target (issue 14): the rebuild's records/s at least half the raw read rate.

It also gives the ceiling of any one-process rebuild on this machine, from the same run: the
records/s of one that only read the topics, parsed and validated each record and inserted its
events already encoded (no chains, no aggregates, no encoding), 1 / (1/read + 1/parse +
events per record / insert), and that ceiling against the raw read rate.

    .venv/bin/python bench/rebuild.py [--cases 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# Development mode (the development token secret), as `make bench` runs it.
os.environ.setdefault("NATVERK_DEV", "1")

from bench.common import notification_log_read_rate, publish_records, write_results
from contracts.common import MUNICIPALITIES
from services.case_store.application import CaseStoreApplication
from services.kit.inbound import parse_record
from services.kit.settings import ServiceSettings
from services.kit.store import ServiceApplication, open_store
from services.kit.topics import ensure_topics
from services.ops import rebuild_case_store
from services.ops.topic_reader import TopicReader
from tests.support.broker import running_broker
from tests.support.case_story import stories

TARGET = 0.5
INSERT_BATCH = 5000


def raw_read_rates(settings: ServiceSettings, rounds: int = 3) -> tuple[int, list[float]]:
    app = open_store(CaseStoreApplication, settings, "case_store")
    try:
        reads = [notification_log_read_rate(app) for _ in range(rounds)]
    finally:
        app.close()
    return reads[0][0], [rate for _, rate in reads]


def raw_insert_rate(source: ServiceSettings, target: ServiceSettings) -> float:
    """The rebuilt store's stored events inserted as they are into an empty store."""
    app = open_store(CaseStoreApplication, source, "case_store")
    stored, position = [], 0
    while page := app.recorder.select_notifications(position + 1, 1000):
        stored += page
        position = page[-1].id
    app.close()
    empty = open_store(ServiceApplication, target, "bench_insert")
    try:
        started = time.perf_counter()
        for start in range(0, len(stored), INSERT_BATCH):
            empty.recorder.insert_events(stored[start : start + INSERT_BATCH])
        return len(stored) / (time.perf_counter() - started)
    finally:
        empty.close()


async def publish_stories(settings: ServiceSettings, records: list[tuple[str, bytes, bytes]]) -> float:
    topics = {topic for topic, _, _ in records}
    await ensure_topics(settings.kafka_bootstrap, topics, settings.topic_partitions, settings)
    return await publish_records(settings.kafka_bootstrap, records)


async def topic_read_rate(settings: ServiceSettings, topics: set[str]) -> float:
    """The rebuild's reader alone: every record fetched, nothing done with it."""
    started, read = time.perf_counter(), 0
    async with TopicReader(settings.kafka_bootstrap, topics, settings) as reader:
        async for partitions in reader.batches():
            read += sum(len(records) for records in partitions)
    return read / (time.perf_counter() - started)


def parse_rate(records: list[tuple[str, bytes, bytes]]) -> float:
    """What every rebuild must do per record before storing anything: parse and validate it."""
    started = time.perf_counter()
    for _, _, value in records:
        parse_record(value)
    return len(records) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=5000, help="ten records each")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="natverk-bench-rebuild-"))
    run = datetime.now().strftime("%H%M%S")
    records = stories([(MUNICIPALITIES[n % 3], f"C{n}-{run}") for n in range(args.cases)])
    with running_broker(folder / "broker.log") as broker:
        settings = ServiceSettings(data_dir=folder / "rebuilt", kafka_bootstrap=broker.bootstrap)
        produce_rate = asyncio.run(publish_stories(settings, records))
        read_only = asyncio.run(topic_read_rate(settings, {topic for topic, _, _ in records}))
        rebuild = asyncio.run(rebuild_case_store(settings))
    if rebuild["records"] != len(records):
        raise RuntimeError(f"rebuilt {rebuild['records']} of {len(records)} records")
    notifications, reads = raw_read_rates(settings)
    read_rate = statistics.median(reads)
    insert_rate = raw_insert_rate(settings, ServiceSettings(data_dir=folder / "insert"))
    events_rate = notifications / rebuild["seconds"]
    ratio = rebuild["records_per_second"] / read_rate
    parse = parse_rate(records)
    ceiling = 1 / (1 / read_only + 1 / parse + notifications / len(records) / insert_rate)
    figures = {
        "when": datetime.now(UTC).isoformat(),
        "records_published": len(records),
        "raw_broker_produce_per_s": round(produce_rate, 1),
        "topics_read_only_per_s": round(read_only, 1),
        "parse_and_validate_only_per_s": round(parse, 1),
        "rebuild": {key: value for key, value in rebuild.items() if key != "checkpoint"},
        "rebuilt_store_events": notifications,
        "rebuild_stored_events_per_s": round(events_rate, 1),
        "raw_notification_log_read_per_s": round(read_rate, 1),
        "raw_notification_log_reads_per_s": [round(rate, 1) for rate in reads],
        "raw_insert_per_s": round(insert_rate, 1),
        "ratios": {
            "rebuild_records_vs_raw_read": round(ratio, 3),
            "rebuild_events_vs_raw_read": round(events_rate / read_rate, 3),
            "raw_insert_vs_raw_read": round(insert_rate / read_rate, 3),
            "rebuild_events_vs_raw_insert": round(events_rate / insert_rate, 3),
            "one_process_ceiling_vs_raw_read": round(ceiling / read_rate, 3),
        },
        "one_process_ceiling_records_per_s": round(ceiling, 1),
        "target": f"rebuild_records_vs_raw_read >= {TARGET}",
        "target_met": ratio >= TARGET,
    }
    write_results("rebuild", figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
